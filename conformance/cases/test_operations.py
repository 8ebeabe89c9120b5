"""Device operations and the state they leave (vendor page "Device operations"). Every case
puts the device back as it found it, even when it fails midway."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from conformance.contract.contract import selected_profile
from conformance.contract.failures import expect
from conformance.steps.devices_state import MONITORING, DeviceState, operate, read_device, restore
from conformance.steps.discovery import Inventory
from conformance.steps.profiles import MONITORING_SHOWN, monitoring
from conformance.steps.steps import expect_status, get, post, uris
from conformance.target.client import Client, api_path

pytestmark = pytest.mark.writes("reversible")

# A destination for forwarding from the range Ofcom reserves for drama (never a real line).
DESTINATION = "+442079460999"
REFUSED = {400, 403}


@pytest.fixture
def own_device(
    client: Callable[[str], Client], inventory: Inventory
) -> Iterator[Callable[[str], tuple[Client, str]]]:
    """own_device(identity) -> (its client, the id of a device it owns); put back afterwards."""
    touched: list[tuple[Client, str, DeviceState]] = []

    def pick(identity: str) -> tuple[Client, str]:
        caller = client(identity)
        found = inventory.own_device(identity)
        _, now = read_device(caller, found["id"])
        touched.append((caller, found["id"], DeviceState.of(now)))
        return caller, found["id"]

    yield pick
    for caller, device_id, before in reversed(touched):
        restore(caller, device_id, before)


def state_of(caller: Client, device_id: str) -> tuple[DeviceState, dict[str, Any]]:
    _, found = read_device(caller, device_id)
    return DeviceState.of(found), found


def expect_unchanged(
    caller: Client, device_id: str, before: DeviceState, req_id: str, reply: Any
) -> None:
    after, _ = state_of(caller, device_id)
    expect(after == before, req_id, f"the device unchanged: {before}", f"{after}", reply.exchange)


def expect_done(reply: Any, req_id: str, what: str) -> None:
    expect_status(reply, {200}, req_id, what)


def operated(
    caller: Client, device_id: str, req_id: str, what: str, name: str, **fields: str
) -> tuple[Any, DeviceState, dict[str, Any]]:
    """Posts the operation, expects it done, and reads the device back."""
    reply = operate(caller, device_id, name, **fields)
    expect_done(reply, req_id, what)
    after, found = state_of(caller, device_id)
    return reply, after, found


# Attributes other than `id` are optional (openapi/decisions.md#optional-and-extra-attributes),
# and capabilities depend on configuration (openapi/decisions.md#capabilities): a case skips
# what the device gives it no way to see.
OPERABLE_STATE = ("doNotDisturb", "forwardTo", "capabilities", *MONITORING)


def require_offered(found: dict[str, Any], name: str) -> None:
    """Skip when the device lists its capabilities and `name` is not among them: it may then
    refuse the operation (openapi/decisions.md#unoffered-operations: 400 with statusCode 2, or
    403)."""
    offered = found.get("capabilities")
    if isinstance(offered, list) and name not in offered:
        pytest.skip(f"the device does not offer {name} now (capabilities {offered})")


def require_shown(found: dict[str, Any], names: tuple[str, ...], what: str) -> None:
    """Skip when the device shows none of `names`: the effect cannot be observed."""
    if not any(name in found for name in names):
        pytest.skip(f"the device shows none of {', '.join(names)}: {what} cannot be observed")


@pytest.mark.requirement("DEV-OPS-001")
def test_do_not_disturb_turns_on_and_off(own_device):
    """Posts DoNotDisturbOn and DoNotDisturbOff (in the order the state allows) and reads back."""
    caller, device_id = own_device("agent")
    before, found = state_of(caller, device_id)
    require_shown(found, ("doNotDisturb",), "do-not-disturb")
    order = ["Off", "On"] if before.do_not_disturb == "On" else ["On", "Off"]
    require_offered(found, f"DoNotDisturb{order[0]}")
    for value in order:
        name = f"DoNotDisturb{value}"
        reply, after, _ = operated(caller, device_id, "DEV-OPS-001", name, name)
        expect(
            after.do_not_disturb == value,
            "DEV-OPS-001",
            f"doNotDisturb {value} after DoNotDisturb{value}",
            f"doNotDisturb {after.do_not_disturb!r}",
            reply.exchange,
        )


@pytest.mark.requirement("DEV-OPS-002")
def test_forwarding_sets_and_removes_forward_to(own_device):
    """Posts ForwardCallsOn with a destination, reads forwardTo, posts ForwardCallsOff."""
    caller, device_id = own_device("agent")
    before, found = state_of(caller, device_id)
    require_shown(found, OPERABLE_STATE, "forwarding")
    if before.forward_to is not None:
        expect_done(operate(caller, device_id, "ForwardCallsOff"), "DEV-OPS-002", "ForwardCallsOff")
    require_offered(state_of(caller, device_id)[1], "ForwardCallsOn")
    reply, after, _ = operated(
        caller,
        device_id,
        "DEV-OPS-002",
        "ForwardCallsOn",
        "ForwardCallsOn",
        destination=DESTINATION,
    )
    expect(
        after.forward_to == DESTINATION,
        "DEV-OPS-002",
        f"forwardTo {DESTINATION}",
        f"{after.forward_to!r}",
        reply.exchange,
    )
    reply, after, _ = operated(
        caller, device_id, "DEV-OPS-002", "ForwardCallsOff", "ForwardCallsOff"
    )
    expect(
        after.forward_to is None,
        "DEV-OPS-002",
        "no forwardTo",
        f"forwardTo {after.forward_to!r}",
        reply.exchange,
    )


@pytest.mark.requirement("DEV-OPS-003")
def test_forwarding_without_destination_is_refused(own_device):
    """Posts ForwardCallsOn without `destination`; 400, and nothing changes."""
    caller, device_id = own_device("agent")
    before, _ = state_of(caller, device_id)
    if before.forward_to is not None:
        operate(caller, device_id, "ForwardCallsOff")
        before, _ = state_of(caller, device_id)
    reply = operate(caller, device_id, "ForwardCallsOn")
    expect_status(reply, {400}, "DEV-OPS-003", "ForwardCallsOn without destination")
    expect_unchanged(caller, device_id, before, "DEV-OPS-003", reply)


@pytest.mark.requirement("DEV-OPS-004")
@pytest.mark.parametrize(
    "body",
    [{}, {"operationName": "SelfDestruct"}, {"operationName": 7}],
    ids=["missing", "unknown", "number"],
)
def test_a_missing_or_unknown_operation_is_refused(body, own_device):
    """Posts an operation body without a known operationName; 400, and nothing changes."""
    caller, device_id = own_device("agent")
    before, _ = state_of(caller, device_id)
    reply = post(caller, f"/me/devices/{device_id}", body)
    expect_status(reply, {400}, "DEV-OPS-004", "an operation body without a known operationName")
    expect_unchanged(caller, device_id, before, "DEV-OPS-004", reply)


@pytest.mark.requirement("DEV-OPS-005")
def test_an_operation_the_device_does_not_offer_is_refused(own_device):
    """Posts the do-not-disturb operation that matches the current state (DoNotDisturbOn while
    On); 400 with statusCode 2, or 403, and nothing changes."""
    caller, device_id = own_device("agent")
    before, found = state_of(caller, device_id)
    require_shown(found, ("doNotDisturb",), "which do-not-disturb operation is not offered")
    current = before.do_not_disturb
    reply = operate(caller, device_id, f"DoNotDisturb{current}")
    expect_status(reply, REFUSED, "DEV-OPS-005", f"DoNotDisturb{current} while already {current}")
    if reply.status == 400:
        expect(
            reply.body.get("statusCode") == 2,
            "DEV-OPS-005",
            "statusCode 2",
            f"{reply.body.get('statusCode')}",
            reply.exchange,
        )
    expect_unchanged(caller, device_id, before, "DEV-OPS-005", reply)


def device_uri(caller: Client, device_id: str, base_path: str = "/me/devices") -> str | None:
    """The server's own URI for a device, as its owner's list gives it."""
    for uri in uris(get(caller, base_path)):
        if (api_path(uri, caller.target.base_url) or "").endswith("/" + device_id):
            return uri
    return None


@pytest.fixture
def agent_device_uri(client: Callable[[str], Client], inventory: Inventory) -> str:
    found = inventory.own_device("agent")
    uri = device_uri(client("agent"), found["id"])
    if uri is None:
        pytest.skip("the agent's list gives no URI for its device")
    return uri


@pytest.mark.requirement("DEV-OPS-006")
@pytest.mark.parametrize("name", ["ListenIn", "BargeIn", "Coach"])
def test_monitoring_without_target_is_refused(name, own_device):
    """A supervisor posts a monitoring operation without targetDeviceUri; 400, nothing changes."""
    caller, device_id = own_device("supervisor")
    before, _ = state_of(caller, device_id)
    reply = operate(caller, device_id, name)
    expect_status(reply, {400}, "DEV-OPS-006", f"{name} without targetDeviceUri")
    expect_unchanged(caller, device_id, before, "DEV-OPS-006", reply)


# A device id that names no device: the agent's device URI with this id in place of its own.
UNKNOWN_DEVICE_ID = "00000000-0000-4000-8000-00000000f00d"


@pytest.mark.requirement("DEV-HTTP-005")
@pytest.mark.parametrize(
    ("member", "value", "refusals"),
    [
        ("supervisorMonitoringScope", "Everything", {400}),
        ("supervisorMonitoringMode", "Loudly", {400}),
        # Not a URI at all (RFC 3986: an IPv6 host needs its closing bracket).
        ("targetDeviceUri", "http://[::1/api/v2/devices/1", {400}),
        # A device URI naming no device: a bad member (400), or a device not found (404).
        ("targetDeviceUri", UNKNOWN_DEVICE_ID, {400, 404}),
    ],
    ids=["scope-unknown", "mode-unknown", "target-not-a-uri", "target-unknown"],
)
def test_a_listen_in_with_one_bad_member_is_refused(
    member, value, refusals, own_device, agent_device_uri
):
    """A supervisor posts ListenIn on an agent's device, everything right but one member: an
    enumerated one outside the seed's values (openapi/decisions.md#enumerations), or a target
    that is no URI or names no device; refused, no change. A supervisor's own device offers
    ListenIn, so the member is the only thing to refuse."""
    caller, device_id = own_device("supervisor")
    before, _ = state_of(caller, device_id)
    if value == UNKNOWN_DEVICE_ID:
        value = agent_device_uri.rstrip("/").rsplit("/", 1)[0] + "/" + UNKNOWN_DEVICE_ID
    body = {"targetDeviceUri": agent_device_uri, member: value}
    reply = operate(caller, device_id, "ListenIn", **body)
    expect_status(reply, refusals, "DEV-HTTP-005", f"ListenIn with {member} {value!r}")
    expect_unchanged(caller, device_id, before, "DEV-HTTP-005", reply)


@pytest.mark.requirement("DEV-MON-007")
@pytest.mark.parametrize("name", ["ListenIn", "BargeIn", "Coach"])
def test_a_device_cannot_monitor_itself(name, own_device):
    """A supervisor posts a monitoring operation naming its own device as the target; refused
    (400 or 403, as an operation the device does not offer), nothing changes."""
    caller, device_id = own_device("supervisor")
    uri = device_uri(caller, device_id)
    if uri is None:
        pytest.skip("the supervisor's list gives no URI for its device")
    before, _ = state_of(caller, device_id)
    reply = operate(caller, device_id, name, targetDeviceUri=uri)
    expect_status(reply, {400, 403}, "DEV-MON-007", f"{name} on the supervisor's own device")
    expect_unchanged(caller, device_id, before, "DEV-MON-007", reply)


@pytest.mark.requirement("DEV-PERM-012")
@pytest.mark.parametrize("name", ["ListenIn", "BargeIn", "Coach"])
def test_an_agent_cannot_monitor(name, own_device, client, inventory):
    """The other agent posts a monitoring operation on the agent's device; refused, no change."""
    caller, device_id = own_device("other-agent")
    target = inventory.own_device("agent")
    uri = device_uri(client("agent"), target["id"])
    before, _ = state_of(caller, device_id)
    reply = operate(caller, device_id, name, targetDeviceUri=uri or "")
    expect_status(reply, REFUSED, "DEV-PERM-012", f"{name} by a user without ROLE_SUPERVISOR")
    expect_unchanged(caller, device_id, before, "DEV-PERM-012", reply)


