"""The suite's command line as a user meets it: selection by requirement ID, warnings for a
broken SHOULD and --strict, visible skips for missing credentials."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from conformance.reference.app import ReferenceApp
from tests.broken.catalogue import by_name
from tests.harness import ROOT, Recorder, run_command, run_suite, served, suite_environment

# Accepts CancelSupervisorMonitoring but never lists it: breaks DEV-MON-004, a SHOULD.
NO_CANCEL_OFFERED = by_name("cancel-not-offered")


def collect(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "conformance", "--collect-only", "-q", *args],
        cwd=ROOT, capture_output=True, text=True, check=False, env=suite_environment(),
    )  # fmt: skip
    return done.stdout


def test_a_requirement_id_selects_its_cases() -> None:
    """`-k DEV-FLD-004` collects the cases of that requirement and no other."""
    listed = [line for line in collect("-k", "DEV-FLD-004").splitlines() if "::" in line]
    assert listed, "no case selected"
    assert all("test_id_is_always_returned" in line for line in listed), listed


def test_an_area_prefix_selects_the_area() -> None:
    """`-k DEV-OPS` collects the operation cases only."""
    listed = [line for line in collect("-k", "DEV-OPS").splitlines() if "::" in line]
    assert listed
    assert all("test_operations.py" in line for line in listed), listed


def test_generated_requests_come_last_the_largest_first() -> None:
    """The generated requests end the run (they change state no case restores); among them
    the sequences, then the writes, then the reads: with -n, xdist hands items out in this
    order, and the largest last would leave one worker running it alone."""
    listed = [line for line in collect().splitlines() if "::" in line]
    fuzz = [i for i, line in enumerate(listed) if "test_fuzz.py" in line]
    assert fuzz == list(range(len(listed) - len(fuzz), len(listed))), "fuzz items not last"
    sizes = [fuzz_size(listed[i]) for i in fuzz]
    assert set(sizes) == {"sequences", "writes", "reads"}
    assert sizes == sorted(sizes, key=["sequences", "writes", "reads"].index), listed[fuzz[0] :]


def fuzz_size(nodeid: str) -> str:
    if "test_linked_sequences_conform" in nodeid:
        return "sequences"
    return "reads" if "[GET " in nodeid else "writes"


def test_a_broken_should_warns_and_fails_only_under_strict() -> None:
    """A server that breaks a SHOULD passes with a warning, and fails with --strict."""
    with served(NO_CANCEL_OFFERED.build()) as url:
        lenient = run_suite(url, "-k", "DEV-MON")
        strict = run_suite(url, "-k", "DEV-MON", "--strict")
    assert lenient.returncode == 0, lenient.output[-2000:]
    assert "DEV-MON-004" in lenient.failed
    assert "WARNING DEV-MON-004" in lenient.output
    assert strict.returncode == 1, strict.output[-2000:]
    assert "DEV-MON-004" in strict.failed


def test_an_identity_without_credentials_is_skipped_visibly() -> None:
    """Without supervisor credentials its cases are skipped, saying which variable to set."""
    env = suite_environment()
    del env["DEVICES_API_SUPERVISOR"]
    with served(ReferenceApp()) as url:
        run = run_suite(url, "-k", "DEV-ME-001", "-rs", env=env)
    assert run.returncode == 0, run.output[-2000:]
    assert "no credentials for supervisor" in run.output
    assert "DEVICES_API_SUPERVISOR" in run.output


def test_a_read_only_run_sends_only_gets() -> None:
    """With --writes none (the default against --base-url) every request is a GET."""
    app = Recorder(ReferenceApp())
    with served(app) as url:
        run = run_suite(url, "--writes", "none")
    assert run.returncode == 0, run.output[-2000:]
    methods = {received.method for received in app.received}
    assert methods == {"GET"}, sorted(methods)


def test_a_reversible_run_creates_nothing() -> None:
    """With --writes reversible the only POSTs are device operations, no device is new, and
    every device ends as it started: each case undid what it changed."""
    app = Recorder(ReferenceApp())
    before = set(app.app.store.devices())
    with served(app) as url:
        run = run_suite(url, "--writes", "reversible")
    assert run.returncode == 0, run.output[-2000:]
    posts = [received.path for received in app.received if received.method == "POST"]
    assert posts, "no operation was sent"
    creates = [path for path in posts if path.rstrip("/").endswith("/devices")]
    assert not creates, creates
    after = set(app.app.store.devices())
    assert after == before, sorted(d.id for d in after ^ before)


def test_a_broken_should_shows_in_junit_the_console_and_the_step_summary(tmp_path: Path) -> None:
    """Passed, yet visible: a `warning` property on its JUnit case, counted apart in the
    console's last line, and the Markdown report appended to GitHub's step summary."""
    step_summary = tmp_path / "step-summary.md"
    step_summary.write_text("earlier step\n", encoding="utf-8")
    env = {**suite_environment(), "GITHUB_STEP_SUMMARY": str(step_summary)}
    with served(NO_CANCEL_OFFERED.build()) as url:
        command = [
            sys.executable, "-m", "pytest", "conformance", "--base-url", url, "--writes", "all",
            "--report-dir", str(tmp_path), "-q", "-p", "no:cacheprovider", "-k", "DEV-MON",
        ]  # fmt: skip
        run = run_command(command, ROOT, tmp_path, env)
    assert run.returncode == 0, run.output[-2000:]
    assert re.search(r"\d+ broken SHOULD", run.output.splitlines()[-1]), run.output[-500:]
    cases = ET.parse(tmp_path / "junit.xml").getroot().iter("testcase")
    warnings = [
        prop.get("value", "")
        for case in cases
        for prop in case.iter("property")
        if prop.get("name") == "warning"
    ]
    assert warnings, "no case of junit.xml says it broke a SHOULD"
    assert all(w.startswith("DEV-MON-004 (SHOULD): ") for w in warnings), warnings
    summary = step_summary.read_text(encoding="utf-8")
    assert summary.startswith("earlier step\n# Devices API conformance"), summary[:200]
    assert "DEV-MON-004" in summary
