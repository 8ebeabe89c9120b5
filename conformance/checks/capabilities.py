"""Capabilities against the device's state and the viewer's roles (seed: Attributes,
capabilities), and the monitoring attributes that go with them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conformance.contract.exchange import Exchange
from conformance.contract.failures import expect
from conformance.steps.profiles import FLAT, MUTE_CAPABILITIES, STATE

# Mute and Unmute exist in 8.5.2 only; in 8.5.0 the contract's enumeration refuses them anyway.
SUPERVISOR_CAPABILITIES = (
    frozenset({"ListenIn", "BargeIn", "Coach", "CancelSupervisorMonitoring"}) | MUTE_CAPABILITIES
)
MONITORING = (STATE, *FLAT)


def contradictions(device: dict[str, Any]) -> list[str]:
    """Capabilities that the device's own state rules out."""
    offered = set(device.get("capabilities") or ())
    found = []
    dnd = device.get("doNotDisturb")
    if dnd == "On" and "DoNotDisturbOn" in offered:
        found.append("DoNotDisturbOn while doNotDisturb is On")
    if dnd == "Off" and "DoNotDisturbOff" in offered:
        found.append("DoNotDisturbOff while doNotDisturb is Off")
    forwarding = "forwardTo" in device
    if forwarding and "ForwardCallsOn" in offered:
        found.append("ForwardCallsOn while forwarding")
    if not forwarding and "ForwardCallsOff" in offered:
        found.append("ForwardCallsOff while not forwarding")
    return found


def offered(device: dict[str, Any]) -> set[str] | None:
    capabilities = device.get("capabilities")
    return set(map(str, capabilities)) if isinstance(capabilities, list) else None


def where(device: dict[str, Any], shown: set[str]) -> str:
    return f"device {device['id']} capabilities {sorted(shown)}"


# Each check reads a whole view of the device (fields=* or none), where an absent attribute is
# absent, not left out by a projection.


def check_state_contradictions(
    device: dict[str, Any], viewer_roles: frozenset[str], exchange: Exchange
) -> None:
    """DEV-CAP-001."""
    shown = offered(device)
    if shown is None:
        return
    found = contradictions(device)
    expect(
        not found,
        "DEV-CAP-001",
        "no capability the state rules out",
        f"{where(device, shown)}: {found}",
        exchange,
    )


def check_supervisor_only(
    device: dict[str, Any], viewer_roles: frozenset[str], exchange: Exchange
) -> None:
    """DEV-CAP-002."""
    shown = offered(device)
    if shown is None or "ROLE_SUPERVISOR" in viewer_roles:
        return
    supervisor = sorted(shown & SUPERVISOR_CAPABILITIES)
    expect(
        not supervisor,
        "DEV-CAP-002",
        "no supervisor capability for a viewer without ROLE_SUPERVISOR",
        f"{where(device, shown)}: {supervisor}",
        exchange,
    )


def check_cancel_only_while_monitoring(
    device: dict[str, Any], viewer_roles: frozenset[str], exchange: Exchange
) -> None:
    """DEV-CAP-003."""
    shown = offered(device)
    if shown is None:
        return
    expect(
        "CancelSupervisorMonitoring" not in shown or MONITORING[0] in device,
        "DEV-CAP-003",
        "CancelSupervisorMonitoring only while monitoring",
        f"{where(device, shown)} with no supervisorMonitoringState",
        exchange,
    )


def check_mute_only_while_monitoring(
    device: dict[str, Any], viewer_roles: frozenset[str], exchange: Exchange
) -> None:
    """DEV-CAP-004 (8.5.2): the monitored user is muted on a monitoring, by a supervisor."""
    shown = offered(device)
    if shown is None:
        return
    mute = sorted(shown & MUTE_CAPABILITIES)
    allowed = "ROLE_SUPERVISOR" in viewer_roles and STATE in device
    expect(
        not mute or allowed,
        "DEV-CAP-004",
        "MuteMonitoredUser and UnmuteMonitoredUser only to a supervisor, while monitoring",
        f"{where(device, shown)}: {mute} "
        + ("with no supervisorMonitoringState" if STATE not in device else "to a non-supervisor"),
        exchange,
    )


# Every profile's checks; the plugin keeps those of the requirements --api-version's profile has.
CAPABILITY_CHECKS: dict[str, Callable[[dict[str, Any], frozenset[str], Exchange], None]] = {
    "DEV-CAP-001": check_state_contradictions,
    "DEV-CAP-002": check_supervisor_only,
    "DEV-CAP-003": check_cancel_only_while_monitoring,
    "DEV-CAP-004": check_mute_only_while_monitoring,
}


def check_monitoring_attributes(device: dict[str, Any], exchange: Exchange) -> None:
    state, mode, scope = (name in device for name in MONITORING)
    expect(
        state or not (mode or scope),
        "DEV-MON-001",
        "supervisorMonitoringMode and Scope only together with supervisorMonitoringState",
        f"device {device['id']}: " + ", ".join(n for n in MONITORING if n in device),
        exchange,
    )


def check_no_flat_monitoring(device: dict[str, Any], exchange: Exchange) -> None:
    """DEV-MON-005 (8.5.2): mode and scope are members of the monitoring object only."""
    flat = [name for name in FLAT if name in device]
    expect(
        not flat,
        "DEV-MON-005",
        "no flat supervisorMonitoringMode or supervisorMonitoringScope",
        f"device {device['id']}: {', '.join(flat)}",
        exchange,
    )
