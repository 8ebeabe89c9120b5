"""Who may call what, cell by cell: every operation x identity x object, generated from the
contract's `x-access` policy (OWASP API Security Top 10: API1 object-level and API5
function-level authorization)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from conformance.checks.leaks import check_no_device_data, devices_hidden_from
from conformance.contract.failures import expect
from conformance.contract.policy import Cell, PolicyError, cells
from conformance.steps.devices_state import operate, read_device
from conformance.steps.discovery import Inventory
from conformance.steps.numbers_pool import NumberPool
from conformance.steps.steps import Reply, devices, get, get_unchecked, post_unchecked, settle
from conformance.target.client import Client

MISSING_DEVICE = "00000000-0000-4000-8000-00000000c0de"
MISSING_USER = "000000000000000000000000c0de0000"

try:
    CELLS = cells()
except PolicyError as error:  # a collection error that says what is wrong with the policy
    raise pytest.UsageError(f"openapi/devices.yaml: {error}") from None


def cell_params() -> list[Any]:
    params = []
    for cell in CELLS:
        marks = [
            pytest.mark.requirement(cell.requirement),
            pytest.mark.role(cell.identity),
            pytest.mark.cell(cell.operation_id, cell.identity, cell.obj),
        ]
        if cell.writes != "none":
            marks.append(pytest.mark.writes(cell.writes))
        params.append(pytest.param(cell, id=cell.label, marks=marks))
    return params


def resolve_device(cell: Cell, inventory: Inventory) -> dict[str, Any]:
    if cell.obj == "missing":
        return {"id": MISSING_DEVICE}
    if cell.obj == "foreign":
        found = inventory.foreign_device()
    else:
        found = inventory.device_of(cell.identity if cell.obj == "own" else cell.obj)
    if found is None:
        pytest.skip(f"no {cell.obj} device on this target")
    return found


def resolve_user(cell: Cell, inventory: Inventory) -> tuple[str, frozenset[str] | None]:
    """The user id the path names, and that user's roles when known."""
    if cell.obj == "missing":
        return MISSING_USER, None
    name = (
        cell.identity
        if cell.obj == "self"
        else ("other-agent" if cell.identity == "agent" else "agent")
    )
    if name not in inventory.identities:
        pytest.skip(f"no credentials for {name}, whose user id this cell needs")
    return inventory.user_id_of(name), inventory.identities[name].roles


def path_of(cell: Cell, inventory: Inventory) -> tuple[str, dict[str, Any] | None, frozenset[int]]:
    """The path with its parameter filled, the device it names, the statuses allowed."""
    if "{id}" in cell.path:
        found = resolve_device(cell, inventory)
        return cell.path.replace("{id}", found["id"]), found, cell.expected
    if "{userId}" in cell.path:
        user_id, roles = resolve_user(cell, inventory)
        return cell.path.replace("{userId}", user_id), None, cell.expected_for(roles)
    return cell.path, None, cell.expected


def send(
    cell: Cell,
    caller: Client,
    path: str,
    target: dict[str, Any] | None,
    pool: Callable[[], NumberPool],
) -> Reply:
    # Unchecked: the cell judges the status first, under its own requirement ID; a status the
    # contract does not document for the operation would otherwise be reported as DEV-ENV-004.
    if cell.method == "GET":
        return get_unchecked(caller, path, {"fields": "*"})
    if cell.operation_id == "operateMyDevice":
        return switch_do_not_disturb(caller, path, (target or {}).get("doNotDisturb"))
    return post_unchecked(caller, path, {"phoneNumber": pool().take()})


def switch_do_not_disturb(caller: Client, path: str, now: str | None) -> Reply:
    """Posts the do-not-disturb operation the device's state offers. A device that does not show
    doNotDisturb (optional: openapi/decisions.md#optional-and-extra-attributes) gets
    DoNotDisturbOn, then
    DoNotDisturbOff if the first is refused as not offered now (400 or 403)."""
    first = "DoNotDisturbOff" if now == "On" else "DoNotDisturbOn"
    reply = post_unchecked(caller, path, {"operationName": first})
    if now is None and reply.status in {400, 403}:
        reply = post_unchecked(caller, path, {"operationName": "DoNotDisturbOff"})
    return reply


def current(
    target: dict[str, Any], cell: Cell, client: Callable[[str], Client], inventory: Inventory
) -> dict[str, Any]:
    """The device as its owner sees it now: earlier cases may have changed it since discovery."""
    owner = inventory.owner_of(target["id"])
    if owner is None:
        return target
    _, found = read_device(client(owner), target["id"])
    return found or target


def undo(
    cell: Cell, caller: Client, path: str, target: dict[str, Any] | None, reply: Reply
) -> None:
    """Put back a device that a successful operation changed (allowed, or wrongly let through)."""
    if cell.operation_id == "operateMyDevice" and reply.status == 200 and target is not None:
        sent = json.loads(reply.exchange.request_body or b"{}").get("operationName")
        value = "Off" if sent == "DoNotDisturbOn" else "On"
        operate(caller, target["id"], f"DoNotDisturb{value}")


@pytest.mark.parametrize("cell", cell_params())
def test_policy_cell(cell: Cell, client, inventory: Inventory, request):
    """Sends the operation as the identity on the object; the status is what the policy says."""
    caller = client(cell.identity)
    path, target, expected = path_of(cell, inventory)
    if target is not None and cell.method == "POST":
        target = current(target, cell, client, inventory)
    reply = send(cell, caller, path, target, lambda: request.getfixturevalue("numbers"))
    try:
        expect(
            reply.status in expected,
            cell.requirement,
            cell.expectation(path, expected),
            reply.exchange.describe(),
            reply.exchange,
        )
        if reply.status != 200:
            hidden = devices_hidden_from(inventory, cell.identity)
            check_no_device_data(reply.exchange, hidden, target["id"] if target else None)
        elif cell.verdict == "self" and cell.method == "GET":
            expect_only_own(cell, reply, client, inventory)
        settle(caller, reply)
    finally:
        undo(cell, caller, path, target, reply)


def expect_only_own(
    cell: Cell, reply: Reply, client: Callable[[str], Client], inventory: Inventory
) -> None:
    """A `self` answer lists only what the caller owns, as the admin sees it."""
    mine = f"/users/{inventory.user_id_of(cell.identity)}/devices"
    own = {d["id"] for d in devices(get(client("admin"), mine, {"fields": "id"}))}
    listed = {d["id"] for d in devices(reply, cell.requirement)}
    expect(
        listed <= own,
        cell.requirement,
        f"only {cell.identity}'s own devices",
        f"also {sorted(listed - own)}",
        reply.exchange,
    )
