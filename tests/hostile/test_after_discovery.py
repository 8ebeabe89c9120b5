"""Faults that start after discovery: the reference server answers normally except on one
request, where it hangs, sends garbage or a body of hundreds of megabytes. The cases meeting the
fault fail under the requirement it breaks; the others pass; the run completes on time."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

from conformance.reference import ReferenceApp
from conformance.reference.fixtures import DEFAULT_FIXTURES

from . import servers
from .runner import SECRET, Run, assert_ended_cleanly, run_suite, selected

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

TESTS_FAILED = 1
WITHIN = 60.0
# A case that never meets the fault, to show the run goes on around it.
UNAFFECTED = "test_me_returns_the_caller"
UNAFFECTED_ID = "DEV-ME-001"
SINGLE_OWN_DEVICE = re.compile(r"^/api/v2/me/devices/[^/]+$")
SINGLE_DEVICE = re.compile(r"^/api/v2/devices/[^/]+$")
STOPPING = threading.Event()


def hang(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    STOPPING.wait()
    return servers.html_error(environ, start_response)


@dataclass(frozen=True)
class Late:
    name: str
    behaviour: str
    hits: Callable[[WSGIEnvironment], bool]
    fault: WSGIApplication
    cases: str  # the -k expression: cases meeting the fault, and UNAFFECTED
    broken: str  # the requirement the affected cases must report
    message: str
    timeout: str = "1"


LATE = [
    Late(
        "hang",
        "GET /me/devices/{id} never answers",
        lambda env: bool(SINGLE_OWN_DEVICE.match(env["PATH_INFO"])),
        hang,
        "test_a_single_device_comes_under_device",
        "DEV-HTTP-002",
        r"Actual: +no response: timed out",
    ),
    Late(
        "huge-body",
        f"fields=phoneNumber,doNotDisturb streams a {servers.HUGE_MIB} MiB body",
        lambda env: "fields=phoneNumber%2CdoNotDisturb" in env.get("QUERY_STRING", ""),
        servers.huge_body,
        "test_named_fields_project_a_single_device",
        "DEV-HTTP-002",
        r"Actual: +more than 8388608 bytes; reading stopped",
        timeout="5",
    ),
    Late(
        "garbage",
        "GET /devices/{id} answers invalid JSON as application/json",
        lambda env: bool(SINGLE_DEVICE.match(env["PATH_INFO"])),
        servers.invalid_json,
        "test_a_listed_device_equals_the_device_read_alone and admin",
        "DEV-ENV-001",
        r"DEV-ENV-001 \(MUST\)",
    ),
]
BY_NAME = {late.name: late for late in LATE}


def faulty(app: ReferenceApp, late: Late) -> WSGIApplication:
    def answer(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        chosen = late.fault if late.hits(environ) else app
        return chosen(environ, start_response)

    return answer


@pytest.fixture(scope="module")
def fixtures_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference fixtures with SECRET as every password, so the leak checks can find it."""
    document = yaml.safe_load(DEFAULT_FIXTURES.read_text(encoding="utf-8"))
    for user in document["users"].values():
        user["password"] = SECRET
    path = tmp_path_factory.mktemp("hostile") / "fixtures.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest, fixtures_path: Path) -> dict[str, Run]:
    """One run per fault, in parallel, each against its own faulty reference server."""

    def run(late: Late) -> Run:
        app = faulty(ReferenceApp(fixtures_path), late)
        with servers.wsgi_server(app) as url:
            return run_suite(url, "--request-timeout", late.timeout, "-k", selection(late))

    STOPPING.clear()
    chosen = selected(request)
    with ThreadPoolExecutor(max(len(chosen), 1)) as pool:
        done = dict(zip(chosen, pool.map(run, [BY_NAME[n] for n in chosen]), strict=True))
    STOPPING.set()  # releases the server threads still hanging
    return done


def selection(late: Late) -> str:
    return f"({late.cases}) or {UNAFFECTED}"


