"""Targets the suite cannot use: each run ends early with one clear line, a non-zero exit and,
once the options are valid, a report saying why. The runs go in parallel to keep the time low."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import pytest

from conformance.plugin import EXIT_UNUSABLE_TARGET
from tests.harness import SuiteRun

from . import servers
from .runner import assert_ended_cleanly, run_hostile, selected
from .targets import BY_NAME, HOSTILE

# Each run starts a Python and pytest (a few seconds of CPU); a hostile wait adds at most the
# request timeout. Four runs at a time share the machine, hence the margin.
WITHIN = 60.0
PARALLEL_RUNS = 4
# pytest's own summary line, then the reason.
MAX_LINES = 3


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest) -> Iterator[dict[str, SuiteRun]]:
    """One suite run per selected row, all started together, each against its own server."""
    chosen = selected(request)
    with ExitStack() as stack:
        urls = {name: stack.enter_context(BY_NAME[name].serve("127.0.0.1", 0)) for name in chosen}
        with ThreadPoolExecutor(PARALLEL_RUNS) as pool:
            futures = {
                name: pool.submit(run_hostile, urls[name], *BY_NAME[name].args) for name in chosen
            }
            yield {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("name", [h.name for h in HOSTILE])
def test_a_hostile_target_ends_the_run_cleanly(name: str, runs: dict[str, SuiteRun]) -> None:
    hostile, run = BY_NAME[name], runs[name]
    assert_ended_cleanly(run, hostile.message, within=WITHIN)
    assert run.returncode == hostile.returncode, run.output[-2000:]
    lines = run.output.strip().splitlines()
    assert len(lines) <= MAX_LINES, "the reason, not a page of noise:\n" + run.output[-2000:]


@pytest.mark.parametrize("name", [h.name for h in HOSTILE if h.returncode == EXIT_UNUSABLE_TARGET])
def test_an_unusable_target_leaves_a_report_saying_why(
    name: str, runs: dict[str, SuiteRun]
) -> None:
    run = runs[name]
    assert run.report.get("aborted"), sorted(run.reports)
    assert "\n" not in run.report["aborted"], "the reason fits on one line"
    assert "The run stopped" in run.reports["conformance.md"]


@pytest.mark.parametrize("name", ["redirect"])
def test_a_redirect_is_not_followed_with_credentials(name: str, runs: dict[str, SuiteRun]) -> None:
    assert runs[name].returncode == EXIT_UNUSABLE_TARGET
    assert servers.REDIRECT_DESTINATION.authorizations == []
