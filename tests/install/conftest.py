"""The kit as an implementer installs it: the wheel built once from this checkout (from its
sdist), installed by action.yml's own install step (the runtime lock, hashes required) into one
fresh venv per test session, outside the checkout."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.harness import ROOT
from tests.install.action import run_step

BUILD_TIMEOUT = 300


@dataclass(frozen=True)
class InstalledKit:
    runner_temp: Path  # the venv is its devices-api-conformance/, as the action makes it
    wheel: Path

    def command(self, name: str) -> str:
        return str(self.runner_temp / "devices-api-conformance" / "bin" / name)


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    # The sdist first, the wheel from it: both build, and nothing is written in the checkout.
    done = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)],
        capture_output=True, text=True, timeout=BUILD_TIMEOUT, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (built,) = dist.glob("devices_api_conformance-*.whl")
    return built


@pytest.fixture(scope="session")
def installed_kit(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> InstalledKit:
    runner_temp = tmp_path_factory.mktemp("runner-temp")
    done = run_step(
        "Install the conformance kit", {"base-url": "unused", "kit": str(wheel)},
        runner_temp, cwd=runner_temp,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return InstalledKit(runner_temp, wheel)


@pytest.fixture
def empty_folder(tmp_path: Path) -> Path:
    """A folder of the implementer's own: nothing of the kit in it."""
    folder = tmp_path / "server-repository"
    folder.mkdir()
    return folder
