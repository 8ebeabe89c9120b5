"""Request bodies that are not valid: refused with 400, and nothing changes ("Return Values":
1 missing parameter, 2 invalid parameter)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conformance.contract.failures import expect
from conformance.contract.validation import check_exchange
from conformance.steps.devices_state import DeviceState, read_device, restore
from conformance.steps.discovery import Inventory
from conformance.steps.invalid_bodies import CREATE_BODIES, OPERATION_BODIES, UNREADABLE
from conformance.steps.steps import all_ids, expect_no_new_device
from conformance.target.client import Client


@pytest.mark.requirement("DEV-HTTP-005")
@pytest.mark.writes("reversible")
@pytest.mark.parametrize("name", list(OPERATION_BODIES))
def test_an_invalid_operation_body_is_refused(
    name, client: Callable[[str], Client], inventory: Inventory
):
    """Posts an invalid operation body to the agent's own device; 400, and nothing changes."""
    caller = client("agent")
    found = inventory.own_device("agent")
    _, now = read_device(caller, found["id"])
    before = DeviceState.of(now)
    try:
        framing = UNREADABLE.get(name)
        path = f"/me/devices/{found['id']}"
        exchange = caller.post_bytes(path, OPERATION_BODIES[name], headers=framing)
        if framing is None:
            check_exchange(exchange, caller.target.base_url)
        expect(exchange.status == 400, "DEV-HTTP-005", "HTTP 400", exchange.describe(), exchange)
        _, after = read_device(caller, found["id"])
        expect(
            DeviceState.of(after) == before,
            "DEV-HTTP-005",
            f"unchanged: {before}",
            f"{DeviceState.of(after)}",
            exchange,
        )
    finally:
        restore(caller, found["id"], before)


@pytest.mark.requirement("DEV-HTTP-005")
@pytest.mark.writes("all")
@pytest.mark.parametrize("name", list(CREATE_BODIES))
def test_an_invalid_device_is_refused(name, client: Callable[[str], Client]):
    """Posts an invalid device to /me/devices as the agent; 400, and nothing is created."""
    body = CREATE_BODIES[name]
    before = all_ids(client)
    caller = client("agent")
    exchange = caller.post_bytes("/me/devices", body)
    check_exchange(exchange, caller.target.base_url)
    expect(exchange.status == 400, "DEV-HTTP-005", "HTTP 400", exchange.describe(), exchange)
    expect_no_new_device(client, before, "DEV-HTTP-005", exchange)
