"""The reference server's state and the rules that govern it, apart from HTTP.

``Store`` holds users and devices in memory behind one lock. Devices are immutable snapshots:
an operation builds a new one and swaps it in only when every check has passed, so a
rejected request changes nothing. Rejections are ``Rejected`` exceptions carrying the GWS
``statusCode`` (1 missing parameter, 2 invalid parameter, 3 forbidden); the HTTP layer picks
the status.

Capability rules (see openapi/decisions.md#capabilities):

- DoNotDisturbOn while do-not-disturb is Off, DoNotDisturbOff while it is On;
- ForwardCallsOn while not forwarding, ForwardCallsOff while forwarding;
- ListenIn, BargeIn and Coach only for a viewer holding ROLE_SUPERVISOR who owns the device,
  plus CancelSupervisorMonitoring while that device is monitoring;
- in the 8.5.2 profile, MuteMonitoredUser too while that device is monitoring (the mute itself
  is a call operation, outside this API: the device never accepts it).
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from .fixtures import (
    ROLE_AGENT,
    ROLE_SUPERVISOR,
    TELEPHONY_NETWORKS,
    DeviceSeed,
    Fixtures,
    User,
)
from .numbers import InvalidNumber, NumberFacts, describe, is_destination

MISSING_PARAMETER = 1
INVALID_PARAMETER = 2
FORBIDDEN = 3

DO_NOT_DISTURB_ON = "DoNotDisturbOn"
DO_NOT_DISTURB_OFF = "DoNotDisturbOff"
FORWARD_CALLS_ON = "ForwardCallsOn"
FORWARD_CALLS_OFF = "ForwardCallsOff"
LISTEN_IN = "ListenIn"
BARGE_IN = "BargeIn"
COACH = "Coach"
CANCEL_MONITORING = "CancelSupervisorMonitoring"
MUTE_MONITORED_USER = "MuteMonitoredUser"
MONITORING_OPERATIONS = (LISTEN_IN, BARGE_IN, COACH)
OPERATIONS = (
    DO_NOT_DISTURB_ON,
    DO_NOT_DISTURB_OFF,
    FORWARD_CALLS_ON,
    FORWARD_CALLS_OFF,
    *MONITORING_OPERATIONS,
    CANCEL_MONITORING,
)
MONITORING_SCOPES = ("Call", "Agent")
MONITORING_MODES = ("NextCall", "AllCalls")
DEFAULT_SCOPE = "Call"
DEFAULT_MODE = "AllCalls"
DEFAULT_TELEPHONY_NETWORK = "Private"
DEFAULT_MODEL = "CloudDevice"
MAX_MODEL_LENGTH = 64
VENDOR = "Genesys"
NEW_DEVICE_STATE = "Active"

# phoneNumberUri ids are derived from the number, so fixture devices keep theirs across restarts.
PHONE_NUMBER_NAMESPACE = uuid.UUID("6a0b6f3e-5d1c-4f5e-9b7a-2c8d4e1f0a93")
TARGET_DEVICE_PATH = re.compile(r".*/devices/([^/]+)")


class Rejected(Exception):
    """A request the state rules refuse; ``code`` is the GWS statusCode."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Monitoring:
    """A supervisor's monitoring, held by the supervisor's own device."""

    state: str
    mode: str
    scope: str
    target_device_id: str


@dataclass(frozen=True)
class Device:
    id: str
    phone_number: str
    telephony_network: str
    model: str
    vendor: str
    device_state: str
    owner_id: str | None
    number: NumberFacts
    phone_number_id: str
    do_not_disturb: bool = False
    forward_to: str | None = None
    monitoring: Monitoring | None = None

    @property
    def is_forwarding(self) -> bool:
        return self.forward_to is not None


@dataclass(frozen=True)
class NewDevice:
    """A valid device-creation body."""

    phone_number: str
    telephony_network: str
    model: str


@dataclass(frozen=True)
class OperationRequest:
    """A valid body of POST /me/devices/{id}, defaults filled in."""

    name: str
    destination: str | None = None
    target_device_uri: str | None = None
    scope: str = DEFAULT_SCOPE
    mode: str = DEFAULT_MODE


# --- pure rules ------------------------------------------------------------------------------


def is_supervisor_view(device: Device, viewer: User) -> bool:
    """Supervisor capabilities show only to a supervisor looking at a device it owns."""
    return viewer.has_role(ROLE_SUPERVISOR) and device.owner_id == viewer.id


