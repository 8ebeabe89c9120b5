"""A pytest plugin the benchmark loads into the runs it times (`-p benchmarks.probe`). It counts
what the suite does from inside, so the run itself needs no other change: requests the embedded
server answers, schemathesis cases sent, parses of the contract, and the process's peak memory.
Each process (xdist workers included) writes one JSON file into $BENCH_PROBE_DIR."""

from __future__ import annotations

import json
import os
import resource
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

COUNTS = {"requests": 0, "server_errors": 0, "cases": 0, "spec_parses": 0}
_LOCK = threading.Lock()


def process_start() -> float:
    """When this process started, in epoch seconds: read from /proc on Linux; elsewhere when
    pytest loaded this plugin, a tenth of a second or two later."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return time.time() - uptime + int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.time()


# Epoch seconds: the process started, its collection ended, its first case began, its last ended
# (on an xdist controller, the cases are its workers').
TIMES = {"started": process_start()}


def bump(name: str) -> None:
    # The embedded server answers from several threads.
    with _LOCK:
        COUNTS[name] += 1


def counting(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """WSGI middleware: one count per request, and one per 5xx answer."""

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        bump("requests")

        def start(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            if status.startswith("5"):
                bump("server_errors")
            return start_response(status, headers, *exc)

        return app(environ, start)

    return wrapped


def patch_embedded_server() -> None:
    # conformance/conftest.py imports `serve` when the base_url fixture runs, so wrapping the
    # module attribute here reaches the embedded server without touching the suite.
    from conformance.reference import server

    original = server.serve
    server.serve = lambda app, *args, **kwargs: original(counting(app), *args, **kwargs)


def patch_counters() -> None:
    from openapi_core import OpenAPI
    from schemathesis import Case

    parse = OpenAPI.from_file_path.__func__  # type: ignore[attr-defined]

    def counted_parse(cls: type[OpenAPI], *args: Any, **kwargs: Any) -> OpenAPI:
        bump("spec_parses")
        return parse(cls, *args, **kwargs)

    OpenAPI.from_file_path = classmethod(counted_parse)  # type: ignore[assignment,method-assign]
    call_and_validate = Case.call_and_validate

    def counted_call(self: Case, *args: Any, **kwargs: Any) -> Any:
        bump("cases")
        return call_and_validate(self, *args, **kwargs)

    Case.call_and_validate = counted_call  # type: ignore[method-assign]


def pytest_configure(config: pytest.Config) -> None:
    patch_embedded_server()
    patch_counters()


def pytest_collection_finish(session: pytest.Session) -> None:
    TIMES["collected"] = time.time()


def pytest_runtest_logstart(nodeid: str, location: tuple[str, int | None, str]) -> None:
    TIMES.setdefault("first_case", time.time())


def pytest_runtest_logfinish(nodeid: str, location: tuple[str, int | None, str]) -> None:
    TIMES["last_case"] = time.time()


def pytest_unconfigure(config: pytest.Config) -> None:
    out = os.environ.get("BENCH_PROBE_DIR")
    if not out:
        return
    from conformance.contract.validation import _openapi

    info = _openapi.cache_info()
    record = {
        **COUNTS,
        "pid": os.getpid(),
        "worker": os.environ.get("PYTEST_XDIST_WORKER", "main"),
        "openapi_cache": {"hits": info.hits, "misses": info.misses},
        # Linux reports kilobytes.
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "times": TIMES,
    }
    Path(out, f"probe-{os.getpid()}.json").write_text(json.dumps(record))
