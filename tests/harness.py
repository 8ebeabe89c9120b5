"""Runs the conformance suite the way a user does, `pytest conformance --base-url ...` in a
subprocess, against a WSGI app served on a free loopback port, and reads its verdicts back."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from werkzeug.wrappers import Request

from conformance.reference.server import credentials, serve
from conformance.target import env_var

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class SuiteRun:
    returncode: int
    output: str
    report: dict[str, Any]

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
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
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


def reference_environment() -> dict[str, str]:
    """The environment a user would set: credentials of the reference fixtures per identity."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEVICES_API_")}
    for identity, (user, password) in credentials().items():
        env[env_var(identity)] = f"{user}:{password}"
    return env


def run_suite(
    base_url: str,
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 300,
    select: Sequence[str] = (),
) -> SuiteRun:
    """`pytest conformance --base-url URL --writes all ARGS` in a subprocess."""
    with tempfile.TemporaryDirectory(prefix="conformance-") as report_dir:
        command = [
            sys.executable, "-m", "pytest", "conformance", "--base-url", base_url,
            "--writes", "all", "--report-dir", report_dir, "-q", "-p", "no:cacheprovider",
            *select, *args,
        ]  # fmt: skip
        return run_command(command, ROOT, Path(report_dir), env, timeout)


def run_command(
    command: Sequence[str],
    cwd: Path,
    report_dir: Path,
    env: dict[str, str] | None = None,
    timeout: float = 300,
) -> SuiteRun:
    """A run of the suite however it is started, and the report it left in report_dir."""
    done = subprocess.run(
        command,
        cwd=cwd,
        env=env if env is not None else reference_environment(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    report_path = report_dir / "conformance.json"
    report = json.loads(report_path.read_text()) if report_path.exists() else {}
    return SuiteRun(done.returncode, done.stdout + done.stderr, report)