def capabilities(device: Device, viewer: User) -> list[str]:
    """The operations available on a device now, as ``viewer`` sees them."""
    found = [DO_NOT_DISTURB_OFF if device.do_not_disturb else DO_NOT_DISTURB_ON]
    found.append(FORWARD_CALLS_OFF if device.is_forwarding else FORWARD_CALLS_ON)
    if is_supervisor_view(device, viewer):
        found.extend(MONITORING_OPERATIONS)
        if device.monitoring is not None:
            found.append(CANCEL_MONITORING)
    return found


def monitored_user_capabilities(device: Device, viewer: User) -> list[str]:
    """8.5.2: the monitored user may be muted while the supervisor's own device monitors; the
    reference's monitored users start unmuted, so Unmute is never offered."""
    if is_supervisor_view(device, viewer) and device.monitoring is not None:
        return [MUTE_MONITORED_USER]
    return []


def parse_new_device(body: Mapping[str, object]) -> NewDevice:
    """Checks a device-creation body; unknown keys are ignored."""
    if "phoneNumber" not in body:
        raise Rejected(MISSING_PARAMETER, "phoneNumber is required")
    phone_number = body["phoneNumber"]
    if not isinstance(phone_number, str):
        raise Rejected(INVALID_PARAMETER, "phoneNumber must be a string")
    try:
        describe(phone_number)
    except InvalidNumber as exc:
        raise Rejected(INVALID_PARAMETER, f"phoneNumber: {exc}") from exc
    network = body.get("telephonyNetwork", DEFAULT_TELEPHONY_NETWORK)
    if network not in TELEPHONY_NETWORKS:
        raise Rejected(INVALID_PARAMETER, "telephonyNetwork must be Public or Private")
    model = body.get("model", DEFAULT_MODEL)
    if not isinstance(model, str) or len(model) > MAX_MODEL_LENGTH:
        raise Rejected(
            INVALID_PARAMETER, f"model must be a string of at most {MAX_MODEL_LENGTH} characters"
        )
    return NewDevice(phone_number, str(network), model)


def parse_operation(body: Mapping[str, object]) -> OperationRequest:
    """Checks a device-operation body: its name and the parameters that name requires."""
    if "operationName" not in body:
        raise Rejected(MISSING_PARAMETER, "operationName is required")
    name = body["operationName"]
    if name not in OPERATIONS:
        raise Rejected(INVALID_PARAMETER, f"operationName must be one of {', '.join(OPERATIONS)}")
    if name == FORWARD_CALLS_ON:
        return OperationRequest(FORWARD_CALLS_ON, destination=_destination(body))
    if name in MONITORING_OPERATIONS:
        return OperationRequest(
            str(name),
            target_device_uri=_required_text(body, "targetDeviceUri"),
            scope=_choice(body, "supervisorMonitoringScope", MONITORING_SCOPES, DEFAULT_SCOPE),
            mode=_choice(body, "supervisorMonitoringMode", MONITORING_MODES, DEFAULT_MODE),
        )
    return OperationRequest(str(name))


def _destination(body: Mapping[str, object]) -> str:
    destination = _required_text(body, "destination")
    if not is_destination(destination):
        raise Rejected(INVALID_PARAMETER, "destination must be a phone number")
    return destination


def _required_text(body: Mapping[str, object], key: str) -> str:
    if key not in body:
        raise Rejected(MISSING_PARAMETER, f"{key} is required for {body['operationName']}")
    value = body[key]
    if not isinstance(value, str) or not value:
        raise Rejected(INVALID_PARAMETER, f"{key} must be a non-empty string")
    return value


def _choice(body: Mapping[str, object], key: str, allowed: tuple[str, ...], default: str) -> str:
    value = body.get(key, default)
    if value not in allowed:
        raise Rejected(INVALID_PARAMETER, f"{key} must be one of {', '.join(allowed)}")
    return str(value)


def target_device_id(uri: str) -> str | None:
    """The device id at the end of a device URI's path, or None."""
    try:
        path = urlsplit(uri).path
    except ValueError:
        return None
    match = TARGET_DEVICE_PATH.fullmatch(path)
    return match.group(1) if match else None


def device_from_seed(seed: DeviceSeed, owner_id: str | None) -> Device:
    return Device(
        id=seed.id,
        phone_number=seed.phone_number,
        telephony_network=seed.telephony_network,
        model=seed.model,
        vendor=VENDOR,
        device_state=seed.device_state,
        owner_id=owner_id,
        number=describe(seed.phone_number),
        phone_number_id=phone_number_id(seed.phone_number),
        do_not_disturb=seed.do_not_disturb,
        forward_to=seed.forward_to,
    )


