"""The kit as an implementer installs it: the wheel built once from this checkout, installed
with the runtime lock (hashes required) into one fresh venv per test session, outside the
checkout."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.harness import ROOT

INSTALL_TIMEOUT = 600


@dataclass(frozen=True)
class InstalledKit:
    venv: Path
    wheel: Path

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    def command(self, name: str) -> str:
        return str(self.bin / name)


def run(command: list[str], cwd: Path) -> None:
    done = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=False
    )
    assert done.returncode == 0, f"{' '.join(command)}\n{done.stdout[-3000:]}{done.stderr[-3000:]}"


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    # The sdist first, the wheel from it: both build, and nothing is written in the checkout.
    run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)], ROOT)
    (built,) = dist.glob("devices_api_conformance-*.whl")
    return built


@pytest.fixture(scope="session")
def installed_kit(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> InstalledKit:
    venv = tmp_path_factory.mktemp("venv")
    run([sys.executable, "-m", "venv", str(venv)], venv)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    run([*pip, "--require-hashes", "-r", str(ROOT / "requirements.lock")], venv)
    run([*pip, "--no-deps", str(wheel)], venv)
    return InstalledKit(venv, wheel)


@pytest.fixture
def empty_folder(tmp_path: Path) -> Path:
    """A folder of the implementer's own: nothing of the kit in it."""
    folder = tmp_path / "server-repository"
    folder.mkdir()
    return folder
