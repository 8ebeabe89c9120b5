"""action.yml's steps, run as GitHub's runner runs them, against the reference server: the run
step gates a correct server and fails a broken one, reports in the folder it ran in, the
credentials from its inputs and never in its output. The install step made the venv the
session's other tests use (conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path

from conformance.reference.app import ReferenceApp
from conformance.reference.server import credentials
from tests.broken.catalogue import by_name
from tests.harness import served
from tests.install.action import run_step
from tests.install.conftest import InstalledKit

RUN = "Run the conformance suite"


def credential_inputs() -> dict[str, str]:
    return {persona: f"{user}:{password}" for persona, (user, password) in credentials().items()}


def run_action(app: object, kit: InstalledKit, folder: Path) -> tuple[int, str, dict]:
    with served(app) as url:
        given = {
            "base-url": url,
            "report-dir": "conformance-out",
            "args": "--fuzz-examples 3 -q -p no:cacheprovider",
            **credential_inputs(),
        }
        done = run_step(RUN, given, kit.runner_temp, cwd=folder)
    output = done.stdout + done.stderr
    report_file = folder / "conformance-out" / "conformance.json"
    report = json.loads(report_file.read_text()) if report_file.exists() else {}
    return done.returncode, output, report


def test_the_action_passes_a_correct_server(installed_kit: InstalledKit, empty_folder: Path):
    returncode, output, report = run_action(ReferenceApp(), installed_kit, empty_folder)
    assert returncode == 0, output[-3000:]
    assert report["kit_version"] == installed_kit.wheel.name.split("-")[1]
    assert report["target"]["writes"] == "none"
    assert not [r["id"] for r in report["requirements"] if r["status"] == "fail"]
    assert (empty_folder / "conformance-out" / "junit.xml").is_file()
    assert "Traceback" not in output
    passwords = [value.split(":", 1)[1] for value in credential_inputs().values()]
    assert not [p for p in passwords if p in output]


def test_the_action_fails_a_broken_server(installed_kit: InstalledKit, empty_folder: Path):
    broken = by_name("me-user-name-upper-case")
    returncode, output, report = run_action(broken.build(), installed_kit, empty_folder)
    assert returncode == 1, output[-3000:]
    failed = {r["id"] for r in report["requirements"] if r["status"] == "fail"}
    assert set(broken.breaks) <= failed, failed
