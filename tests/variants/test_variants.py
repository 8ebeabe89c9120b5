"""No false alarms: the suite passes every correct variant of the reference server."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future

import pytest

from benchmarks.mutation import triage
from conformance.contract.contract import requirement
from tests.variants.table import BY_NAME, VARIANTS
from tests.variants.verdicts import Verdict, judge_all, write_report

RUN_TIMEOUT = 600


@pytest.fixture(scope="session")
def verdicts(request: pytest.FixtureRequest) -> Iterator[dict[str, Future[Verdict]]]:
    """Runs the suite against every selected variant, two at a time, from the first use on."""
    selected = [
        BY_NAME[str(item.callspec.params["name"])]
        for item in request.session.items
        if isinstance(item, pytest.Function)
        and item.originalname == "test_the_suite_passes_a_correct_variant"
    ]
    futures = judge_all(selected)
    yield futures
    for future in futures.values():  # runs not started yet, after -x or Ctrl-C
        future.cancel()
    done = [f.result() for f in futures.values() if not f.cancelled() and f.exception() is None]
    write_report(done)


@pytest.mark.parametrize("name", [v.name for v in VARIANTS])
def test_the_suite_passes_a_correct_variant(
    name: str, verdicts: dict[str, Future[Verdict]]
) -> None:
    """Runs `pytest conformance` against the variant (`--writes all` unless its row says
    otherwise); exit 0, no MUST failed."""
    verdict = verdicts[name].result(timeout=RUN_TIMEOUT)
    assert verdict.passes, (
        f"{name} ({verdict.variant.choice}) is correct, yet the suite exited "
        f"{verdict.run.returncode} with MUST failures {verdict.failed_musts}:\n"
        f"{verdict.run.output[-6000:]}"
    )


INDEPENDENT = [variant.name for variant in VARIANTS if variant.independent]


@pytest.mark.parametrize("name", INDEPENDENT)
def test_a_fixed_survivor_holds_on_the_independent_implementations(
    name: str, verdicts: dict[str, Future[Verdict]]
) -> None:
    """The counterweight of mutation testing: a surviving mutant counts as fixed by a new or
    sharper case only if that case's requirement still holds on every independent
    implementation, so the suite never grows stricter than its sources
    (openapi/decisions.md#what-strictness-rests-on)."""
    if name not in verdicts:
        pytest.skip(f"{name} was not run in this session")
    verdict = verdicts[name].result(timeout=RUN_TIMEOUT)
    profile = verdict.variant.profile
    stricter = triage.fixed_by_what_a_correct_server_fails(
        triage.load(),
        set(verdict.failed_musts) | set(verdict.warnings),
        lambda req_id: profile in requirement(req_id).profiles,
    )
    assert not stricter, f"fixed by a case that fails {name}, a correct server: {stricter}"
