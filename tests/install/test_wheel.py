"""The installed kit, run from an empty folder as an implementer's CI runs it: `pytest --pyargs
conformance` fails a broken server and writes its reports where it ran, an unusable target
ends the run as from a checkout, and an unrelated pytest run in the same venv is left alone.
The console script against a correct and a broken server: test_action.py."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from conformance.plugin import EXIT_UNUSABLE_TARGET
from conformance.reference.app import ReferenceApp
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


# Loaded into an installed run from a folder of its own: what the run's configuration says of
# an undeclared marker and of where pytest keeps its cache, written where the test reads it.
SETTINGS_PROBE = """
import json, os, pytest

def pytest_collection_finish(session):
    try:
        pytest.mark.declared_by_nobody
        refused = False
    except pytest.fail.Exception:
        refused = True
    with open(os.environ["SETTINGS_PROBE_OUT"], "w") as out:
        json.dump({"refused": refused, "cache": str(session.config.cache._cachedir)}, out)
"""


def test_an_installed_run_leaves_only_its_reports_and_applies_the_kits_settings(
    installed_kit: InstalledKit, empty_folder: Path, tmp_path: Path
) -> None:
    """Run as a CI job runs it (the cache plugin on): the folder holds the reports and nothing
    else, no .pytest_cache/ or .hypothesis/; an undeclared marker is refused as in a checkout;
    the cache is in the user's cache folder."""
    probe_dir = tmp_path / "probe"
    probe_dir.mkdir()
    (probe_dir / "settings_probe.py").write_text(SETTINGS_PROBE, encoding="utf-8")
    env = suite_environment()
    env["PYTHONPATH"] = str(probe_dir)
    env["SETTINGS_PROBE_OUT"] = str(probe_dir / "found.json")
    env["XDG_CACHE_HOME"] = str(tmp_path / "user-cache")
    with served(ReferenceApp()) as url:
        command = [
            installed_kit.command("pytest"), "--pyargs", "conformance", "--base-url", url,
            "--fuzz-examples", "3", "-q", "-p", "settings_probe",
        ]  # fmt: skip
        run = run_command(command, empty_folder, empty_folder / "reports", env)
    assert run.returncode == 0, run.output[-3000:]
    assert sorted(p.name for p in empty_folder.iterdir()) == ["reports"]
    found = json.loads((probe_dir / "found.json").read_text())
    assert found["refused"], "an undeclared marker was taken"
    assert Path(found["cache"]).is_relative_to(tmp_path / "user-cache"), found["cache"]
