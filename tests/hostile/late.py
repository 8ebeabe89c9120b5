"""Faulty reference servers whose fault starts after discovery: the reference server answers
normally except on some requests, where it hangs, trickles, sends garbage or a body of hundreds
of megabytes. tests/hostile/test_after_discovery.py runs the suite against each; `python -m
tests.hostile NAME --port 8080` serves one by hand."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from conformance.reference import ReferenceApp

from . import servers

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

SINGLE_OWN_DEVICE = re.compile(r"^/api/v2/me/devices/[^/]+$")
SINGLE_DEVICE = re.compile(r"^/api/v2/devices/[^/]+$")
SINGLE_DEVICES = re.compile(r"^/api/v2/(me/)?devices/[^/]+$")
# Set when the runs are over: releases the server threads still hanging or trickling.
STOPPING = threading.Event()


def hang(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    STOPPING.wait()
    return servers.html_error(environ, start_response)


def trickle(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """A prompt head, then one byte of body every half second, for ever."""
    start_response("200 OK", [("Content-Type", "application/json")])

    def body() -> Iterable[bytes]:
        while not STOPPING.wait(0.5):
            yield b" "

    return body()


@dataclass(frozen=True)
class Late:
    name: str
    behaviour: str
    hits: Callable[[WSGIEnvironment], bool]
    fault: WSGIApplication
    cases: str  # the -k expression: cases meeting the fault, and UNAFFECTED ("" for a whole run)
    broken: str  # the requirement the affected cases must report
    message: str
    timeout: str = "1"


LATE = [
    Late(
        "own-device-hangs",
        "GET /me/devices/{id} never answers",
        lambda env: bool(SINGLE_OWN_DEVICE.match(env["PATH_INFO"])),
        hang,
        "test_a_single_device_comes_under_device",
        "DEV-HTTP-002",
        r"Actual: +no response: timed out",
    ),
    Late(
        "fields-huge-body",
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
# Slow for a whole run, writes included: the breaker must bound it.
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
BY_NAME = {late.name: late for late in (*LATE, *SLOW)}


def faulty(app: ReferenceApp, late: Late) -> WSGIApplication:
    """The app, with the fault answering the requests it hits."""

    def answer(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        chosen = late.fault if late.hits(environ) else app
        return chosen(environ, start_response)

    return answer
