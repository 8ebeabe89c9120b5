"""A target judged by the other profile than the one it answers in is told so in one line before
any case runs (exit 10), whether discovery sees the monitoring shape or the suite's own ListenIn
shows it; the same target under its own profile passes (tests/broken and tests/variants prove
the rest of each profile)."""

from __future__ import annotations

import pytest

from conformance.plugin import EXIT_UNUSABLE_TARGET
from conformance.reference import ReferenceApp
from conformance.reference.server import credentials
from conformance.reference.state import OperationRequest
from tests.broken.detection import WITHOUT_FUZZING
from tests.harness import run_suite, served

SUPERVISOR_DEVICE = "7534920b-ff4c-4c38-8014-6f2b82465747"
AGENT_DEVICE = "0c754c1f-7a65-4a7f-9a2b-c5bb5c983653"


def monitoring_already(profile: str) -> ReferenceApp:
    """The reference server whose supervisor listens in on the agent from the start."""
    app = ReferenceApp(profile=profile)
    supervisor = app.store.user_by_name(credentials()["supervisor"][0])
    assert supervisor is not None
    target = f"http://127.0.0.1/api/v2/devices/{AGENT_DEVICE}"
    app.store.operate(SUPERVISOR_DEVICE, supervisor, OperationRequest("ListenIn", None, target))
    return app


@pytest.mark.parametrize(("served_as", "judged_as"), [("8.5.2", "8.5.0"), ("8.5.0", "8.5.2")])
def test_the_suites_own_listen_in_tells_the_other_shape(served_as: str, judged_as: str) -> None:
    with served(ReferenceApp(profile=served_as)) as url:
        run = run_suite(url, "--api-version", judged_as, "--writes", "reversible", *WITHOUT_FUZZING)
    assert run.returncode == EXIT_UNUSABLE_TARGET, run.output[-3000:]
    line = f"the target answers in the {served_as} profile's shape, not {judged_as}'s"
    assert line in run.output, run.output[-3000:]
    assert f"run again with --api-version {served_as}" in run.output
    assert "Traceback" not in run.output
    assert line in str(run.report.get("aborted")), run.report.get("aborted")
    assert not run.failed, "no case ran, so none failed"


@pytest.mark.parametrize(("served_as", "judged_as"), [("8.5.2", "8.5.0"), ("8.5.0", "8.5.2")])
def test_a_read_only_run_tells_it_from_what_discovery_saw(served_as: str, judged_as: str) -> None:
    with served(monitoring_already(served_as)) as url:
        run = run_suite(url, "--api-version", judged_as, "--writes", "none", *WITHOUT_FUZZING)
    assert run.returncode == EXIT_UNUSABLE_TARGET, run.output[-3000:]
    assert f"device {SUPERVISOR_DEVICE} shows supervisorMonitoringState as" in run.output


@pytest.mark.parametrize("profile", ["8.5.0", "8.5.2"])
def test_a_monitoring_target_passes_under_its_own_profile(profile: str) -> None:
    with served(monitoring_already(profile)) as url:
        run = run_suite(url, "--api-version", profile, "--writes", "none", *WITHOUT_FUZZING)
    assert run.returncode == 0, run.output[-3000:]
    assert run.report["target"]["api_version"] == profile
