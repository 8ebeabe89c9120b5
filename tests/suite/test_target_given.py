"""pytest-base-url takes the target four ways: --base-url, PYTEST_BASE_URL, the `base_url` ini
setting and `-o base_url=...`. Each must give the same target, the same read-only default and
the same report. Every run starts from a folder of its own with `--pyargs conformance`, as an
implementer's repository would, its pytest.ini holding the ini setting where that is the way."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conformance.reference.app import ReferenceApp
from tests.harness import Recorder, run_command, served, suite_environment

WAYS = ("option", "environment", "ini-file", "ini-override")


def given(way: str, url: str, folder: Path) -> tuple[list[str], dict[str, str]]:
    """The arguments and environment that give the target `url` the way named."""
    env = suite_environment()
    env.pop("PYTEST_BASE_URL", None)
    if way == "option":
        return ["--base-url", url], env
    if way == "environment":
        return [], {**env, "PYTEST_BASE_URL": url}
    if way == "ini-file":
        (folder / "pytest.ini").write_text(f"[pytest]\nbase_url = {url}\n", encoding="utf-8")
        return [], env
    assert way == "ini-override"
    return ["-o", f"base_url={url}"], env


@pytest.mark.parametrize("way", WAYS)
def test_every_way_of_giving_the_target_is_read_only_by_default(way: str, tmp_path: Path) -> None:
    app = Recorder(ReferenceApp())
    folder = tmp_path / "project"
    folder.mkdir()
    with served(app) as url:
        args, env = given(way, url, folder)
        command = [
            sys.executable, "-m", "pytest", "--pyargs", "conformance", "-q",
            "-p", "no:cacheprovider", "--fuzz-examples", "5", *args,
        ]  # fmt: skip
        run = run_command(command, folder, folder / "reports", env)
    assert run.returncode == 0, run.output[-3000:]
    methods = sorted({received.method for received in app.received})
    assert methods == ["GET"], methods
    assert run.report["target"]["base_url"] == url
    assert run.report["target"]["writes"] == "none"
    assert "Devices API conformance" in (folder / "reports" / "conformance.md").read_text()
