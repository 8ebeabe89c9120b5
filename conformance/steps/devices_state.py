"""A device's operable state: what the operations change, read before a write case and put
back after it, so that `--writes reversible` leaves the target as it found it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from conformance.contract.exchange import Exchange
from conformance.contract.failures import expect
from conformance.steps.steps import Reply, get, post
from conformance.target.client import Client

MONITORING = ("supervisorMonitoringState", "supervisorMonitoringMode", "supervisorMonitoringScope")


@dataclass(frozen=True)
class DeviceState:
    do_not_disturb: str | None
    forward_to: str | None
    monitoring: tuple[str | None, ...]

    @classmethod
    def of(cls, device: dict[str, Any]) -> DeviceState:
        return cls(
            device.get("doNotDisturb"),
            device.get("forwardTo"),
            tuple(device.get(name) for name in MONITORING),
        )

    @property
    def monitoring_on(self) -> bool:
        return self.monitoring[0] is not None


def read_device(caller: Client, device_id: str) -> tuple[Reply, dict[str, Any]]:
    reply = get(caller, f"/me/devices/{device_id}", {"fields": "*"})
    found = reply.body.get("device")
    return reply, dict(found) if isinstance(found, dict) else {}


def expect_unchanged(
    caller: Client, device_id: str, before: DeviceState, req_id: str, sent: Exchange
) -> None:
    """The device reads as it did before `sent`, which must not have changed it."""
    _, now = read_device(caller, device_id)
    expect(
        DeviceState.of(now) == before,
        req_id,
        f"unchanged: {before}",
        f"{DeviceState.of(now)}",
        sent,
    )


def operate(caller: Client, device_id: str, name: str, **members: Any) -> Reply:
    return post(caller, f"/me/devices/{device_id}", {"operationName": name, **members})


def restore(caller: Client, device_id: str, before: DeviceState) -> None:
    """Undo what a case changed, best effort: do-not-disturb, forwarding, monitoring."""
    _, now = read_device(caller, device_id)
    if not now:
        return
    current = DeviceState.of(now)
    if current.monitoring_on and not before.monitoring_on:
        operate(caller, device_id, "CancelSupervisorMonitoring")
    if before.do_not_disturb and current.do_not_disturb != before.do_not_disturb:
        operate(caller, device_id, f"DoNotDisturb{before.do_not_disturb}")
    if current.forward_to != before.forward_to:
        if current.forward_to is not None:
            operate(caller, device_id, "ForwardCallsOff")
        if before.forward_to is not None:
            operate(caller, device_id, "ForwardCallsOn", destination=before.forward_to)