MONITORING_CASES = [
    ("ListenIn", {}, ("ListenIn", "AllCalls", "Call")),
    ("BargeIn", {}, ("BargeIn", "AllCalls", "Call")),
    (
        "Coach",
        {"supervisorMonitoringMode": "NextCall", "supervisorMonitoringScope": "Agent"},
        ("Coach", "NextCall", "Agent"),
    ),
]


def by_profile(cases: list[Any]) -> list[Any]:
    """Each monitoring case once per profile's rule (the plugin keeps --api-version's); the
    8.5.0 cases keep the names they had before there were profiles."""
    return [
        pytest.param(
            req_id,
            *case,
            marks=pytest.mark.requirement(req_id),
            id=case[0] if profile == "8.5.0" else f"{case[0]}-{profile}",
        )
        for profile, req_id in MONITORING_SHOWN.items()
        for case in cases
    ]


@pytest.mark.parametrize(("req_id", "name", "options", "shown"), by_profile(MONITORING_CASES))
def test_monitoring_shows_on_the_supervisors_device(
    req_id, name, options, shown, own_device, agent_device_uri, inventory
):
    """A supervisor monitors the agent's device; its own device shows state, mode and scope
    (in 8.5.2 in one object, with the monitored device's URI)."""
    caller, device_id = own_device("supervisor")
    before, found = state_of(caller, device_id)
    require_shown(found, OPERABLE_STATE, "monitoring")
    if before.monitoring_on:
        operate(caller, device_id, "CancelSupervisorMonitoring")
    require_offered(state_of(caller, device_id)[1], name)
    reply, _, found = operated(
        caller,
        device_id,
        req_id,
        f"{name} by a supervisor on an agent's device",
        name,
        targetDeviceUri=agent_device_uri,
        **options,
    )
    seen = monitoring(found)
    expect(
        seen is not None and (seen.state, seen.mode, seen.scope) == shown,
        req_id,
        f"monitoring {shown}",
        f"{seen}",
        reply.exchange,
    )
    if req_id == MONITORING_SHOWN["8.5.2"]:
        expect_object_naming(found, inventory.own_device("agent")["id"], caller, reply)


