"""Capabilities against the device's state and the viewer's roles (seed: Attributes,
capabilities), and the monitoring attributes that go with them."""

from __future__ import annotations

from typing import Any

from conformance.client import Exchange
from conformance.failures import expect

SUPERVISOR_CAPABILITIES = frozenset({"ListenIn", "BargeIn", "Coach", "CancelSupervisorMonitoring"})
MONITORING = ("supervisorMonitoringState", "supervisorMonitoringMode", "supervisorMonitoringScope")


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


def check_capabilities(
    device: dict[str, Any], viewer_roles: frozenset[str], exchange: Exchange, *, full: bool
) -> None:
    """`full`: the object is a whole view (fields=* or none), so absent attributes are absent."""
    if not isinstance(device.get("capabilities"), list):
        return
    offered = set(device["capabilities"])
    where = f"device {device['id']} capabilities {sorted(offered)}"
    if full:
        found = contradictions(device)
        expect(
            not found,
            "DEV-CAP-001",
            "no capability the state rules out",
            f"{where}: {found}",
            exchange,
        )
    if "ROLE_SUPERVISOR" not in viewer_roles:
        shown = sorted(offered & SUPERVISOR_CAPABILITIES)
        expect(
            not shown,
            "DEV-CAP-002",
            "no supervisor capability for a viewer without ROLE_SUPERVISOR",
            f"{where}: {shown}",
            exchange,
        )
    if full:
        expect(
            "CancelSupervisorMonitoring" not in offered or MONITORING[0] in device,
            "DEV-CAP-003",
            "CancelSupervisorMonitoring only while monitoring",
            f"{where} with no supervisorMonitoringState",
            exchange,
        )


def check_monitoring_attributes(device: dict[str, Any], exchange: Exchange) -> None:
    state, mode, scope = (name in device for name in MONITORING)
    expect(
        state or not (mode or scope),
        "DEV-MON-001",
        "supervisorMonitoringMode and Scope only together with supervisorMonitoringState",
        f"device {device['id']}: " + ", ".join(n for n in MONITORING if n in device),
        exchange,
    )
