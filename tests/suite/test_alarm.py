"""The whole-exchange alarm shares SIGALRM with any outer interval timer (pytest-timeout's
signal method, a CI's own watchdog): the tighter bound wins and the other survives."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator

import pytest
import requests

from conformance.target.client import whole_exchange_within


@pytest.fixture
def outer_alarm() -> Iterator[list[float]]:
    """An outer SIGALRM handler that notes when it fired; removed afterwards."""
    fired: list[float] = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(time.monotonic()))
    yield fired
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


def test_an_outer_timer_outlives_an_exchange(outer_alarm: list[float]) -> None:
    started = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, 0.6)
    with pytest.raises(requests.ReadTimeout), whole_exchange_within(0.2):
        time.sleep(1)
    assert not outer_alarm, "the exchange's alarm went to the outer handler"
    time.sleep(0.8)
    assert outer_alarm, "the outer timer was cancelled by the exchange's alarm"
    assert 0.5 < outer_alarm[0] - started < 0.9


def test_a_tighter_outer_timer_stays_the_bound(outer_alarm: list[float]) -> None:
    started = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, 0.2)
    with whole_exchange_within(5):
        time.sleep(0.5)  # the outer handler runs during the sleep, which then goes on
    assert outer_alarm, "the outer timer did not fire"
    assert outer_alarm[0] - started < 0.4
