"""The `fields` query parameter ("Request Parameters"; seed: List Devices)."""

from __future__ import annotations

import pytest

from conformance.contract.failures import expect
from conformance.steps.steps import device, devices, expect_status, get, get_unchecked, settle, uris

# (identity that may read it, path) of every device collection.
COLLECTIONS = [("admin", "/devices"), ("admin", "/users/{agent}/devices"), ("agent", "/me/devices")]
PROJECTION = "phoneNumber,doNotDisturb"


def collection_params() -> list[object]:
    return [pytest.param(who, path, id=path) for who, path in COLLECTIONS]


@pytest.mark.requirement("DEV-FLD-001")
@pytest.mark.parametrize(("identity", "template"), collection_params())
def test_a_collection_without_fields_returns_uris(identity, template, client, inventory):
    """Sends the collection GET without `fields`; the body holds absolute URIs under `uris`."""
    caller = client(identity)
    reply = get_unchecked(caller, inventory.fill(template))
    for uri in uris(reply):
        expect(
            uri.lower().startswith(("http://", "https://")),
            "DEV-FLD-001",
            "absolute URIs",
            repr(uri),
            reply.exchange,
        )
    settle(caller, reply)


@pytest.mark.requirement("DEV-FLD-002")
@pytest.mark.parametrize(("identity", "template"), collection_params())
def test_a_collection_with_all_fields_returns_devices(identity, template, client, inventory):
    """Sends the collection GET with fields=*; the devices come back under `devices`."""
    reply = get(client(identity), inventory.fill(template), {"fields": "*"})
    found = devices(reply)
    expect(
        "uris" not in reply.body,
        "DEV-FLD-002",
        "objects, not URIs",
        f"members {sorted(reply.body)}",
        reply.exchange,
    )
    expect(
        len(found) == len(reply.body["devices"]),
        "DEV-FLD-002",
        "every entry an object",
        repr(reply.body["devices"])[:200],
        reply.exchange,
    )


@pytest.mark.requirement("DEV-FLD-003")
@pytest.mark.parametrize(("identity", "template"), collection_params())
def test_named_fields_project_collections(identity, template, client, inventory):
    """Sends the collection GET with fields=phoneNumber,doNotDisturb; nothing else comes back."""
    reply = get(client(identity), inventory.fill(template), {"fields": PROJECTION})
    for found in devices(reply, "DEV-FLD-003"):
        extra = set(found) - {"id", *PROJECTION.split(",")}
        expect(
            not extra,
            "DEV-FLD-003",
            f"only id,{PROJECTION}",
            f"also {sorted(extra)}",
            reply.exchange,
        )


@pytest.mark.requirement("DEV-FLD-003")
def test_named_fields_project_a_single_device(client, inventory):
    """Sends GET /me/devices/{id}?fields=phoneNumber,doNotDisturb as its owner."""
    own = inventory.own_device("agent")
    reply = get(client("agent"), f"/me/devices/{own['id']}", {"fields": PROJECTION})
    found = device(reply, "DEV-FLD-006")
    extra = set(found) - {"id", *PROJECTION.split(",")}
    expect(
        not extra, "DEV-FLD-003", f"only id,{PROJECTION}", f"also {sorted(extra)}", reply.exchange
    )
    # The same device both ways: a named attribute is what fields=* shows, absence included (a
    # full view that lacks what a named request shows would hide it from every full read).
    for name in PROJECTION.split(","):
        if name in own or name in found:
            expect(
                found.get(name) == own.get(name),
                "DEV-FLD-003",
                f"{name} {own.get(name)!r} as in the full view (fields=*)",
                f"{found.get(name)!r}",
                reply.exchange,
            )


@pytest.mark.requirement("DEV-FLD-004")
@pytest.mark.parametrize("fields", ["*", "phoneNumber", "doNotDisturb,model", "id"])
def test_id_is_always_returned(fields, client):
    """Sends GET /me/devices with a `fields` value; every object holds `id`."""
    reply = get_unchecked(client("agent"), "/me/devices", {"fields": fields})
    for found in devices(reply, "DEV-FLD-004"):
        expect(
            isinstance(found.get("id"), str),
            "DEV-FLD-004",
            "an id in every object",
            repr(found),
            reply.exchange,
        )
    settle(client("agent"), reply)


@pytest.mark.requirement("DEV-FLD-005")
@pytest.mark.parametrize("path", ["/me/devices", "/me/devices/{own}"])
def test_unknown_field_names_are_ignored_or_refused(path, client, inventory):
    """Sends `fields=noSuchAttribute,phoneNumber`; the answer is 200 or 400, never a 5xx."""
    if "{own}" in path:
        own = inventory.own_device("agent")
        path = path.replace("{own}", own["id"])
    reply = get_unchecked(client("agent"), path, {"fields": "noSuchAttribute,phoneNumber"})
    expect_status(reply, {200, 400}, "DEV-FLD-005", "unknown names in fields")
    settle(client("agent"), reply)


@pytest.mark.requirement("DEV-FLD-006")
@pytest.mark.parametrize("fields", [None, "*"])
def test_a_single_device_comes_under_device(fields, client, inventory):
    """Sends GET /me/devices/{id} as the owner; the body holds the device under `device`."""
    own = inventory.own_device("agent")
    params = {"fields": fields} if fields else None
    reply = get_unchecked(client("agent"), f"/me/devices/{own['id']}", params)
    found = device(reply)
    expect(
        found.get("id") == own["id"],
        "DEV-FLD-006",
        own["id"],
        repr(found.get("id")),
        reply.exchange,
    )
    settle(client("agent"), reply)
