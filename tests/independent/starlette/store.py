"""The server's state, in memory: users and devices, loaded from fixtures.json."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from .numbers import number_key

FIXTURES = Path(__file__).with_name("fixtures.json")

AGENT = "ROLE_AGENT"
SUPERVISOR = "ROLE_SUPERVISOR"
ADMIN = "ROLE_ADMIN"

# A new device's model and vendor when the create names none: the vendor's samples' CloudDevice
# (openapi/decisions.md#defaults-of-a-created-device leaves the model to the server).
DEFAULT_MODEL = "CloudDevice"
DEFAULT_VENDOR = "Genesys"
DEFAULT_TYPE = "ACDPosition"


@dataclass(frozen=True)
class User:
    """A user; its members are named as the Users API names them."""

    id: str
    userName: str
    firstName: str
    lastName: str
    emailAddress: str
    roles: tuple[str, ...]
    password: str

    def has(self, role: str) -> bool:
        return role in self.roles

    def record(self) -> dict[str, object]:
        """The user as the Users API shows it (`GET /me`)."""
        return {
            "id": self.id,
            "userName": self.userName,
            "firstName": self.firstName,
            "lastName": self.lastName,
            "emailAddress": self.emailAddress,
            "enabled": True,
            "roles": list(self.roles),
        }


@dataclass
class Monitoring:
    state: str
    mode: str
    scope: str
    target_id: str


@dataclass
class Device:
    id: str
    phone_number: str
    telephony_network: str
    owner: str | None = None
    model: str = DEFAULT_MODEL
    vendor: str = DEFAULT_VENDOR
    type: str = DEFAULT_TYPE
    device_state: str = "Active"
    do_not_disturb: str = "Off"
    forward_to: str | None = None
    monitoring: Monitoring | None = None
    phone_number_id: str = field(default="")

    def __post_init__(self) -> None:
        if not self.phone_number_id:
            # One Phone Numbers API id per number (openapi/decisions.md#uris): derived from it.
            key = number_key(self.phone_number)
            self.phone_number_id = str(uuid.uuid5(uuid.NAMESPACE_URL, "tel:" + key))


class Store:
    def __init__(self, users: list[User], devices: list[Device]) -> None:
        self.users = {user.id: user for user in users}
        self.by_name = {user.userName: user for user in users}
        self.devices = {device.id: device for device in devices}

    def number_in_use(self, phone_number: str) -> bool:
        key = number_key(phone_number)
        return any(number_key(d.phone_number) == key for d in self.devices.values())

    def owned_by(self, user_id: str) -> list[Device]:
        return [d for d in self.devices.values() if d.owner == user_id]

    def add(self, device: Device) -> Device:
        self.devices[device.id] = device
        return device


def load(path: Path = FIXTURES) -> Store:
    data = json.loads(path.read_text(encoding="utf-8"))
    users = [User(**{**u, "roles": tuple(u["roles"])}) for u in data["users"]]
    devices = [device_from_fixture(d) for d in data["devices"]]
    return Store(users, devices)


def device_from_fixture(item: dict[str, str | None]) -> Device:
    return Device(
        id=str(item["id"]),
        phone_number=str(item["phoneNumber"]),
        telephony_network=str(item["telephonyNetwork"]),
        owner=item.get("owner"),
        model=str(item.get("model") or DEFAULT_MODEL),
        vendor=str(item.get("vendor") or DEFAULT_VENDOR),
        type=str(item.get("type") or DEFAULT_TYPE),
        device_state=str(item.get("deviceState") or "Active"),
        do_not_disturb=str(item.get("doNotDisturb") or "Off"),
        forward_to=item.get("forwardTo"),
    )
