"""Runs the conformance suite against a target as a user would, `pytest conformance` in a
subprocess with credentials in the environment, and checks that the run ended cleanly."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conformance.reference.server import credentials
from conformance.target import env_var

ROOT = Path(__file__).resolve().parents[2]
# Distinctive, so that any copy of it in an output or a report is found.
SECRET = "hostile-S3cret-pw"
# The reference fixtures' user names, so that a run against a reference-based server can log in
# when that server is given fixtures holding SECRET as every password.
USERS = {identity: user for identity, (user, _) in credentials().items()}
# Generous against a loaded machine; a run that outlives it was killed and fails every check.
KILL_AFTER = 120.0
MAX_RSS_MB = 600


@dataclass
class Run:
    returncode: int
    output: str
    elapsed: float
    max_rss_mb: float
    reports: dict[str, str] = field(default_factory=dict)  # file name -> text

    @property
    def report(self) -> dict[str, Any]:
        text = self.reports.get("conformance.json")
        return json.loads(text) if text else {}


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEVICES_API_")}
    env.update({env_var(identity): f"{user}:{SECRET}" for identity, user in USERS.items()})
    return env


def secrets() -> list[str]:
    """The password, and each Authorization value that carries it."""
    tokens = [base64.b64encode(f"{user}:{SECRET}".encode()).decode() for user in USERS.values()]
    return [SECRET, *tokens]


def run_suite(base_url: str, *args: str) -> Run:
    """`pytest conformance --base-url URL ARGS`; killed after KILL_AFTER seconds."""
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        report_dir = Path(tmp) / "reports"
        command = [
            sys.executable, "-m", "pytest", "conformance", "--base-url", base_url,
            "--report-dir", str(report_dir), "-q", "-p", "no:cacheprovider", *args,
        ]  # fmt: skip
        output_path = Path(tmp) / "output"
        with output_path.open("wb") as output:
            started = time.monotonic()
            returncode, rss_kb = wait_bounded(command, output)
            elapsed = time.monotonic() - started
        reports = {p.name: p.read_text(errors="replace") for p in report_dir.glob("*")}
        text = output_path.read_text(errors="replace")
    return Run(returncode, text, elapsed, rss_kb / 1024, reports)


def wait_bounded(command: list[str], output: Any) -> tuple[int, int]:
    """The exit code and peak resident memory (KiB) of the command. os.wait4 reports the memory
    of this child alone, where getrusage would mix every child of the test process."""
    process = subprocess.Popen(
        command, cwd=ROOT, env=environment(), stdin=subprocess.DEVNULL, stdout=output,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    watchdog = threading.Timer(KILL_AFTER, process.kill)
    watchdog.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)
    finally:
        watchdog.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_maxrss


def assert_ended_cleanly(run: Run, message: str, *, within: float) -> None:
    """What every hostile target must leave: a failed run, on time, saying `message` (a regular
    expression), without a crash of pytest, a traceback, a secret, or a memory blow-up."""
    shown = f"\n--- output ---\n{run.output[-3000:]}"
    assert run.returncode not in (0, -9), f"exit code {run.returncode}{shown}"
    assert run.elapsed < within, f"ran {run.elapsed:.1f} s, more than {within} s{shown}"
    assert re.search(message, run.output), f"no line matches {message!r}{shown}"
    assert "INTERNALERROR" not in run.output, shown
    assert run.output.count("Traceback (most recent call last)") == 0, shown
    assert run.max_rss_mb < MAX_RSS_MB, f"peak memory {run.max_rss_mb:.0f} MB"
    assert_no_secret(run)


def assert_no_secret(run: Run) -> None:
    places = {"output": run.output, **run.reports}
    for secret in secrets():
        leaks = [name for name, text in places.items() if secret in text]
        assert not leaks, f"a credential ({secret[:6]}...) appears in {leaks}"


def selected(request: pytest.FixtureRequest) -> list[str]:
    """The `name` parameters of the tests this session runs in the requesting module, so that
    a module-wide fixture starts only the runs they need (`-k hang` starts one, not all)."""
    names = set()
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        here = getattr(item, "module", None) is request.module
        if here and callspec is not None and "name" in callspec.params:
            names.add(str(callspec.params["name"]))
    return sorted(names)
