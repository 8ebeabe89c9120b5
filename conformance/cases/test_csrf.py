"""Cross-site request forgery protection, when a server turns it on (vendor page "CSRF
protection"): GETs name a header and a token; a POST without them is refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conformance.steps.devices_state import DeviceState, expect_unchanged, read_device, restore
from conformance.steps.discovery import Inventory
from conformance.steps.steps import expect_status, get_unchecked, post
from conformance.target.client import Client

pytestmark = pytest.mark.writes("reversible")


@pytest.fixture
def protected(client: Callable[[str], Client], inventory: Inventory):
    """(the agent's client, its device id, the state to restore) when the target advertises CSRF."""
    caller = client("agent")
    # Unchecked: only the headers matter here; the cases reading the list judge its answer.
    reply = get_unchecked(caller, "/me/devices")
    if "x-csrf-header" not in reply.exchange.headers:
        pytest.skip("the target does not advertise CSRF protection (no X-CSRF-HEADER on GET)")
    found = inventory.own_device("agent")
    _, now = read_device(caller, found["id"])
    before = DeviceState.of(now)
    yield caller, found["id"], before
    restore(caller, found["id"], before)


def toggle(before: DeviceState) -> dict[str, str]:
    value = "Off" if before.do_not_disturb == "On" else "On"
    return {"operationName": f"DoNotDisturb{value}"}


@pytest.mark.requirement("DEV-CSRF-001")
def test_a_post_without_the_csrf_header_is_refused(protected):
    """Posts a do-not-disturb change without the CSRF header; 403, and nothing changes."""
    caller, device_id, before = protected
    reply = post(caller, f"/me/devices/{device_id}", toggle(before), csrf=False)
    expect_status(reply, {403}, "DEV-CSRF-001", "a POST without the CSRF header")
    expect_unchanged(caller, device_id, before, "DEV-CSRF-001", reply.exchange)


@pytest.mark.requirement("DEV-CSRF-002")
def test_a_post_with_the_csrf_header_is_served(protected):
    """Posts a do-not-disturb change with the header and token from a GET; it is performed."""
    caller, device_id, before = protected
    reply = post(caller, f"/me/devices/{device_id}", toggle(before), csrf=True)
    expect_status(reply, {200}, "DEV-CSRF-002", "a POST with the CSRF header and token")
