"""One conformance run, shared by the report tests: the suite as a user runs it, in a subprocess,
against the reference server with two planted faults and passwords chosen here, so the reports
hold failures, curl lines and a wrong matrix cell, and a leaked password would be recognised."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from conformance.reference import ReferenceApp
from conformance.reference.server import credentials
from tests.broken.catalogue import by_name
from tests.harness import ROOT, run_suite, served, suite_environment

FIXTURES = ROOT / "conformance" / "reference" / "fixtures.yaml"


# Two faults of the broken-server table the reports must show: anyone reads any device (breaks
# DEV-PERM-003 for agents and the supervisor), and an unknown device id is a 500, which the
# fuzzing phase meets with generated ids and reports with its own reproduction (the
# Authorization header must stay out of it).
PLANTED = ("any-device-by-id", "missing-device-500")


def planted_faults(fixtures: Path) -> ReferenceApp:
    """The reference server with both rows' replacements, on the fixtures given."""
    bases = tuple(by_name(name).build for name in PLANTED)
    assert all(isinstance(b, type) and issubclass(b, ReferenceApp) for b in bases)
    app_class = type("PlantedFaults", bases, {})
    return app_class(fixtures_path=fixtures)


@dataclass
class Run:
    report_dir: Path
    returncode: int
    output: str
    credentials: dict[str, tuple[str, str]]  # persona -> (userName, password)

    def secrets(self) -> list[str]:
        """Each password, and the HTTP Basic token a client builds from it."""
        found = []
        for user, password in self.credentials.values():
            found += [password, base64.b64encode(f"{user}:{password}".encode()).decode()]
        return found


def fixtures_with_new_passwords(directory: Path) -> Path:
    """A copy of the fixtures whose passwords appear nowhere in the repository."""
    data = yaml.safe_load(FIXTURES.read_text(encoding="utf-8"))
    for persona, user in data["users"].items():
        user["password"] = f"{persona}-{secrets.token_hex(8)}"
    path = directory / "fixtures.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def faulty_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    scratch = tmp_path_factory.mktemp("faulty-run")
    fixtures = fixtures_with_new_passwords(scratch)
    report_dir = scratch / "reports"
    logins = credentials(fixtures)
    with served(planted_faults(fixtures)) as base_url:
        # -rA and -l print the most a console can: every outcome's text and the locals of
        # tracebacks, so a credential anywhere in the suite's state would reach the output.
        run = run_suite(
            base_url, "--fuzz-examples", "5", "-rA", "-l",
            env=suite_environment(logins), timeout=600, report_dir=report_dir,
        )  # fmt: skip
    return Run(report_dir, run.returncode, run.output, logins)
