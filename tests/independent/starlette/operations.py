"""Device operations, `POST /me/devices/{id}` (vendor page "Device operations")."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

from .bodies import (
    FORBIDDEN,
    INVALID,
    NO_PERMISSION,
    ApiError,
    invalid,
    optional_choice,
    optional_number,
    required_number,
    required_text,
)
from .store import AGENT, SUPERVISOR, Device, Monitoring
from .views import MONITORING_OPERATIONS, PROFILE_852, Context, capabilities

SUPERVISOR_OPERATIONS = (*MONITORING_OPERATIONS, "CancelSupervisorMonitoring")
DEVICE_PATH = re.compile(r"/devices/([^/]+)/?$")


def perform(device: Device, body: dict[str, Any], ctx: Context) -> None:
    """Checks everything first, then changes the device: a refusal changes nothing."""
    name = operation_name(body)
    if name in SUPERVISOR_OPERATIONS and not ctx.viewer.has(SUPERVISOR):
        # Seed, "capabilities": only users with ROLE_SUPERVISOR have these.
        raise ApiError(403, NO_PERMISSION, "User does not have permission")
    if name not in capabilities(device, ctx):
        # openapi/decisions.md#unoffered-operations: 400 with statusCode 2.
        raise ApiError(400, INVALID, f"Operation {name} is not available on this device")
    HANDLERS[name](device, body, ctx)


def operation_name(body: dict[str, Any]) -> str:
    name = required_text(body, "operationName")
    if name not in HANDLERS:
        raise invalid("operationName")
    return name


def do_not_disturb_on(device: Device, body: dict[str, Any], ctx: Context) -> None:
    device.do_not_disturb = "On"


def do_not_disturb_off(device: Device, body: dict[str, Any], ctx: Context) -> None:
    device.do_not_disturb = "Off"


def forward_calls_on(device: Device, body: dict[str, Any], ctx: Context) -> None:
    device.forward_to = required_number(body, "destination")


def forward_calls_off(device: Device, body: dict[str, Any], ctx: Context) -> None:
    device.forward_to = None


def monitor(state: str) -> Callable[[Device, dict[str, Any], Context], None]:
    """ListenIn, BargeIn, Coach: defaults AllCalls and Call (vendor "Device operations")."""

    def start(device: Device, body: dict[str, Any], ctx: Context) -> None:
        target = target_device(body, device, ctx)
        mode = optional_choice(body, "supervisorMonitoringMode", ("NextCall", "AllCalls"))
        scope = optional_choice(body, "supervisorMonitoringScope", ("Call", "Agent"))
        if ctx.profile == PROFILE_852:
            # "Supervisor ListenIn" (latest): an optional phoneNumber to monitor from.
            optional_number(body, "phoneNumber")
        device.monitoring = Monitoring(state, mode or "AllCalls", scope or "Call", target.id)

    return start


def target_device(body: dict[str, Any], device: Device, ctx: Context) -> Device:
    """The agent's device named by `targetDeviceUri`: another user's, who holds ROLE_AGENT
    (openapi/decisions.md#monitoring-state: a device does not monitor its own calls)."""
    uri = required_text(body, "targetDeviceUri")
    target = ctx.store.devices.get(device_id_in(uri) or "")
    owner = ctx.store.users.get(target.owner or "") if target is not None else None
    if target is None or owner is None or owner.id == ctx.viewer.id or not owner.has(AGENT):
        raise invalid("targetDeviceUri")
    if any(
        other.monitoring is not None and other.monitoring.target_id == target.id
        for other in ctx.store.devices.values()
        if other.id != device.id
    ):
        # Seed, "capabilities": only one supervisor at a time may monitor a given device.
        raise ApiError(403, FORBIDDEN, "The device is already monitored by another supervisor")
    return target


def device_id_in(uri: str) -> str | None:
    """The id at the end of an absolute http(s) device URI, under any host or prefix."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    found = DEVICE_PATH.search(parts.path)
    return unquote(found.group(1)) if found else None


def cancel_monitoring(device: Device, body: dict[str, Any], ctx: Context) -> None:
    device.monitoring = None


HANDLERS: dict[str, Callable[[Device, dict[str, Any], Context], None]] = {
    "DoNotDisturbOn": do_not_disturb_on,
    "DoNotDisturbOff": do_not_disturb_off,
    "ForwardCallsOn": forward_calls_on,
    "ForwardCallsOff": forward_calls_off,
    "ListenIn": monitor("ListenIn"),
    "BargeIn": monitor("BargeIn"),
    "Coach": monitor("Coach"),
    "CancelSupervisorMonitoring": cancel_monitoring,
}
