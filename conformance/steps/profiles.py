"""Which profile a target answers in, told apart by the monitoring a device shows
(openapi/decisions.md#profiles): three flat strings in 8.5.0, one object in 8.5.2. A target that
answers in the other profile's shape is told so in one line before any case runs, instead of a
schema failure on every monitored device."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pytest

from conformance.contract.failures import RequirementFailure
from conformance.steps.discovery import Inventory
from conformance.target.client import Client

STATE = "supervisorMonitoringState"
FLAT = ("supervisorMonitoringMode", "supervisorMonitoringScope")
MUTE_CAPABILITIES = frozenset({"MuteMonitoredUser", "UnmuteMonitoredUser"})
# The rule that a monitoring operation shows on the supervisor's device, per profile.
MONITORING_SHOWN = {"8.5.0": "DEV-MON-002", "8.5.2": "DEV-MON-006"}


@dataclass(frozen=True)
class Monitoring:
    """A monitoring as either profile shows it; `target` only in 8.5.2."""

    state: Any
    mode: Any
    scope: Any
    target: Any = None


def monitoring(device: dict[str, Any]) -> Monitoring | None:
    """The monitoring a device shows, read the same way in both profiles; None when none."""
    shown = device.get(STATE)
    if isinstance(shown, dict):
        return Monitoring(
            shown.get("state"), shown.get("mode"), shown.get("scope"), shown.get("targetDeviceUri")
        )
    if shown is None:
        return None
    return Monitoring(shown, device.get(FLAT[0]), device.get(FLAT[1]))


def shape(device: dict[str, Any]) -> str | None:
    """The profile whose shape a device's monitoring has, or None when it shows none."""
    shown = device.get(STATE)
    if isinstance(shown, dict):
        return "8.5.2"
    return "8.5.0" if isinstance(shown, str) else None


def mismatch(devices: Iterable[dict[str, Any]], profile: str) -> str | None:
    """One line when a device answers in another profile's shape than `profile`."""
    for device in devices:
        found = shape(device)
        if found is not None and found != profile:
            kind = "an object" if found == "8.5.2" else "a string"
            return (
                f"the target answers in the {found} profile's shape, not {profile}'s: device "
                f"{device.get('id')} shows {STATE} as {kind}; run again with --api-version {found}"
            )
    return None


def probe(clients: dict[str, Client], inventory: Inventory) -> list[dict[str, Any]]:
    """With nothing monitoring at discovery: the supervisor listens in on the agent's device,
    reads its own, and cancels. Returns what it read (nothing when it cannot be done)."""
    supervisor = clients.get("supervisor")
    own = monitorable_device(inventory)
    agent = first_device(inventory, "agent")
    if supervisor is None or own is None or agent is None:
        return []
    path = f"/me/devices/{own['id']}"
    target = f"{supervisor.target.base_url}/devices/{agent['id']}"
    try:
        started = supervisor.post(path, {"operationName": "ListenIn", "targetDeviceUri": target})
        if started.status != 200:
            return []
        read = supervisor.get(path, {"fields": "*"}).json()
        supervisor.post(path, {"operationName": "CancelSupervisorMonitoring"})
    except (RequirementFailure, pytest.skip.Exception):
        return []  # the cases that monitor report what went wrong
    device = read.get("device") if isinstance(read, dict) else None
    return [device] if isinstance(device, dict) else []


def first_device(inventory: Inventory, name: str) -> dict[str, Any] | None:
    """One device the identity owns, if discovery learned any (never skips: no case runs yet)."""
    known = inventory.identities.get(name)
    if known is None or known.refused or not known.devices:
        return None
    return next(iter(known.devices.values()))


def monitorable_device(inventory: Inventory) -> dict[str, Any] | None:
    """The supervisor's device, when it offers ListenIn and is not monitoring already."""
    device = first_device(inventory, "supervisor")
    if device is None or STATE in device:
        return None
    offered = device.get("capabilities")
    return device if isinstance(offered, list) and "ListenIn" in offered else None


def told_apart(
    clients: dict[str, Client], inventory: Inventory, profile: str, writes: str
) -> str | None:
    """The one line for a target in the other profile's shape: from what discovery saw, or,
    when nothing was monitoring and writes are allowed, from a monitoring probe."""
    seen = list(inventory.known_devices().values())
    if any(shape(device) for device in seen) or writes == "none":
        return mismatch(seen, profile)
    return mismatch(probe(clients, inventory), profile)
