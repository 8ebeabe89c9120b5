"""How a device looks to a given viewer, in a given profile, and what `fields` keeps of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .numbers import facts
from .store import SUPERVISOR, Device, Store, User

PROFILE_850 = "8.5.0"
PROFILE_852 = "8.5.2"

# The voice environment (8.5.0) or voice service (8.5.2) every device of this server is in.
VOICE_ID = "c3f1a9d2-6b4e-4f8a-9e21-5d7c0b8a4f16"

MONITORING_OPERATIONS = ("ListenIn", "BargeIn", "Coach")


@dataclass(frozen=True)
class Context:
    """Who is looking, at which server, in which profile."""

    store: Store
    viewer: User
    api_base: str  # absolute, ending in /api/v2
    profile: str

    def device_uri(self, device_id: str) -> str:
        return f"{self.api_base}/devices/{device_id}"


def capabilities(device: Device, ctx: Context) -> list[str]:
    """The operations available now (seed, "Attributes"); what must not show is in
    openapi/decisions.md#capabilities: nothing that contradicts the state, no supervisor
    operation to a viewer without ROLE_SUPERVISOR, no cancel while not monitoring."""
    offered = ["DoNotDisturbOff" if device.do_not_disturb == "On" else "DoNotDisturbOn"]
    offered.append("ForwardCallsOff" if device.forward_to is not None else "ForwardCallsOn")
    if supervises(device, ctx.viewer):
        offered.extend(MONITORING_OPERATIONS)
        if device.monitoring is not None:
            offered.append("CancelSupervisorMonitoring")
            if ctx.profile == PROFILE_852:
                # 8.5.2 "Mute monitored user": only while monitoring; this API never mutes, so
                # the monitored user is never muted and Unmute is not offered.
                offered.append("MuteMonitoredUser")
    return offered


def supervises(device: Device, viewer: User) -> bool:
    """Supervisor operations belong to a supervisor's own device (vendor "Device operations")."""
    return viewer.has(SUPERVISOR) and device.owner == viewer.id


def render(device: Device, ctx: Context) -> dict[str, Any]:
    number = facts(device.phone_number)
    body: dict[str, Any] = {
        "id": device.id,
        "deviceState": device.device_state,
        "phoneNumber": device.phone_number,
        "phoneNumberUri": f"{ctx.api_base}/phone-numbers/{device.phone_number_id}",
        "telephonyNetwork": device.telephony_network,
        "model": device.model,
        "vendor": device.vendor,
        "country": number.country,
        "localNumber": number.local,
        "e164Number": number.e164,
        "doNotDisturb": device.do_not_disturb,
        "capabilities": capabilities(device, ctx),
    }
    if number.location is not None:
        body["location"] = number.location
    if device.forward_to is not None:
        body["forwardTo"] = device.forward_to
    owner = ctx.store.users.get(device.owner or "")
    if owner is not None:
        body["userState"] = {"id": owner.id, "state": "NotReady", "displayName": "Not Ready"}
    body.update(profile_attributes(device, ctx))
    return body


def profile_attributes(device: Device, ctx: Context) -> dict[str, Any]:
    """What differs between the profiles (openapi/decisions.md#gws-852-and-later)."""
    watch = device.monitoring
    if ctx.profile == PROFILE_852:
        extra: dict[str, Any] = {
            "type": device.type,
            "voiceServiceUri": f"{ctx.api_base}/services/{VOICE_ID}",
        }
        if watch is not None:
            extra["supervisorMonitoringState"] = {
                "state": watch.state,
                "mode": watch.mode,
                "scope": watch.scope,
                "targetDeviceUri": ctx.device_uri(watch.target_id),
            }
        return extra
    extra = {"voiceEnvironmentUri": f"{ctx.api_base}/voice-environments/{VOICE_ID}"}
    if watch is not None:
        # Seed, "Attributes": present only while monitoring.
        extra["supervisorMonitoringState"] = watch.state
        extra["supervisorMonitoringMode"] = watch.mode
        extra["supervisorMonitoringScope"] = watch.scope
    return extra


def parse_fields(raw: str | None) -> list[str] | None:
    """`fields` ("Request Parameters"): None for every attribute (`*`) or when not given, else
    the names asked for. Empty names are dropped; unknown ones are ignored later
    (openapi/decisions.md#fields)."""
    if raw is None:
        return None
    names = [name.strip() for name in raw.split(",") if name.strip()]
    if not names or "*" in names:
        return None
    return names


def select(body: dict[str, Any], names: list[str] | None) -> dict[str, Any]:
    """Only the named attributes, and always `id` (openapi/decisions.md#fields)."""
    if names is None:
        return body
    return {key: value for key, value in body.items() if key == "id" or key in names}
