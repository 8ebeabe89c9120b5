"""Request bodies that are not valid: refused with 400, and nothing changes ("Return Values":
1 missing parameter, 2 invalid parameter)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conformance.contract.failures import RequirementFailure, expect
from conformance.contract.validation import check_exchange
from conformance.steps.devices_state import DeviceState, expect_unchanged, read_device, restore
from conformance.steps.discovery import Inventory
from conformance.steps.invalid_bodies import (
    CREATE_BODIES,
    OPERATION_BODIES,
    UNREADABLE_BODY,
    UNREADABLE_FRAMING,
)
from conformance.steps.steps import all_ids, expect_no_new_device
from conformance.target.client import Client, dropped_unanswered


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
        exchange = caller.post_bytes(f"/me/devices/{found['id']}", OPERATION_BODIES[name])
        check_exchange(exchange, caller.target.base_url)
        expect(exchange.status == 400, "DEV-HTTP-005", "HTTP 400", exchange.describe(), exchange)
        expect_unchanged(caller, found["id"], before, "DEV-HTTP-005", exchange)
    finally:
        restore(caller, found["id"], before)


@pytest.mark.requirement("DEV-HTTP-007")
@pytest.mark.writes("reversible")
def test_an_unreadable_body_is_answered_400(client: Callable[[str], Client], inventory: Inventory):
    """Posts an operation body in chunks whose size line is not hexadecimal to the agent's own
    device; 400 (the server's or a proxy's: only the status is judged), and nothing changes.
    Dropping the connection unanswered breaks only this SHOULD (RFC 9112 section 2.2); any other
    answer is a failure of DEV-HTTP-005, and none within the timeout one of DEV-HTTP-002."""
    caller = client("agent")
    found = inventory.own_device("agent")
    _, now = read_device(caller, found["id"])
    before = DeviceState.of(now)
    path = f"/me/devices/{found['id']}"
    try:
        try:
            exchange = caller.post_bytes(path, UNREADABLE_BODY, headers=UNREADABLE_FRAMING)
        except RequirementFailure as failure:
            if not dropped_unanswered(failure) or failure.exchange is None:
                raise
            expect_unchanged(caller, found["id"], before, "DEV-HTTP-005", failure.exchange)
            expected = "HTTP 400 before the connection closes"
            raise RequirementFailure(
                "DEV-HTTP-007", expected, failure.actual, failure.exchange
            ) from None
        expect(exchange.status == 400, "DEV-HTTP-005", "HTTP 400", exchange.describe(), exchange)
        expect_unchanged(caller, found["id"], before, "DEV-HTTP-005", exchange)
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
