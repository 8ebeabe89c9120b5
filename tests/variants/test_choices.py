"""Each variant makes the choice it claims, in process: a variant that silently answered like the
reference would prove nothing by passing the suite."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from werkzeug.test import Client, TestResponse

from conformance.reference.app import BASE_PATH
from conformance.target.client import basic
from tests.variants.pieces import SEED_ATTRIBUTES
from tests.variants.table import BY_NAME, PREFIX, PROXY_HOST, VARIANTS

AGENT_DEVICE = "0c754c1f-7a65-4a7f-9a2b-c5bb5c983653"  # +16509870000, do-not-disturb Off
OTHER_AGENTS_DEVICE = "383c6d40-3582-43cb-ab61-da49d6cd939f"
SUPERVISOR_DEVICE = "7534920b-ff4c-4c38-8014-6f2b82465747"


@dataclass(frozen=True)
class Probe:
    persona: str | None  # None: no credentials
    method: str
    path: str
    shows: Callable[[TestResponse, Any], bool]  # (response, decoded body) -> the choice is made
    body: dict[str, Any] | None = None
    then: str | None = None  # a GET after the request, formatted with its answer's members


def status(code: int, status_code: int | None = None) -> Callable[[TestResponse, Any], bool]:
    return lambda r, body: r.status_code == code and status_code in (None, body["statusCode"])


def first_device(check: Callable[[dict[str, Any]], bool]) -> Callable[[TestResponse, Any], bool]:
    return lambda r, body: check(body["devices"][0])


def forward(destination: str) -> dict[str, Any]:
    return {"operationName": "ForwardCallsOn", "destination": destination}


ALL = "/me/devices?fields=*"
PROBES = {
    "reference": Probe("agent", "GET", "/me", status(200, 0)),
    "not-found-for-others": Probe("agent", "GET", f"/devices/{OTHER_AGENTS_DEVICE}", status(404)),
    "admin-owns-nothing": Probe("admin", "GET", "/me/devices", lambda r, b: b["uris"] == []),
    "admin-owns-devices-too": Probe(
        "admin", "POST", "/me/devices", status(200, 0), {"phoneNumber": "+442079460998"}
    ),
    "unknown-fields-400": Probe("agent", "GET", "/me/devices?fields=nope", status(400, 2)),
    "malformed-id-400": Probe("admin", "GET", "/devices/not-an-id", status(400, 2)),
    "seed-attributes-only": Probe(
        "agent", "GET", ALL, first_device(lambda d: set(d) <= set(SEED_ATTRIBUTES))
    ),
    "id-only": Probe("agent", "GET", ALL, first_device(lambda d: set(d) == {"id"})),
    "other-default-model": Probe(
        "admin",
        "POST",
        "/devices",
        lambda r, b: (
            b["device"]["model"] == "Generic SIP Phone" and b["device"]["doNotDisturb"] == "On"
        ),
        {"phoneNumber": "+442079460997"},
        then="/devices/{id}",
    ),
    "later-version-attributes": Probe(
        "agent", "GET", ALL, first_device(lambda d: {"type", "voiceServiceUri"} <= set(d))
    ),
    "punctuated-local-number": Probe(
        "agent", "GET", ALL, first_device(lambda d: d["localNumber"] == "(650) 987-0000")
    ),
    "no-forwarding-configured": Probe(
        "agent", "POST", f"/me/devices/{AGENT_DEVICE}", status(400, 2), forward("+442079460999")
    ),
    "unoffered-operation-403": Probe(
        "agent",
        "POST",
        f"/me/devices/{AGENT_DEVICE}",
        status(403, 3),
        {"operationName": "DoNotDisturbOff"},
    ),
    "forbidden-code-3": Probe("agent", "GET", "/devices", status(403, 3)),
    "invalid-code-10": Probe("admin", "POST", "/devices", status(400, 10), {"phoneNumber": "x"}),
    "challenge-without-realm": Probe(
        None, "GET", "/me", lambda r, b: r.headers["WWW-Authenticate"] == "Basic"
    ),
    "csrf-protection": Probe("admin", "POST", "/devices", status(403), {"phoneNumber": "4711"}),
    "session-cookie": Probe(
        "agent", "GET", "/me", lambda r, b: "JSESSIONID=" in r.headers["Set-Cookie"]
    ),
    "json-charset": Probe("agent", "GET", "/me", lambda r, b: "charset=UTF-8" in r.content_type),
    "behind-proxy": Probe(
        "agent", "GET", "/me/devices", lambda r, b: b["uris"][0].startswith(f"http://{PROXY_HOST}/")
    ),
    "deployment-prefix": Probe(
        "agent", "GET", "/me/devices", lambda r, b: f"{PREFIX}{BASE_PATH}/devices/" in b["uris"][0]
    ),
    "container-404-elsewhere": Probe(
        "agent", "GET", "/nothing-here", lambda r, b: r.status_code == 404 and b is None
    ),
    "other-fixtures": Probe(
        "agent", "GET", "/me", lambda r, b: b["user"]["userName"] == "kenji.tanaka"
    ),
    "reference-852": Probe("agent", "GET", ALL, first_device(lambda d: "voiceServiceUri" in d)),
    "bare-user-record": Probe(
        "agent", "GET", "/me", lambda r, body: set(body["user"]) == {"id", "userName", "roles"}
    ),
    "no-devices-yet": Probe(
        "admin", "GET", "/devices", lambda r, body: r.status_code == 200 and body["uris"] == []
    ),
    # The reference takes the padding and refuses the number in use (403); the variant refuses
    # the size first.
    "other-body-reader": Probe(
        "admin",
        "POST",
        "/devices",
        status(400, 2),
        {"phoneNumber": "+16509870000", "note": "x" * 1100},
    ),
    "voice-environment-link-852": Probe(
        "agent",
        "GET",
        ALL,
        first_device(lambda d: "voiceEnvironmentUri" in d and "voiceServiceUri" not in d),
    ),
    # While monitoring the agent's device, the supervisor's lists no mute (the reference does).
    "no-mute-offered-852": Probe(
        "supervisor",
        "POST",
        f"/me/devices/{SUPERVISOR_DEVICE}",
        lambda r, body: "MuteMonitoredUser" not in body["device"]["capabilities"],
        {
            "operationName": "ListenIn",
            "targetDeviceUri": f"http://localhost{BASE_PATH}/devices/{AGENT_DEVICE}",
        },
        then=f"/me/devices/{SUPERVISOR_DEVICE}?fields=*",
    ),
    "number-in-use-19-852": Probe(
        "admin", "POST", "/devices", status(403, 19), {"phoneNumber": "+16509870000"}
    ),
}


def test_every_variant_has_a_probe() -> None:
    """Each variant of the reference server; the independent implementations' choices are
    probed in tests/independent/test_choices.py."""
    assert {v.name for v in VARIANTS if v.independent is None} == set(PROBES)


@pytest.mark.parametrize("name", sorted(PROBES))
def test_the_variant_makes_its_choice(name: str) -> None:
    deployment = BY_NAME[name].build()
    probe = PROBES[name]
    headers = {}
    if probe.persona:
        headers["Authorization"] = basic(*deployment.logins[probe.persona])
    response = Client(deployment.app).open(
        deployment.prefix + BASE_PATH + probe.path,
        method=probe.method,
        headers=headers,
        json=probe.body,
    )
    body = json.loads(response.get_data()) if response.mimetype == "application/json" else None
    if probe.then:
        path = deployment.prefix + BASE_PATH + probe.then.format(**body)
        response = Client(deployment.app).open(path, headers=headers)
        body = json.loads(response.get_data())
    assert probe.shows(response, body), f"{name}: HTTP {response.status_code} {body}"
