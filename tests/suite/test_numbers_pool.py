"""The pool of test numbers: free ones first, each once, and a clear skip when none is left."""

from __future__ import annotations

import pytest

from conformance.steps.numbers_pool import RESERVED, NumberPool


def test_numbers_in_use_are_passed_over_and_none_is_given_twice() -> None:
    pool = NumberPool(RESERVED[:2])
    assert [pool.take(), pool.take()] == RESERVED[2:4]


def test_a_used_up_range_skips_the_case_saying_why() -> None:
    pool = NumberPool(RESERVED[:-1])
    assert pool.take() == RESERVED[-1]
    with pytest.raises(pytest.skip.Exception, match=r"reserved test range .* is in use"):
        pool.take()