def expect_object_naming(found: dict[str, Any], target_id: str, caller: Client, reply: Any) -> None:
    """DEV-MON-006: one object, whose targetDeviceUri names the monitored device."""
    shown = found.get("supervisorMonitoringState")
    uri = shown.get("targetDeviceUri") if isinstance(shown, dict) else None
    path = api_path(uri, caller.target.base_url) if isinstance(uri, str) else None
    expect(
        (path or "").endswith(f"/devices/{target_id}"),
        "DEV-MON-006",
        f"a supervisorMonitoringState object whose targetDeviceUri names device {target_id}",
        f"supervisorMonitoringState {shown!r}",
        reply.exchange,
    )


@pytest.mark.requirement("DEV-MON-003")
def test_cancelling_removes_monitoring(own_device, agent_device_uri):
    """A supervisor listens in, then cancels; the attributes and the capability are gone."""
    caller, device_id = own_device("supervisor")
    before, found = state_of(caller, device_id)
    require_shown(found, OPERABLE_STATE, "monitoring")
    if not before.monitoring_on:
        reply = operate(caller, device_id, "ListenIn", targetDeviceUri=agent_device_uri)
        expect_done(reply, MONITORING_SHOWN[selected_profile()], "ListenIn by a supervisor")
    reply, after, found = operated(
        caller,
        device_id,
        "DEV-MON-003",
        "CancelSupervisorMonitoring while monitoring",
        "CancelSupervisorMonitoring",
    )
    expect(
        not any(after.monitoring),
        "DEV-MON-003",
        "no monitoring attributes",
        f"{after.monitoring}",
        reply.exchange,
    )
    expect(
        "CancelSupervisorMonitoring" not in (found.get("capabilities") or []),
        "DEV-MON-003",
        "CancelSupervisorMonitoring no longer offered",
        f"capabilities {found.get('capabilities')}",
        reply.exchange,
    )


@pytest.mark.requirement("DEV-MON-004")
def test_monitoring_offers_cancel(own_device, agent_device_uri):
    """A supervisor listens in; its device offers CancelSupervisorMonitoring."""
    caller, device_id = own_device("supervisor")
    before, found = state_of(caller, device_id)
    require_shown(found, ("capabilities",), "what is offered while monitoring")
    if not before.monitoring_on:
        reply = operate(caller, device_id, "ListenIn", targetDeviceUri=agent_device_uri)
        expect_done(reply, MONITORING_SHOWN[selected_profile()], "ListenIn by a supervisor")
    _, found = state_of(caller, device_id)
    expect(
        "CancelSupervisorMonitoring" in (found.get("capabilities") or []),
        "DEV-MON-004",
        "CancelSupervisorMonitoring offered while monitoring",
        f"capabilities {found.get('capabilities')}",
        None,
    )
