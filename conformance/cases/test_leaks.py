"""Refusals carry no device data (openapi/decisions.md#refusals-carry-no-data; OWASP API1, API3)."""

from __future__ import annotations

import pytest

from conformance.checks.leaks import check_no_device_data, devices_hidden_from
from conformance.contract.identities import ANONYMOUS
from conformance.steps.discovery import Inventory
from conformance.steps.steps import get

# (identity, path template, whose object), every one refused by a conformant server.
REFUSALS = [
    (ANONYMOUS, "/me/devices", None),
    ("agent", "/devices", None),
    ("agent", "/devices/{device}", "other-agent"),
    ("agent", "/me/devices/{device}", "other-agent"),
    ("agent", "/users/{user}/devices", "other-agent"),
    ("supervisor", "/devices/{device}", "agent"),
]


@pytest.mark.requirement("DEV-PERM-011")
@pytest.mark.parametrize(
    ("identity", "template", "owner"),
    REFUSALS,
    ids=[
        f"{i}:{t.replace('{device}', owner or '').replace('{user}', owner or '')}"
        for i, t, owner in REFUSALS
    ],
)
def test_a_refusal_holds_no_device_data(
    identity, template, owner, client, stranger, inventory: Inventory
):
    """Sends a request the identity may not make, with fields=*; the refusal names no device."""
    asked = None
    if owner:
        asked = inventory.own_device(owner)["id"]
        user_id = inventory.user_id_of(owner)
        template = template.replace("{device}", asked).replace("{user}", user_id)
    caller = stranger(ANONYMOUS) if identity == ANONYMOUS else client(identity)
    reply = get(caller, template, {"fields": "*"})
    if reply.status == 200:
        # Not this requirement's fault: it judges what a refusal holds, and the permission cells
        # fail the answer under the rule it broke (DEV-PERM-003 for a device read, ...).
        pytest.skip(f"{template} was not refused (HTTP 200), so no refusal to judge")
    hidden = (
        devices_hidden_from(inventory, identity)
        if identity != ANONYMOUS
        else inventory.known_devices()
    )
    check_no_device_data(reply.exchange, hidden, asked)
