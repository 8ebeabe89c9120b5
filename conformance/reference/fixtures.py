"""Loads the reference server's fixture file (users, agent states, devices) into dataclasses.

The file is data people read: ``fixtures.yaml`` beside this module. Loading checks its shape
and its cross-references, so that a mistake in it stops the server at start with a message
naming the entry, rather than surfacing later as an odd answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_FIXTURES = Path(__file__).with_name("fixtures.yaml")

ROLE_ADMIN = "ROLE_ADMIN"
ROLE_SUPERVISOR = "ROLE_SUPERVISOR"
ROLE_AGENT = "ROLE_AGENT"
ROLES = (ROLE_ADMIN, ROLE_SUPERVISOR, ROLE_AGENT)
TELEPHONY_NETWORKS = ("Public", "Private")
DEVICE_STATES = ("Active", "Inactive")
SWITCH_VALUES = ("On", "Off")


class FixtureError(ValueError):
    """The fixture file is malformed or inconsistent."""


@dataclass(frozen=True)
class AgentState:
    name: str
    id: str
    display_name: str


@dataclass(frozen=True)
class User:
    persona: str
    id: str
    user_name: str
    password: str
    first_name: str
    last_name: str
    email_address: str
    roles: tuple[str, ...]
    agent_state: str | None = None

    def has_role(self, role: str) -> bool:
        return role in self.roles


@dataclass(frozen=True)
class DeviceSeed:
    """A device as the fixture file states it; the rest is derived when the store loads it."""

    id: str
    owner: str | None
    phone_number: str
    telephony_network: str
    model: str
    device_state: str
    do_not_disturb: bool
    forward_to: str | None


@dataclass(frozen=True)
class Fixtures:
    voice_environment_id: str
    agent_states: Mapping[str, AgentState]
    users: tuple[User, ...]
    devices: tuple[DeviceSeed, ...]

    def user(self, persona: str) -> User:
        for user in self.users:
            if user.persona == persona:
                return user
        raise KeyError(persona)


def load_fixtures(path: Path | None = None) -> Fixtures:
    """Reads and checks a fixture file; the default is the one beside this module."""
    source = path or DEFAULT_FIXTURES
    try:
        document = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise FixtureError(f"{source}: cannot read fixtures: {exc}") from exc
    top = _mapping(document, str(source))
    states = _mapping(top.get("agentStates"), "agentStates")
    fixtures = Fixtures(
        voice_environment_id=_text(top, "voiceEnvironmentId", "fixtures"),
        agent_states={name: _agent_state(name, entry) for name, entry in states.items()},
        users=tuple(
            _user(persona, entry) for persona, entry in _mapping(top.get("users"), "users").items()
        ),
        devices=tuple(_device(entry, i) for i, entry in enumerate(_list(top, "devices"))),
    )
    _check_references(fixtures)
    return fixtures


def _agent_state(name: object, entry: object) -> AgentState:
    where = f"agentStates.{name}"
    fields = _mapping(entry, where)
    return AgentState(str(name), _text(fields, "id", where), _text(fields, "displayName", where))


def _user(persona: object, entry: object) -> User:
    where = f"users.{persona}"
    fields = _mapping(entry, where)
    roles = fields.get("roles")
    if not isinstance(roles, list) or not all(role in ROLES for role in roles):
        raise FixtureError(f"{where}.roles: a list drawn from {', '.join(ROLES)}")
    return User(
        persona=str(persona),
        id=_text(fields, "id", where),
        user_name=_text(fields, "userName", where),
        password=_text(fields, "password", where),
        first_name=_text(fields, "firstName", where),
        last_name=_text(fields, "lastName", where),
        email_address=_text(fields, "emailAddress", where),
        roles=tuple(roles),
        agent_state=_optional_text(fields, "agentState", where),
    )


def _device(entry: object, index: int) -> DeviceSeed:
    where = f"devices[{index}]"
    fields = _mapping(entry, where)
    return DeviceSeed(
        id=_text(fields, "id", where),
        owner=_optional_text(fields, "owner", where),
        phone_number=_text(fields, "phoneNumber", where),
        telephony_network=_choice(fields, "telephonyNetwork", TELEPHONY_NETWORKS, where),
        model=_optional_text(fields, "model", where) or "CloudDevice",
        device_state=_choice(fields, "deviceState", DEVICE_STATES, where, default="Active"),
        do_not_disturb=_choice(fields, "doNotDisturb", SWITCH_VALUES, where, default="Off") == "On",
        forward_to=_optional_text(fields, "forwardTo", where),
    )


def _check_references(fixtures: Fixtures) -> None:
    personas = {user.persona: user for user in fixtures.users}
    for kind, ids in (
        ("user id", [user.id for user in fixtures.users]),
        ("userName", [user.user_name for user in fixtures.users]),
        ("device id", [device.id for device in fixtures.devices]),
        ("phoneNumber", [device.phone_number for device in fixtures.devices]),
    ):
        repeated = sorted({value for value in ids if ids.count(value) > 1})
        if repeated:
            raise FixtureError(f"repeated {kind}: {', '.join(repeated)}")
    for user in fixtures.users:
        if user.agent_state is not None and user.agent_state not in fixtures.agent_states:
            raise FixtureError(f"users.{user.persona}.agentState: unknown {user.agent_state!r}")
    for device in fixtures.devices:
        if device.owner is None:
            continue
        owner = personas.get(device.owner)
        if owner is None:
            raise FixtureError(f"device {device.id}: unknown owner {device.owner!r}")
        if not owner.has_role(ROLE_AGENT):
            raise FixtureError(f"device {device.id}: owner {device.owner!r} lacks {ROLE_AGENT}")


def _mapping(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, dict):
        raise FixtureError(f"{where}: expected a mapping")
    return value


def _list(fields: Mapping[str, object], key: str) -> list[object]:
    value = fields.get(key)
    if not isinstance(value, list):
        raise FixtureError(f"{key}: expected a list")
    return value


def _text(fields: Mapping[str, object], key: str, where: str) -> str:
    value = fields.get(key)
    if not isinstance(value, str) or not value:
        raise FixtureError(f"{where}.{key}: expected a non-empty string")
    return value


def _optional_text(fields: Mapping[str, object], key: str, where: str) -> str | None:
    return None if fields.get(key) is None else _text(fields, key, where)


def _choice(
    fields: Mapping[str, object],
    key: str,
    allowed: tuple[str, ...],
    where: str,
    default: str | None = None,
) -> str:
    value = fields.get(key, default)
    if value not in allowed:
        raise FixtureError(f"{where}.{key}: one of {', '.join(allowed)}, not {value!r}")
    return str(value)
