"""The installed kit, run from an empty folder as an implementer's CI runs it: `pytest --pyargs
conformance` fails a broken server and writes its reports where it ran, an unusable target
ends the run as from a checkout, and an unrelated pytest run in the same venv is left alone.
The console script against a correct and a broken server: test_action.py."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conformance.plugin import EXIT_UNUSABLE_TARGET
from tests.broken.catalogue import by_name
from tests.harness import run_command, served, suite_environment
from tests.install.conftest import InstalledKit

# Fewer generated requests than a user's run: the point here is where the kit runs from.
QUICK = ("-q", "-p", "no:cacheprovider", "--fuzz-examples", "3")


def test_pytest_pyargs_fails_a_broken_server(
    installed_kit: InstalledKit, empty_folder: Path
) -> None:
    broken = by_name("me-user-name-upper-case")
    with served(broken.build()) as url:
        command = [
            installed_kit.command("pytest"), "--pyargs", "conformance", "--base-url", url,
            "--report-dir", "out", *QUICK,
        ]  # fmt: skip
        run = run_command(command, empty_folder, empty_folder / "out")
    assert run.returncode == 1, run.output[-3000:]
    assert set(broken.breaks) <= run.failed, run.failed
    assert (empty_folder / "out" / "conformance.html").is_file()


def test_an_unusable_target_gives_the_same_exit_code_installed(
    installed_kit: InstalledKit, empty_folder: Path
) -> None:
    command = [
        installed_kit.command("devices-api-conformance"),
        "--base-url", "http://127.0.0.1:9/api/v2", *QUICK,
    ]  # fmt: skip
    run = run_command(command, empty_folder, empty_folder / "reports")
    assert run.returncode == EXIT_UNUSABLE_TARGET, run.output[-3000:]
    assert run.report["aborted"], run.report


def test_an_unrelated_pytest_run_is_left_alone(
    installed_kit: InstalledKit, empty_folder: Path
) -> None:
    """The plugin is installed for every pytest run in the venv; another project's tests,
    with a target of their own for pytest-base-url and a marker named like the kit's, run as
    if it were not there: nothing skipped, no report written."""
    (empty_folder / "pytest.ini").write_text(
        "[pytest]\nbase_url = http://127.0.0.1:9/\nmarkers =\n    writes(level): theirs\n",
        encoding="utf-8",
    )
    (empty_folder / "test_other.py").write_text(
        "import pytest\n\n\n@pytest.mark.writes('reversible')\n"
        "def test_other(base_url):\n    assert base_url == 'http://127.0.0.1:9/'\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [installed_kit.command("pytest"), "-q", "-p", "no:cacheprovider", "-rs"],
        cwd=empty_folder,
        env=suite_environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert "1 passed" in done.stdout, done.stdout
    assert "Devices API conformance" not in done.stdout
    left = sorted(p.name for p in empty_folder.iterdir() if p.name != "__pycache__")
    assert left == ["pytest.ini", "test_other.py"]