@pytest.mark.parametrize("name", list(BY_NAME))
def test_a_late_fault_fails_only_the_cases_meeting_it(name: str, runs: dict[str, Run]) -> None:
    late, run = BY_NAME[name], runs[name]
    assert_ended_cleanly(run, late.message, within=WITHIN)
    assert run.returncode == TESTS_FAILED, run.output[-2000:]
    statuses = {r["id"]: r["status"] for r in run.report["requirements"]}
    assert statuses[late.broken] == "fail", run.output[-2000:]
    assert statuses[UNAFFECTED_ID] == "pass", run.output[-2000:]
    assert not run.report["aborted"]


# ---------------------------------------------------------------- slow for the whole run

SINGLE_DEVICES = re.compile(r"^/api/v2/(me/)?devices/[^/]+$")
SLOW_TIMEOUT = 2.0
# The breaker spends at most LIMIT timeouts on each of the three single-device operations;
# the rest of the run is a run against the reference server. Loaded machines get a margin.
SLOW_WITHIN = 100.0


def trickle(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """A prompt head, then one byte of body every half second, for ever."""
    start_response("200 OK", [("Content-Type", "application/json")])

    def body() -> Iterable[bytes]:
        while not STOPPING.wait(0.5):
            yield b" "

    return body()


SLOW = [
    Late(
        "hang-single-devices",
        "every request for one device (GET /devices/{id}, GET and POST /me/devices/{id}) "
        "never answers",
        lambda env: bool(SINGLE_DEVICES.match(env["PATH_INFO"])),
        hang,
        "",
        "DEV-HTTP-002",
        r"FAIL +DEV-HTTP-002",
    ),
    Late(
        "trickle-single-devices",
        "every request for one device answers its head, then a byte of body every 0.5 s",
        lambda env: bool(SINGLE_DEVICES.match(env["PATH_INFO"])),
        trickle,
        "",
        "DEV-HTTP-002",
        r"FAIL +DEV-HTTP-002",
    ),
]
SLOW_BY_NAME = {slow.name: slow for slow in SLOW}


@pytest.fixture(scope="module")
def slow_runs(request: pytest.FixtureRequest, fixtures_path: Path) -> dict[str, Run]:
    """Whole runs, writes included, each against its own slow reference server."""

    def run(slow: Late) -> Run:
        app = faulty(ReferenceApp(fixtures_path), slow)
        with servers.wsgi_server(app) as url:
            return run_suite(url, "--writes", "all", "--request-timeout", f"{SLOW_TIMEOUT:g}")

    STOPPING.clear()
    chosen = [name for name in selected(request) if name in SLOW_BY_NAME]
    with ThreadPoolExecutor(max(len(chosen), 1)) as pool:
        done = dict(zip(chosen, pool.map(run, [SLOW_BY_NAME[n] for n in chosen]), strict=True))
    STOPPING.set()
    return done


@pytest.mark.parametrize("name", list(SLOW_BY_NAME))
def test_a_slow_operation_costs_a_few_timeouts(name: str, slow_runs: dict[str, Run]) -> None:
    """The breaker ends each slow operation after a few timeouts: the run is bounded, the
    affected cases fail or are not run, naming the timeouts, and the rest is judged."""
    slow, run = SLOW_BY_NAME[name], slow_runs[name]
    assert_ended_cleanly(run, slow.message, within=SLOW_WITHIN)
    assert run.returncode == TESTS_FAILED, run.output[-2000:]
    assert not run.report["aborted"]
    statuses = {r["id"]: r["status"] for r in run.report["requirements"]}
    assert statuses[slow.broken] == "fail", run.output[-2000:]
    assert statuses[UNAFFECTED_ID] == "pass", run.output[-2000:]
    not_run = [c for c in run.report["cases"] if "times in a row" in c["message"]]
    assert not_run, "no case was reported as not run after the timeouts"
    totals = run.report["case_totals"]
    assert totals.get("pass", 0) > 100, totals
