"""The proof that the conformance suite catches every rule it claims: it runs, as a user would,
against each broken server of the catalogue and must report the planted fault under its
requirement. (That the unbroken reference server passes, in both profiles, is proved beside the
other correct servers: the controls of tests/variants.)

The runs are subprocesses (`pytest conformance --base-url ...`), a few at a time, each against
its own app served from a thread of this process. They start when the first item needs them;
each item waits for its own run. The detection table goes to reports/broken-servers.{md,json}.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pytest

from conformance.contract.contract import every_requirement

from .catalogue import CATALOGUE, NOT_TESTED, Broken
from .detection import Detection, detect, write_reports

# Each run is a pytest subprocess plus an app served from this process: on the 2-core CI
# machine three at a time keep both cores busy while one run starts up.
WORKERS = int(os.environ.get("BROKEN_SERVER_WORKERS", "3"))


def params() -> list[Any]:
    found: list[Any] = []
    for row in CATALOGUE:
        marks = [pytest.mark.xfail(reason=row.gap, strict=True)] if row.gap else []
        found.append(pytest.param(row, id=row.name, marks=marks))
    return found


class Runs:
    """Runs of the suite, WORKERS at a time, each started at the latest when a test asks."""

    def __init__(self, pool: ThreadPoolExecutor) -> None:
        self.pool = pool
        self.futures: dict[str, Future[Detection]] = {}

    def start(self, row: Broken) -> Future[Detection]:
        if row.name not in self.futures:
            self.futures[row.name] = self.pool.submit(detect, row)
        return self.futures[row.name]

    def result(self, row: Broken) -> Detection:
        return self.start(row).result()


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest) -> Iterator[Runs]:
    """Starts every selected run up front, the slowest (fuzzing) first. Under xdist a worker
    gets the whole module with --dist loadfile or loadscope (as `make test` runs); otherwise it
    cannot know which items it will get, so each test starts its own run there (and each
    worker's report holds only its own runs)."""
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="broken") as pool:
        found = Runs(pool)
        if holds_whole_module(request.config):
            for row in sorted(selected_rows(request), key=by_cost):
                found.start(row)
        yield found
        done = [future.result() for future in found.futures.values()]
    write_reports(sorted(done, key=catalogue_order), time.monotonic() - started, WORKERS)


def holds_whole_module(config: pytest.Config) -> bool:
    if not hasattr(config, "workerinput"):
        return True
    return config.getoption("dist", "no") in {"loadfile", "loadscope"}


def by_cost(row: Broken) -> bool:
    return not row.fuzz


def catalogue_order(found: Detection) -> int:
    return [row.name for row in CATALOGUE].index(found.name)


def selected_rows(request: pytest.FixtureRequest) -> list[Broken]:
    """The rows whose items this session runs."""
    rows: list[Broken] = []
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        if (
            getattr(item, "module", None) is request.module
            and callspec
            and "row" in callspec.params
        ):
            rows.append(callspec.params["row"])
    return rows


@pytest.mark.parametrize("row", params())
def test_the_suite_reports_the_planted_fault(row: Broken, runs: Runs) -> None:
    """Runs the suite against the broken server; its IDs fail and the run exits non-zero."""
    found = runs.result(row)
    assert found.returncode != 0, f"{row.name}: the run passed\n{found.output}"
    assert not found.missed, (
        f"{row.name} ({row.fault}): {', '.join(found.missed)} did not fail; "
        f"failed: {', '.join(found.failed) or 'nothing'}\n{found.output}"
    )


@pytest.mark.parametrize("row", [p for p in params() if p.values[0].unfinished])
def test_an_unfinished_server_gets_a_full_verdict(row: Broken, runs: Runs) -> None:
    """Discovery met the fault: the run still judges the rest (exit 1, not aborted), most of
    its cases pass, and only the fault's own requirements fail."""
    found = runs.result(row)
    assert found.returncode == 1, f"{row.name}: exit {found.returncode}\n{found.output}"
    assert found.aborted is None, found.aborted
    passed = found.case_totals.get("pass", 0)
    assert passed > sum(found.case_totals.values()) / 2, (row.name, found.case_totals)
    unexpected = set(found.failed) - {*row.breaks, *row.consequences}
    assert not unexpected, f"{row.name}: also failed {sorted(unexpected)}\n{found.output}"


def test_every_must_and_should_has_a_broken_server() -> None:
    """Each MUST and SHOULD of the catalogue is broken by a server or says why none can break
    it."""
    broken = {req_id for row in CATALOGUE for req_id in row.breaks}
    checked = {r.id for r in every_requirement().values() if r.level in {"MUST", "SHOULD"}}
    assert sorted(checked - broken - set(NOT_TESTED)) == []


def test_rows_name_known_requirements_once() -> None:
    """Broken servers have unique names and name requirements of the catalogue."""
    names = [row.name for row in CATALOGUE]
    assert len(names) == len(set(names))
    known = set(every_requirement())
    assert sorted({i for row in CATALOGUE for i in row.breaks} - known) == []
    assert sorted(set(NOT_TESTED) - known) == []
