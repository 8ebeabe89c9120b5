"""schemathesis's own command line against the reference server, with the project's contract and
every check, as each identity: no failure. Configured narrowly where a check disagrees with a
decision of the contract (openapi/decisions.md; see schemathesis.toml beside this file)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.contract.contract import SPEC_PATH
from conformance.reference.app import ReferenceApp
from conformance.reference.server import credentials
from tests.harness import served

CONFIG = Path(__file__).with_name("schemathesis.toml")
ST = shutil.which("st") or str(Path(sys.executable).with_name("st"))

# positive_data_acceptance stays off: whether a schema-valid request is accepted depends on what
# no schema holds (the device's state: an operation not among its capabilities is refused; the
# numbering plans: a well-formed number of no country is refused; unknown `fields` names may be
# refused with 400). The conformance suite tests acceptance where the answer is fixed.
EXCLUDED = "positive_data_acceptance"


@pytest.mark.parametrize("identity", ["admin", "supervisor", "agent", "other-agent"])
def test_schemathesis_finds_no_failure(identity: str, tmp_path: Path) -> None:
    """Runs `st run` with --checks all as the identity; it exits 0."""
    user, password = credentials()[identity]
    with served(ReferenceApp()) as url:
        done = subprocess.run(
            [
                ST, "--config-file", str(CONFIG), "run", str(SPEC_PATH), "--url", url,
                "--checks", "all", "--exclude-checks", EXCLUDED, "--auth", f"{user}:{password}",
                "--max-examples", "10", "--generation-deterministic", "--no-color",
            ],
            cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
