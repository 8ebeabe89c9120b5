"""The suite's own options: a value that cannot work is refused at once with a usage line, and
--rate-limit holds for the whole run, however many xdist workers share it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conformance.plugin import EXIT_USAGE
from conformance.reference.app import ReferenceApp
from tests.harness import ROOT, Received, Recorder, run_suite, served, suite_environment


@pytest.mark.parametrize(
    ("option", "value", "reason"),
    [
        ("--rate-limit", "0", "must be above 0, not 0"),
        ("--rate-limit", "fast", "not a number: 'fast'"),
        ("--request-timeout", "-1", "must be above 0, not -1"),
        ("--fuzz-examples", "0", "must be above 0, not 0"),
        ("--fuzz-examples", "2.5", "not a whole number: '2.5'"),
        ("--ca-bundle", "no-such-ca.pem", "no readable file at 'no-such-ca.pem'"),
        ("--api-version", "8.6.0", "invalid choice: '8.6.0'"),
    ],
)
def test_a_value_that_cannot_work_is_a_usage_error(option: str, value: str, reason: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "conformance", option, value, "-p", "no:cacheprovider"],
        cwd=ROOT, capture_output=True, text=True, check=False, env=suite_environment(),
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == EXIT_USAGE, output
    assert f"argument {option}: {reason}" in output, output
    assert "Traceback" not in output, output


def rate(received: list[Received]) -> float:
    """Requests per second between the first arrival and the last."""
    return (len(received) - 1) / (received[-1].at - received[0].at)


RATE = 60.0
# Discovery, then generated reads of GET /me, /me/devices and /devices as each identity:
# schemathesis's requests and the probes its ignored_auth check sends outside the suite's
# session (once per operation).
PACED_SELECTION = (
    "--writes", "none", "-k", "test_generated_requests_conform and not id and not users",
)  # fmt: skip


@pytest.mark.parametrize("workers", ["0", "2"])
def test_the_rate_limit_holds_for_the_whole_run(workers: str) -> None:
    app = Recorder(ReferenceApp())
    with served(app) as url:
        run = run_suite(url, "-n", workers, "--rate-limit", str(RATE), *PACED_SELECTION)
    assert run.returncode == 0, run.output[-2000:]
    assert len(app.received) > 2 * RATE, "too few requests to judge a rate"
    # 5% for the clocks of two processes; without the limit the reference server takes
    # several hundred per second.
    measured = rate(app.received)
    assert measured <= RATE * 1.05, f"{measured:.1f} requests per second"
