"""Faults that start after discovery (tests/hostile/late.py): the reference server answers
normally except on some requests, where it hangs, trickles, sends garbage or a body of hundreds
of megabytes. The cases meeting the fault fail under the requirement it breaks; the others pass;
the run completes on time, also when every request for one device is slow for the whole run."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from conformance.reference import ReferenceApp
from conformance.reference.fixtures import DEFAULT_FIXTURES
from tests.harness import SuiteRun

from . import servers
from .late import LATE, SLOW, STOPPING, Late, faulty
from .runner import SECRET, assert_ended_cleanly, run_hostile, selected

TESTS_FAILED = 1
WITHIN = 60.0
# A case that never meets the fault, to show the run goes on around it.
UNAFFECTED = "test_me_returns_the_caller"
UNAFFECTED_ID = "DEV-ME-001"
LATE_BY_NAME = {late.name: late for late in LATE}
SLOW_BY_NAME = {slow.name: slow for slow in SLOW}


@pytest.fixture(scope="module")
def fixtures_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference fixtures with SECRET as every password, so the leak checks can find it."""
    document = yaml.safe_load(DEFAULT_FIXTURES.read_text(encoding="utf-8"))
    for user in document["users"].values():
        user["password"] = SECRET
    path = tmp_path_factory.mktemp("hostile") / "fixtures.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest, fixtures_path: Path) -> dict[str, SuiteRun]:
    """One run per fault, in parallel, each against its own faulty reference server."""

    def run(late: Late) -> SuiteRun:
        app = faulty(ReferenceApp(fixtures_path), late)
        with servers.wsgi_server(app) as url:
            return run_hostile(url, "--request-timeout", late.timeout, "-k", selection(late))

    STOPPING.clear()
    chosen = [name for name in selected(request) if name in LATE_BY_NAME]
    with ThreadPoolExecutor(max(len(chosen), 1)) as pool:
        done = dict(zip(chosen, pool.map(run, [LATE_BY_NAME[n] for n in chosen]), strict=True))
    STOPPING.set()  # releases the server threads still hanging
    return done


def selection(late: Late) -> str:
    return f"({late.cases}) or {UNAFFECTED}"


@pytest.mark.parametrize("name", list(LATE_BY_NAME))
def test_a_late_fault_fails_only_the_cases_meeting_it(name: str, runs: dict[str, SuiteRun]) -> None:
    late, run = LATE_BY_NAME[name], runs[name]
    assert_ended_cleanly(run, late.message, within=WITHIN)
    assert run.returncode == TESTS_FAILED, run.output[-2000:]
    statuses = {r["id"]: r["status"] for r in run.report["requirements"]}
    assert statuses[late.broken] == "fail", run.output[-2000:]
    assert statuses[UNAFFECTED_ID] == "pass", run.output[-2000:]
    assert not run.report["aborted"]


# ---------------------------------------------------------------- slow for the whole run

SLOW_TIMEOUT = 2.0
# The breaker spends at most LIMIT timeouts on each of the three single-device operations;
# the rest of the run is a run against the reference server. Loaded machines get a margin.
SLOW_WITHIN = 100.0


@pytest.fixture(scope="module")
def slow_runs(request: pytest.FixtureRequest, fixtures_path: Path) -> dict[str, SuiteRun]:
    """Whole runs, writes included, each against its own slow reference server."""

    def run(slow: Late) -> SuiteRun:
        app = faulty(ReferenceApp(fixtures_path), slow)
        with servers.wsgi_server(app) as url:
            return run_hostile(url, "--writes", "all", "--request-timeout", f"{SLOW_TIMEOUT:g}")

    STOPPING.clear()
    chosen = [name for name in selected(request) if name in SLOW_BY_NAME]
    with ThreadPoolExecutor(max(len(chosen), 1)) as pool:
        done = dict(zip(chosen, pool.map(run, [SLOW_BY_NAME[n] for n in chosen]), strict=True))
    STOPPING.set()
    return done


@pytest.mark.parametrize("name", list(SLOW_BY_NAME))
def test_a_slow_operation_costs_a_few_timeouts(name: str, slow_runs: dict[str, SuiteRun]) -> None:
    """The breaker ends each slow operation after a few timeouts: the run is bounded, the
    affected cases fail or are not run, naming the timeouts, and the rest is judged."""
    slow, run = SLOW_BY_NAME[name], slow_runs[name]
    assert_ended_cleanly(run, slow.message, within=SLOW_WITHIN)
    assert run.returncode == TESTS_FAILED, run.output[-2000:]
    assert not run.report["aborted"]
    statuses = {r["id"]: r["status"] for r in run.report["requirements"]}
    assert statuses[slow.broken] == "fail", run.output[-2000:]
    assert statuses[UNAFFECTED_ID] == "pass", run.output[-2000:]
    not_run = [c for c in run.report["cases"] if "times in a row" in c["message"]]
    assert not_run, "no case was reported as not run after the timeouts"
    totals = run.report["case_totals"]
    assert totals.get("pass", 0) > 100, totals
