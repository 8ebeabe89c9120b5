"""The envelope every response shares, and HTTP status codes ("Return Values";
openapi/decisions.md#status-codes)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conformance.contract.failures import expect
from conformance.contract.identities import ANONYMOUS
from conformance.contract.validation import check_exchange
from conformance.steps.discovery import Inventory
from conformance.steps.steps import Reply, expect_status, get
from conformance.target.client import Client

MISSING_ID = "00000000-0000-4000-8000-00000000dead"


def error_replies(
    client: Callable[[str], Client], stranger: Callable[[str], Client]
) -> list[Reply]:
    """Requests every correct server refuses, read-only: no credentials, an unknown device."""
    replies = [get(stranger(ANONYMOUS), "/me/devices")]
    replies.append(get(client("agent"), f"/me/devices/{MISSING_ID}"))
    return replies


@pytest.mark.requirement("DEV-ENV-001")
def test_every_response_is_json_with_an_integer_status_code(client, stranger):
    """Sends GET /me and two refused requests; each answer is application/json with statusCode."""
    get(client("agent"), "/me")
    error_replies(client, stranger)


@pytest.mark.requirement("DEV-ENV-002")
def test_success_is_http_200_with_status_code_0(client):
    """Sends GET /me and GET /me/devices as an agent."""
    for path in ("/me", "/me/devices"):
        reply = get(client("agent"), path)
        expect_status(reply, {200}, "DEV-ENV-002", f"GET {path} by its owner")


@pytest.mark.requirement("DEV-ENV-003")
def test_an_error_body_is_exactly_status_code_and_message(client, stranger):
    """Sends requests that fail (401, 404); the bodies hold statusCode and statusMessage only."""
    for reply in error_replies(client, stranger):
        expect(
            reply.status >= 400,
            "DEV-ENV-003",
            "an error",
            reply.exchange.describe(),
            reply.exchange,
        )


@pytest.mark.requirement("DEV-ENV-004")
@pytest.mark.parametrize("identity", ["admin", "supervisor", "agent"])
def test_every_read_matches_the_contract(identity, client, inventory: Inventory):
    """Sends each GET of the contract as the identity; every answer is documented."""
    caller = client(identity)
    some_device = inventory.device_of(identity) or inventory.device_of("agent")
    user_id = inventory.user_id_of(identity)
    paths = ["/me", "/devices", f"/users/{user_id}/devices", "/me/devices"]
    if some_device:
        paths += [f"/devices/{some_device['id']}", f"/me/devices/{some_device['id']}"]
    for path in paths:
        for params in (None, {"fields": "*"}):
            get(caller, path, params)


@pytest.mark.requirement("DEV-HTTP-001")
def test_http_status_agrees_with_status_code(client, stranger):
    """Sends refused requests (401, 403, 404); each status goes with its statusCode."""
    error_replies(client, stranger)
    get(client("agent"), "/devices")


@pytest.mark.requirement("DEV-HTTP-002")
@pytest.mark.parametrize(
    "path",
    [
        "/devices/" + "9" * 2000,
        "/me/devices/%00",
        "/me/devices/..%2F..%2Fetc",
        "/me/devices?fields=" + ",".join(["x"] * 300),
        "/me/devices?fields=%FF%FE",
        "/me/devices?fields",
        "/devices?fields=*&fields=id",
    ],
    ids=["long-id", "nul-id", "traversal-id", "many-fields", "bad-utf8", "bare-fields", "twice"],
)
def test_odd_reads_get_no_server_error(path, client):
    """Sends a GET with an odd id or query; the answer is below 500 and an envelope."""
    caller = client("admin") if path.startswith("/devices") else client("agent")
    exchange = caller.send("GET", caller.target.base_url + path)
    check_exchange(exchange, caller.target.base_url, contract=False)


@pytest.mark.requirement("DEV-HTTP-004")
@pytest.mark.parametrize(
    ("identity", "path", "allowed"),
    [
        ("admin", f"/devices/{MISSING_ID}", {404}),
        ("agent", f"/me/devices/{MISSING_ID}", {404}),
        ("admin", "/devices/not%20an%20id", {400, 404}),
        ("admin", "/users/00000000000000000000000000dead00/devices", {404}),
    ],
    ids=["unknown-device", "unknown-own-device", "malformed-device", "unknown-user"],
)
def test_unknown_ids_are_not_found(identity, path, allowed, client):
    """Sends a GET naming a device or user that does not exist."""
    reply = get(client(identity), path)
    expect_status(reply, allowed, "DEV-HTTP-004", f"GET {path}")


@pytest.mark.requirement("DEV-HTTP-006")
def test_unknown_query_parameters_are_ignored(client):
    """Sends GET /me/devices?fields=* with and without an undefined parameter; same devices."""
    plain = get(client("agent"), "/me/devices", {"fields": "*"})
    extra = get(client("agent"), "/me/devices", {"fields": "*", "colour": "blue"})
    expect_status(extra, {200}, "DEV-HTTP-006", "GET /me/devices with an unknown parameter")
    ids = sorted(d.get("id") for d in plain.body.get("devices", []))
    extra_ids = sorted(d.get("id") for d in extra.body.get("devices", []))
    expect(
        ids == extra_ids, "DEV-HTTP-006", f"devices {ids}", f"devices {extra_ids}", extra.exchange
    )
