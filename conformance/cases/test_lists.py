"""Device lists, and their consistency with one another and with single devices (seed: List
Devices)."""

from __future__ import annotations

from typing import Any

import pytest

from conformance.contract.failures import expect
from conformance.steps.steps import devices, follow_uri, get, uris


def comparable(found: dict[str, Any]) -> dict[str, Any]:
    """A device with its capabilities as a set: their order is not fixed."""
    copy = dict(found)
    if isinstance(copy.get("capabilities"), list):
        copy["capabilities"] = sorted(map(str, copy["capabilities"]))
    return copy


@pytest.mark.requirement("DEV-LIST-001")
@pytest.mark.parametrize("identity", ["agent", "other-agent", "supervisor"])
def test_my_devices_are_exactly_mine(identity, client, inventory):
    """Compares GET /me/devices with the admin's GET /users/{me}/devices: the same ids."""
    user_id = inventory.user_id_of(identity)
    mine = get(client(identity), "/me/devices", {"fields": "id"})
    admin_view = get(client("admin"), f"/users/{user_id}/devices", {"fields": "id"})
    own_ids = sorted(d["id"] for d in devices(mine, "DEV-LIST-001"))
    admin_ids = sorted(d["id"] for d in devices(admin_view, "DEV-LIST-001"))
    expect(
        own_ids == admin_ids,
        "DEV-LIST-001",
        f"the ids the admin sees for {identity}: {admin_ids}",
        f"{own_ids}",
        mine.exchange,
    )


@pytest.mark.requirement("DEV-LIST-002")
@pytest.mark.parametrize("identity", ["agent", "other-agent", "supervisor"])
def test_every_users_device_is_in_all_devices(identity, client, inventory):
    """Compares the admin's GET /users/{id}/devices with GET /devices: a subset."""
    user_id = inventory.user_id_of(identity)
    users = get(client("admin"), f"/users/{user_id}/devices", {"fields": "id"})
    everything = get(client("admin"), "/devices", {"fields": "id"})
    theirs = {d["id"] for d in devices(users, "DEV-LIST-002")}
    every = {d["id"] for d in devices(everything, "DEV-LIST-002")}
    expect(
        theirs <= every,
        "DEV-LIST-002",
        f"{identity}'s devices all in GET /devices",
        f"missing {sorted(theirs - every)}",
        everything.exchange,
    )


COLLECTIONS = [("admin", "/devices"), ("agent", "/me/devices"), ("supervisor", "/me/devices")]


@pytest.mark.requirement("DEV-LIST-003")
@pytest.mark.parametrize(
    ("identity", "path"), COLLECTIONS, ids=[f"{i}:{p}" for i, p in COLLECTIONS]
)
def test_every_uri_in_a_list_resolves_to_its_device(identity, path, client):
    """Follows each URI of the collection as the same caller; it names a device with that id."""
    caller = client(identity)
    listed = get(caller, path)
    by_id = {d["id"] for d in devices(get(caller, path, {"fields": "id"}), "DEV-LIST-003")}
    for uri in uris(listed, "DEV-LIST-003"):
        found = follow_uri(caller, uri, "DEV-LIST-003", listed.exchange)
        expect(
            found.get("id") in by_id and str(found.get("id")) in uri,
            "DEV-LIST-003",
            f"{uri} names a device of the list",
            f"device {found.get('id')!r}",
            listed.exchange,
        )


@pytest.mark.requirement("DEV-LIST-004")
@pytest.mark.parametrize(
    ("identity", "path", "single"),
    [("admin", "/devices", "/devices/{id}"), ("agent", "/me/devices", "/me/devices/{id}")],
    ids=["admin:/devices", "agent:/me/devices"],
)
def test_a_listed_device_equals_the_device_read_alone(identity, path, single, client):
    """Reads the list with fields=* and each device alone with fields=*; they are equal."""
    caller = client(identity)
    listed = get(caller, path, {"fields": "*"})
    for entry in devices(listed, "DEV-LIST-004"):
        alone = get(caller, single.replace("{id}", entry["id"]), {"fields": "*"})
        found = alone.body.get("device")
        expect(
            isinstance(found, dict) and comparable(found) == comparable(entry),
            "DEV-LIST-004",
            f"the list's entry {comparable(entry)}",
            f"{found}",
            alone.exchange,
        )


@pytest.mark.requirement("DEV-LIST-005")
@pytest.mark.parametrize(
    ("identity", "path"), COLLECTIONS, ids=[f"{i}:{p}" for i, p in COLLECTIONS]
)
def test_uris_and_objects_name_the_same_devices(identity, path, client):
    """Reads the collection with and without fields=*; the same device ids."""
    caller = client(identity)
    listed = uris(get(caller, path), "DEV-LIST-005")
    objects = devices(get(caller, path, {"fields": "*"}), "DEV-LIST-005")
    from_uris = sorted(u.rstrip("/").rsplit("/", 1)[-1] for u in listed)
    from_objects = sorted(d["id"] for d in objects)
    expect(
        from_uris == from_objects,
        "DEV-LIST-005",
        f"URIs of {from_objects}",
        f"URIs ending in {from_uris}",
        None,
    )
