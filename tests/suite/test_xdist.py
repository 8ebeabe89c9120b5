"""The suite under pytest-xdist as users spread it: workers that inherit nothing from the
controller's environment (as over `--tx ssh=...`) still get the credentials, and a target that
cannot be used ends the run with the same one line and report as without xdist."""

from __future__ import annotations

import re

import pytest

from conformance.contract.identities import IDENTITIES
from conformance.plugin import EXIT_UNUSABLE_TARGET
from conformance.reference.app import ReferenceApp
from conformance.target.target import env_var
from tests.harness import run_suite, served
from tests.hostile.servers import closed_port

# execnet's `env:NAME=value` sets a variable in the worker: empty, as on a fresh SSH login.
BARE_WORKERS = "2*popen" + "".join(f"//env:{env_var(identity)}=" for identity in IDENTITIES)


def test_workers_without_the_environment_still_act_as_every_identity() -> None:
    with served(ReferenceApp()) as url:
        run = run_suite(url, "--dist", "load", "--tx", BARE_WORKERS, "-k", "DEV-PERM", "-rs")
    assert run.returncode == 0, run.output[-2000:]
    assert "no credentials" not in run.output, run.output[-2000:]
    passed = [r["id"] for r in run.report["requirements"] if r["status"] == "pass"]
    assert "DEV-PERM-006" in passed, run.report["requirements"]


def test_an_unusable_target_ends_a_distributed_run_with_its_reason() -> None:
    with closed_port() as url:
        run = run_suite(url, "-n", "2")
    assert run.returncode == EXIT_UNUSABLE_TARGET, run.output[-2000:]
    assert "INTERNALERROR" not in run.output, run.output[-2000:]
    assert f"Cannot use {url}" in run.output, run.output[-2000:]
    assert "connection refused" in run.report.get("aborted", ""), run.report


def workers_used(output: str) -> list[str]:
    """The worker of each case, from the verbose lines of a distributed run."""
    return re.findall(r"^\[(gw\d+)\] .*(?:PASSED|FAILED|SKIPPED|ERROR) ", output, re.M)


SELECTION = ("-n", "2", "-vv", "-k", "DEV-PERM-007 or DEV-OPS or DEV-ME or DEV-LIST")


@pytest.mark.parametrize("dist", ["load", "loadfile"])
def test_with_writes_on_a_shared_target_every_case_runs_on_one_worker(dist: str) -> None:
    """Two workers creating devices from the same free numbers, or one toggling a device while
    the other compares two reads of it, would each see the other's change. Whatever --dist
    says."""
    with served(ReferenceApp()) as url:
        run = run_suite(url, *SELECTION, "--dist", dist)  # run_suite gives --writes all
    assert run.returncode == 0, run.output[-2000:]
    workers = workers_used(run.output)
    assert len(workers) > 10, run.output[-2000:]
    assert len(set(workers)) == 1, sorted(set(workers))
    assert "every case runs on one worker" in run.output
    # The cases keep the names they have without -n, in the console and in junit.xml.
    assert "@writes" not in run.output + run.reports["junit.xml"], run.output[-2000:]


def test_a_read_only_run_spreads_over_the_workers() -> None:
    with served(ReferenceApp()) as url:
        run = run_suite(url, *SELECTION, "--writes", "none")
    assert run.returncode == 0, run.output[-2000:]
    assert set(workers_used(run.output)) == {"gw0", "gw1"}, run.output[-2000:]
    assert "every case runs on one worker" not in run.output