def phone_number_id(phone_number: str) -> str:
    return str(uuid.uuid5(PHONE_NUMBER_NAMESPACE, phone_number))


# --- the store -------------------------------------------------------------------------------


class Store:
    """Users and devices in memory; every read and write holds one lock."""

    def __init__(self, fixtures: Fixtures) -> None:
        self.fixtures = fixtures
        self._lock = threading.Lock()
        self._users = {user.id: user for user in fixtures.users}
        self._users_by_name = {user.user_name: user for user in fixtures.users}
        self._devices: dict[str, Device] = {}
        self.reset()

    def reset(self) -> None:
        """Restores the devices the fixture file describes."""
        owners = {user.persona: user.id for user in self.fixtures.users}
        devices = {
            seed.id: device_from_seed(seed, owners[seed.owner] if seed.owner else None)
            for seed in self.fixtures.devices
        }
        with self._lock:
            self._devices = devices

    # reads

    def user_by_id(self, user_id: str) -> User | None:
        return self._users.get(user_id)

    def user_by_name(self, user_name: str) -> User | None:
        return self._users_by_name.get(user_name)

    def devices(self) -> list[Device]:
        with self._lock:
            return list(self._devices.values())

    def devices_owned_by(self, user_id: str) -> list[Device]:
        with self._lock:
            return [device for device in self._devices.values() if device.owner_id == user_id]

    def device(self, device_id: str) -> Device | None:
        with self._lock:
            return self._devices.get(device_id)

    # writes

    def create_device(self, new: NewDevice, owner: User | None = None) -> Device:
        """Adds a device, assigned to ``owner`` when given; a number in use is refused."""
        if owner is not None and not self.may_own(owner):
            raise Rejected(INVALID_PARAMETER, f"user {owner.id} does not hold {ROLE_AGENT}")
        device = Device(
            id=str(uuid.uuid4()),
            phone_number=new.phone_number,
            telephony_network=new.telephony_network,
            model=new.model,
            vendor=VENDOR,
            device_state=NEW_DEVICE_STATE,
            owner_id=owner.id if owner else None,
            number=describe(new.phone_number),
            phone_number_id=phone_number_id(new.phone_number),
        )
        with self._lock:
            if any(d.number.e164 == device.number.e164 for d in self._devices.values()):
                raise Rejected(FORBIDDEN, f"phone number {new.phone_number} is already in use")
            self._devices[device.id] = device
        return device

    def may_own(self, user: User) -> bool:
        """Whether a device may be assigned to ``user`` (vendor page: "the user must hold the
        agent role")."""
        return user.has_role(ROLE_AGENT)

    def operate(self, device_id: str, actor: User, request: OperationRequest) -> Device:
        """Applies an operation the device's owner posted; returns the device after it."""
        with self._lock:
            device = self._devices.get(device_id)
            if device is None:
                raise Rejected(INVALID_PARAMETER, f"no device {device_id}")
            if request.name not in capabilities(device, actor):
                raise Rejected(
                    INVALID_PARAMETER, f"{request.name} is not available on this device now"
                )
            changed = self._apply(device, actor, request)
            self._devices[device_id] = changed
            return changed

    def _apply(self, device: Device, actor: User, request: OperationRequest) -> Device:
        # Called with the lock held; raises before any change.
        if request.name == DO_NOT_DISTURB_ON:
            return replace(device, do_not_disturb=True)
        if request.name == DO_NOT_DISTURB_OFF:
            return replace(device, do_not_disturb=False)
        if request.name == FORWARD_CALLS_ON:
            return replace(device, forward_to=request.destination)
        if request.name == FORWARD_CALLS_OFF:
            return replace(device, forward_to=None)
        if request.name == CANCEL_MONITORING:
            return replace(device, monitoring=None)
        target = self._monitoring_target(device, actor, request.target_device_uri or "")
        monitoring = Monitoring(request.name, request.mode, request.scope, target.id)
        return replace(device, monitoring=monitoring)

    def _monitoring_target(self, device: Device, actor: User, uri: str) -> Device:
        target_id = target_device_id(uri)
        target = self._devices.get(target_id) if target_id else None
        if target is None:
            raise Rejected(INVALID_PARAMETER, "targetDeviceUri names no device")
        if target.owner_id is None or target.owner_id == actor.id:
            raise Rejected(INVALID_PARAMETER, "targetDeviceUri must name another agent's device")
        for other in self._devices.values():
            watching = other.monitoring
            if other.id != device.id and watching and watching.target_device_id == target.id:
                raise Rejected(INVALID_PARAMETER, "the target device is already monitored")
        return target
