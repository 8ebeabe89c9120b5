"""What the suite learns about the target before the cases run: who each identity is (`GET /me`)
and which devices each one owns. The suite never assumes an id; it discovers them here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from conformance.client import Client, Exchange
from conformance.failures import RequirementFailure
from conformance.resolution import resolution_problem

ALL_FIELDS = {"fields": "*"}


class DiscoveryError(Exception):
    """The target cannot be used as the README says it must be; the message says why."""


@dataclass
class Identity:
    name: str
    user_id: str
    user_name: str
    roles: frozenset[str]
    devices: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def is_admin(self) -> bool:
        return "ROLE_ADMIN" in self.roles

    @property
    def is_supervisor(self) -> bool:
        return "ROLE_SUPERVISOR" in self.roles

    @property
    def is_agent(self) -> bool:
        return "ROLE_AGENT" in self.roles


@dataclass
class Inventory:
    identities: dict[str, Identity]
    all_devices: dict[str, dict[str, Any]] | None  # from GET /devices, when an admin is known

    def owner_of(self, device_id: str) -> str | None:
        for identity in self.identities.values():
            if device_id in identity.devices:
                return identity.name
        return None

    def device_of(self, identity: str) -> dict[str, Any] | None:
        known = self.identities.get(identity)
        if known is None or not known.devices:
            return None
        return next(iter(known.devices.values()))

    def foreign_device(self) -> dict[str, Any] | None:
        """A device no known identity owns (unassigned, or another user's)."""
        for device_id, device in (self.all_devices or {}).items():
            if self.owner_of(device_id) is None:
                return device
        return None


def discover(clients: dict[str, Client]) -> Inventory:
    target = next(iter(clients.values())).target
    problem = resolution_problem(target.base_url, target.timeout)
    if problem:
        raise DiscoveryError(problem)
    identities = {name: whoami(client) for name, client in clients.items()}
    for name, identity in identities.items():
        if identity.is_agent:
            identity.devices = device_map(fetch(clients[name], "/me/devices", ALL_FIELDS), name)
    all_devices = None
    if "admin" in clients:
        try:
            all_devices = device_map(fetch(clients["admin"], "/devices", ALL_FIELDS), "admin")
        except DiscoveryError:
            # The admin refused its own list: the permission cell of listDevices says so with
            # its requirement ID; the cases that need every device skip.
            all_devices = None
    return Inventory(identities, all_devices)


def fetch(client: Client, path: str, params: dict[str, str] | None = None) -> Any:
    try:
        exchange = client.get(path, params)
    except RequirementFailure as failure:
        raise DiscoveryError(f"{client.target.base_url}{path}: {failure.actual}") from None
    if exchange.status == 401:
        raise DiscoveryError(
            f"the target refused the {client.identity} credentials (HTTP 401 on {path}); "
            f"check ${client.credentials.env_var if client.credentials else ''}"
        )
    body = exchange.json()
    if exchange.status != 200 or not isinstance(body, dict):
        raise DiscoveryError(
            f"{client.identity}: GET {path} answered {describe(exchange)}; the suite needs it "
            "to discover the target"
        )
    return body


def whoami(client: Client) -> Identity:
    user = fetch(client, "/me").get("user")
    if not isinstance(user, dict) or not isinstance(user.get("id"), str):
        raise DiscoveryError(f"{client.identity}: GET /me has no user id")
    roles = user.get("roles")
    if not isinstance(roles, list):
        roles = []
    return Identity(
        name=client.identity,
        user_id=user["id"],
        user_name=str(user.get("userName", "")),
        roles=frozenset(str(role) for role in roles),
    )


def device_map(body: dict[str, Any], identity: str) -> dict[str, dict[str, Any]]:
    devices = body.get("devices")
    if not isinstance(devices, list):
        raise DiscoveryError(f"{identity}: a list with fields=* holds no `devices` array")
    return {d["id"]: d for d in devices if isinstance(d, dict) and isinstance(d.get("id"), str)}


def describe(exchange: Exchange) -> str:
    return exchange.describe()[:200]
