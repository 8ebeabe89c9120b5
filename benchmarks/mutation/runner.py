"""Runs the conformance suite against one mutant at a time, in a copy of the tree per worker.

cosmic-ray writes a mutant into the file on disk, so each worker owns a copy of the package
and the contract, and its suite runs there (``PYTHONPATH`` puts the copy first). The test of a
mutant is what a user runs: ``pytest conformance -x --strict`` against the embedded server
(every write level: the embedded default is ``--writes all``), in a process of its own, with
its reports in a folder of their own; the requirement that killed the mutant is read from the
suite's ``conformance.json``.

The embedded default is one mode of the server (profile 8.5.0, no CSRF protection); code only
another mode reaches (the 8.5.2 profile's attributes, the CSRF checks) cannot be told apart
there. A survivor the triage file sends to another mode (verdict ``mode``) is run again in it:
with ``--api-version 8.5.2``, or against ``python -m conformance.reference --csrf`` started from
the worker's copy.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cosmic_ray.mutating import use_mutation

from tests.harness import KILLED, SuiteRun, reference_process, run_command, suite_environment

from .operators import operator
from .population import ROOT, Mutant

# What a worker's copy needs: the package (its openapi/ link points at ../openapi), the
# contract, and the configuration pytest reads.
COPIED = ("conformance", "openapi", "pyproject.toml", "conftest.py")
SUITE = ("-m", "pytest", "conformance", "-x", "--strict", "-q", "-p", "no:cacheprovider")
# The suite's exit statuses that mean it noticed (docs/reference/options.md, exit statuses): a
# broken MUST or SHOULD, or nothing judgeable.
NOTICED = {1: "killed", 10: "killed"}
# The case verdicts (conformance/report/results.py) of a case that noticed.
FAILED_VERDICTS = ("fail", "error", "warning")


@dataclass(frozen=True)
class Mode:
    """A way the reference server runs, and the suite's arguments that meet it there."""

    name: str
    suite_args: tuple[str, ...] = ()
    # Served from the worker's copy with these arguments (python -m conformance.reference),
    # the suite pointed at it with every write level; None: the suite's embedded server.
    server_args: tuple[str, ...] | None = None


DEFAULT_MODE = Mode("default")
MODES = {
    mode.name: mode
    for mode in (
        DEFAULT_MODE,
        Mode("8.5.2", suite_args=("--api-version", "8.5.2")),
        Mode("csrf", server_args=("--csrf",)),
    )
}


class WorkerError(RuntimeError):
    """A worker's copy cannot be used (the suite fails on the unmutated server there)."""


@dataclass(frozen=True)
class Outcome:
    id: str
    status: str  # killed, survived, timeout, error
    exit_code: int | None
    seconds: float
    killed_by: list[str]  # requirement IDs the suite reported broken
    case: str  # the first case that failed
    source_sha: str  # the mutated file as it was, so that a changed file is run again
    mode: str = DEFAULT_MODE.name  # the server's mode the suite met it in

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class Worker:
    """A copy of the tree in ``folder`` where one mutant at a time is applied and tested."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for name in COPIED:
            source = ROOT / name
            if source.is_dir():
                ignore = shutil.ignore_patterns("__pycache__")
                shutil.copytree(source, folder / name, symlinks=True, ignore=ignore)
            else:
                shutil.copy2(source, folder / name)
        self.reports = folder / "reports"
        self.checked: set[str] = set()  # the modes whose unmutated run passed here

    def baseline(self, mode: Mode = DEFAULT_MODE) -> float:
        """Runs the suite on the unmutated copy in the mode; it must pass. Returns the seconds
        it took."""
        where = self._python("import conformance; print(conformance.__file__)").strip()
        if not Path(where).is_relative_to(self.folder):
            raise WorkerError(f"the suite imports conformance from {where}, not the copy")
        started = time.monotonic()
        result = self._suite(600, mode)
        if result.returncode != 0:
            tail = " / ".join(result.output.strip().splitlines()[-3:])
            raise WorkerError(f"the suite fails on the unmutated server ({mode.name}): {tail}")
        self.checked.add(mode.name)
        return time.monotonic() - started

    def run(
        self, mutant: Mutant, timeout: float, source_sha: str, mode: Mode = DEFAULT_MODE
    ) -> Outcome:
        if mode.name not in self.checked:
            self.baseline(mode)
        started = time.monotonic()
        path = self.folder / mutant.file
        self._forget_bytecode(path)
        with use_mutation(path, operator(mutant.operator), mutant.occurrence) as (_, mutated):
            if mutated is None:
                return Outcome(
                    mutant.id, "error", None, 0.0, [], "no such mutant", source_sha, mode.name
                )
            try:
                result = self._suite(timeout, mode)
            finally:
                self._forget_bytecode(path)
        seconds = round(time.monotonic() - started, 2)
        if result.returncode == KILLED:
            return Outcome(mutant.id, "timeout", None, seconds, [], "", source_sha, mode.name)
        status = NOTICED.get(result.returncode, "survived" if result.returncode == 0 else "error")
        killed_by, case = verdicts(result.report)
        if status == "error":
            case = " / ".join(result.output.strip().splitlines()[-2:])
        return Outcome(
            mutant.id, status, result.returncode, seconds, killed_by, case, source_sha, mode.name
        )

    def _suite(self, timeout: float, mode: Mode) -> SuiteRun:
        """The suite through the kit's harness, on this copy of the tree (watchdog included),
        against the server in the mode."""
        shutil.rmtree(self.reports, ignore_errors=True)
        command = [sys.executable, *SUITE, f"--report-dir={self.reports}", *mode.suite_args]
        if mode.server_args is None:
            return run_command(command, self.folder, self.reports, self._env(), timeout)
        try:
            with reference_process(*mode.server_args, cwd=self.folder, env=self._env()) as url:
                command += ["--base-url", url, "--writes", "all"]
                return run_command(command, self.folder, self.reports, self._env(), timeout)
        except RuntimeError as exc:  # the mutated server does not start
            raise WorkerError(str(exc)) from exc

    def _python(self, code: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=self.folder,
            env=self._env(),
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    def _env(self) -> dict[str, str]:
        env = suite_environment()
        env.pop("PYTEST_ADDOPTS", None)
        env["PYTHONPATH"] = str(self.folder)
        return env

    @staticmethod
    def _forget_bytecode(path: Path) -> None:
        # A mutant of the same size written within the same second as the original would
        # otherwise be served from the other's cached bytecode (pyc files check mtime and size).
        shutil.rmtree(path.parent / "__pycache__", ignore_errors=True)


def verdicts(report: dict[str, Any]) -> tuple[list[str], str]:
    """The requirements broken and the first failing case, from the suite's own report."""
    if not report:
        return [], ""
    failed = [case for case in report["cases"] if case["verdict"] in FAILED_VERDICTS]
    broken = sorted({str(case.get("broken") or case["requirement"]) for case in failed})
    if report.get("aborted"):
        return broken, f"aborted: {report['aborted']}"
    return broken, failed[0]["nodeid"] if failed else ""
