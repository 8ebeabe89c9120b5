"""Runs the conformance suite the way a user does, `pytest conformance --base-url ...` in a
subprocess, against a WSGI app served on a free loopback port, and reads its verdicts back. The
one way the kit's tests (and its benchmarks) start the suite: the command, the environment, a
watchdog that kills a run outliving its time, the peak memory, and every report it wrote."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from werkzeug.wrappers import Request

from conformance.reference.server import credentials, serve
from conformance.target.target import env_var

ROOT = Path(__file__).resolve().parent.parent
KILLED = -9  # the exit status of a run the watchdog stopped


@dataclass
class SuiteRun:
    returncode: int
    output: str  # standard output and error, interleaved as written
    elapsed: float = 0.0
    max_rss_mb: float = 0.0
    reports: dict[str, str] = field(default_factory=dict)  # file name -> text

    @property
    def report(self) -> dict[str, Any]:
        text = self.reports.get("conformance.json")
        return json.loads(text) if text else {}

    @property
    def failed(self) -> set[str]:
        """Requirements that failed (MUST) or warned (SHOULD)."""
        return {
            r["id"]
            for r in self.report.get("requirements", [])
            if r["status"] in {"fail", "warning"}
        }


@dataclass(frozen=True)
class Received:
    """One request a recorded app answered."""

    at: float  # time.monotonic() on arrival
    request: Request  # body readable again
    status: int

    @property
    def method(self) -> str:
        return str(self.request.method)

    @property
    def path(self) -> str:
        return str(self.request.path)


class Recorder:
    """Wraps a WSGI app and keeps every request it answers, with its status, in arrival order."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.received: list[Received] = []
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        arrived = time.monotonic()
        # A chunked body goes to the app untouched, whatever Content-Length says: reading it
        # here would meet its framing first, broken framing included. The record has no body.
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        length = 0 if chunked else int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        if length:
            environ["wsgi.input"] = io.BytesIO(body)
        kept = Request({**environ, "wsgi.input": io.BytesIO(body)})
        statuses: list[int] = []

        def start(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            statuses.append(int(status.split()[0]))
            return start_response(status, headers, *exc)

        answer = list(self.app(environ, start))
        with self._lock:
            self.received.append(Received(arrived, kept, statuses[0] if statuses else 0))
        return answer


@contextmanager
def served(app: Any) -> Iterator[str]:
    """The app on a free loopback port, for as long as the block runs; yields its base URL."""
    with serve(app) as server:
        yield server.base_url


# The reference server's own line saying where it answers (conformance/reference/__main__.py).
SERVING = re.compile(r" at (https?://\S+)$")


@contextmanager
def reference_process(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None, start_timeout: float = 60
) -> Iterator[str]:
    """`python -m conformance.reference --port 0 ARGS` in a process of its own for as long as
    the block runs; yields the base URL it prints."""
    command = [sys.executable, "-m", "conformance.reference", "--port", "0", *args]
    with announced_process(command, "the reference server", cwd, env, start_timeout) as url:
        yield url


@contextmanager
def announced_process(
    command: Sequence[str],
    name: str,
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
    start_timeout: float = 60,
) -> Iterator[str]:
    """A server in a process of its own that prints the URL where it answers (`... at URL`),
    for as long as the block runs; yields that URL. One that has not said it within
    start_timeout seconds is killed, and RuntimeError says what it printed."""
    server = subprocess.Popen(
        command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        watchdog = threading.Timer(start_timeout, server.kill)
        watchdog.start()
        try:
            base_url = _announced(server, name)
        finally:
            watchdog.cancel()
        # Its later output (a warning, say) must not fill a pipe nobody reads.
        threading.Thread(target=_drain, args=(server,), daemon=True).start()
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def _announced(server: subprocess.Popen[str], name: str) -> str:
    assert server.stdout is not None
    said: list[str] = []
    for line in server.stdout:
        found = SERVING.search(line.strip())
        if found:
            return found.group(1)
        said.append(line.strip())
    raise RuntimeError(f"{name} did not start: {' / '.join(said[-3:])}")


def _drain(server: subprocess.Popen[str]) -> None:
    assert server.stdout is not None
    for _ in server.stdout:
        pass


def suite_environment(logins: Mapping[str, tuple[str, str]] | None = None) -> dict[str, str]:
    """The environment a user would set: a login per identity (the reference fixtures' unless
    given), nothing else of DEVICES_API_*; bytecode caching on, as the Makefile has it (without
    it pytest's start-up doubles)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEVICES_API_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for identity, (user, password) in (credentials() if logins is None else logins).items():
        env[env_var(identity)] = f"{user}:{password}"
    return env


def run_suite(
    base_url: str | None,
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 300,
    select: Sequence[str] = (),
    writes: str | None = "all",
    report_dir: Path | None = None,
) -> SuiteRun:
    """`pytest conformance [--base-url URL] [--writes WRITES] ARGS` in a subprocess (no URL:
    the embedded server; no writes: the run's default), reports in report_dir or a scratch
    folder."""
    target = ["--base-url", base_url] if base_url else []
    writing = ["--writes", writes] if writes else []
    with tempfile.TemporaryDirectory(prefix="conformance-") as scratch:
        reports = report_dir or Path(scratch) / "reports"
        command = [
            sys.executable, "-m", "pytest", "conformance", *target, *writing,
            "--report-dir", str(reports), "-q", "-p", "no:cacheprovider", *select, *args,
        ]  # fmt: skip
        return run_command(command, ROOT, reports, env, timeout)


def run_command(
    command: Sequence[str],
    cwd: Path,
    report_dir: Path,
    env: dict[str, str] | None = None,
    timeout: float = 300,
) -> SuiteRun:
    """A run of the suite however it is started, killed after `timeout` seconds, and the
    reports it left in report_dir. Output goes to a file: a pipe a run fills faster than it is
    read would stall it."""
    with tempfile.TemporaryFile() as output:
        started = time.monotonic()
        returncode, rss_kb = wait_bounded(command, cwd, env, output, timeout)
        elapsed = time.monotonic() - started
        output.seek(0)
        text = output.read().decode(errors="replace")
    found = [p for p in report_dir.rglob("*") if p.is_file()] if report_dir.is_dir() else []
    reports = {p.name: p.read_text(errors="replace") for p in found}
    return SuiteRun(returncode, text, elapsed, rss_kb / 1024, reports)


def wait_bounded(
    command: Sequence[str], cwd: Path, env: dict[str, str] | None, output: Any, timeout: float
) -> tuple[int, int]:
    """The exit code and peak resident memory (KiB) of the command. os.wait4 reports the memory
    of this child alone, where getrusage would mix every child of the test process."""
    process = subprocess.Popen(
        command, cwd=cwd, env=env if env is not None else suite_environment(),
        stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
    )  # fmt: skip
    watchdog = threading.Timer(timeout, process.kill)
    watchdog.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)
    finally:
        watchdog.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_maxrss
