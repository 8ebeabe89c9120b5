"""What the suite learns about the target before the cases run: who each identity is (`GET /me`)
and which devices each one owns. The suite never assumes an id; it discovers them here.

Discovery judges as it learns. An answer the contract forbids is a finding under the requirement
it breaks (the discovery cases report it), and the run goes on with what the other identities and
requests taught: what is missing is remembered with the reason, and every case that needs it is
skipped saying so. Only a target on which nothing can be judged stops the run (`Unusable`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from conformance.contract.exchange import Exchange
from conformance.contract.failures import RequirementFailure, expect
from conformance.contract.validation import check_exchange
from conformance.target.client import Client
from conformance.target.resolution import resolution_problem

ALL_FIELDS = {"fields": "*"}
# The roles docs/getting-started/your-server.md requires of each identity, assumed when
# `GET /me` cannot tell them.
REQUIRED_ROLES = {
    "admin": frozenset({"ROLE_ADMIN"}),
    "supervisor": frozenset({"ROLE_SUPERVISOR", "ROLE_AGENT"}),
    "agent": frozenset({"ROLE_AGENT"}),
    "other-agent": frozenset({"ROLE_AGENT"}),
}


class Unusable(Exception):
    """Nothing can be judged on the target; the message says why, on one line."""


@dataclass(frozen=True)
class Step:
    """One discovery request: what it asks, as whom, and the requirement its answer is held to."""

    name: str
    path: str
    operation_id: str
    requirement: str
    what: str  # what the cases learn from it, for skip reasons
    params: dict[str, str] | None = None

    def describe(self) -> str:
        query = "".join(f"?{k}={v}" for k, v in (self.params or {}).items())
        return f"GET {self.path}{query}"


ME = Step("me", "/me", "getMe", "DEV-PERM-010", "user record")
MY_DEVICES = Step(
    "my-devices", "/me/devices", "listMyDevices", "DEV-PERM-006", "devices", ALL_FIELDS
)
ALL_DEVICES = Step(
    "all-devices", "/devices", "listDevices", "DEV-PERM-001", "view of every device", ALL_FIELDS
)
STEPS = (ME, MY_DEVICES, ALL_DEVICES)


@dataclass
class Outcome:
    """What one discovery request got: passed, a finding, or not sent (with why)."""

    step: Step
    identity: str
    failure: RequirementFailure | None = None
    not_sent: str | None = None

    def reason(self) -> str:
        """Why what this step teaches is missing, for the skip reasons of the cases."""
        if self.not_sent:
            return self.not_sent
        assert self.failure is not None
        return f"{self.step.describe()} {answer_of(self.failure)} ({self.failure.req_id})"


@dataclass
class Identity:
    name: str
    user_id: str | None
    user_name: str
    roles: frozenset[str]
    # None when discovery could not learn them; `missing` then says why.
    devices: dict[str, dict[str, Any]] | None = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)
    refused: str | None = None  # the target refused the credentials: nothing runs as it

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
    outcomes: dict[tuple[str, str], Outcome] = field(default_factory=dict)
    all_devices_missing: str = "no admin credentials"

    def owner_of(self, device_id: str) -> str | None:
        for identity in self.identities.values():
            if device_id in (identity.devices or {}):
                return identity.name
        return None

    def identity(self, name: str) -> Identity:
        """The identity; skips the case when it has no credentials."""
        known = self.identities.get(name)
        if known is None:
            pytest.skip(f"no credentials for {name}")
        return known

    def devices_of(self, identity: str) -> dict[str, dict[str, Any]]:
        """The identity's devices; skips the case when discovery could not learn them."""
        known = self.identity(identity)
        if known.devices is None:
            pytest.skip(f"needs the {identity}'s devices: {known.missing['devices']}")
        return known.devices

    def device_of(self, identity: str) -> dict[str, Any] | None:
        """One device the identity owns, None when it owns none; skips when that is unknown."""
        return next(iter(self.devices_of(identity).values()), None)

    def own_device(self, identity: str) -> dict[str, Any]:
        """One device the identity owns; skips the case when it owns none (or that is unknown)."""
        found = self.device_of(identity)
        if found is None:
            pytest.skip(f"the {identity} owns no device")
        return found

    def known_devices(self) -> dict[str, dict[str, Any]]:
        """Every device discovery saw, by id: the admin's view and each identity's own."""
        known = dict(self.all_devices or {})
        for identity in self.identities.values():
            known.update(identity.devices or {})
        return known

    def user_id_of(self, identity: str) -> str:
        """The identity's user id; skips the case when discovery could not learn it."""
        known = self.identity(identity)
        if known.user_id is None:
            pytest.skip(f"needs the {identity}'s user id: {known.missing['user id']}")
        return known.user_id

    def fill(self, template: str) -> str:
        """A path template of the cases with the agent's user id in place of `{agent}`."""
        if "{agent}" not in template:
            return template
        return template.replace("{agent}", self.user_id_of("agent"))

    def every_device(self) -> dict[str, dict[str, Any]]:
        """The admin's view of every device; skips the case when discovery could not learn it."""
        if self.all_devices is None:
            pytest.skip(f"needs the admin's view of every device: {self.all_devices_missing}")
        return self.all_devices

    def foreign_device(self) -> dict[str, Any] | None:
        """A device no known identity owns (unassigned, or another user's). Skips the case when
        some identity's devices are unknown: one of them could be its own."""
        everything = self.every_device()
        for identity in self.identities.values():
            if identity.devices is None:
                pytest.skip(
                    f"needs the {identity.name}'s devices to tell a device of nobody known: "
                    f"{identity.missing['devices']}"
                )
        for device_id, device in everything.items():
            if self.owner_of(device_id) is None:
                return device
        return None

    def refusal(self, identity: str) -> str | None:
        known = self.identities.get(identity)
        return known.refused if known else None


def discover(clients: dict[str, Client]) -> Inventory:
    target = next(iter(clients.values())).target
    problem = resolution_problem(target.base_url, target.timeout)
    if problem:
        raise Unusable(problem)
    inventory = Inventory({}, None)
    for name, client in clients.items():
        inventory.identities[name] = whoami(client, inventory)
    judgeable(inventory, clients)
    for name, identity in inventory.identities.items():
        if identity.is_agent:
            identity.devices = device_map(clients[name], MY_DEVICES, inventory, identity)
    admin = inventory.identities.get("admin")
    if admin is not None:
        inventory.all_devices = device_map(clients["admin"], ALL_DEVICES, inventory, admin)
        if inventory.all_devices is None:
            inventory.all_devices_missing = admin.missing["devices"]
            # GET /me/devices is not the admin's: what it lacks is its view of every device.
            admin.missing.pop("devices")
    return inventory


def ask(client: Client, step: Step, inventory: Inventory, identity: Identity) -> Any:
    """Send the step's request and judge the answer; the body when it is usable, else None."""
    outcome = Outcome(step, client.identity)
    inventory.outcomes[(client.identity, step.name)] = outcome
    if identity.refused or identity.missing.get("response"):
        outcome.not_sent = identity.refused or identity.missing["response"]
        identity.missing[step.what] = outcome.not_sent
        return None
    try:
        exchange = client.get(step.path, step.params)
        judge(step, exchange, client.target.base_url)
    except RequirementFailure as failure:
        outcome.failure = failure
        identity.missing[step.what] = outcome.reason()
        body = failure.exchange.json() if failure.exchange is not None else None
        return body if isinstance(body, dict) and statuscode_ok(failure.exchange) else None
    except pytest.skip.Exception as skipped:
        outcome.not_sent = str(skipped.msg)
        identity.missing[step.what] = outcome.not_sent
        return None
    return exchange.json()


def judge(step: Step, exchange: Exchange, base_url: str) -> None:
    """The order decides the ID: a 5xx is DEV-HTTP-002, a refusal the step's permission rule,
    then the member the suite reads, then what every response obeys (the contract)."""
    expect(
        exchange.status < 500, "DEV-HTTP-002", "a status below 500", exchange.describe(), exchange
    )
    actual = exchange.describe()
    if exchange.status == 401:
        # Most often the credentials given are wrong: say where to look first.
        actual += f"; the target refused these credentials: check ${exchange.env_var}"
    expect(
        exchange.status == 200,
        step.requirement,
        f"{exchange.identity}: {step.describe()} allowed: HTTP 200",
        actual,
        exchange,
    )
    body = exchange.json()
    if isinstance(body, dict):
        expect_member(step, body, exchange)
    check_exchange(exchange, base_url)


def expect_member(step: Step, body: dict[str, Any], exchange: Exchange) -> None:
    if step is ME:
        expect(
            user_id(body) is not None,
            "DEV-ME-001",
            "the caller under `user`, with a non-empty string `id`",
            f"user {body.get('user')!r}"[:200],
            exchange,
        )
    else:
        expect(
            isinstance(body.get("devices"), list),
            "DEV-FLD-002",
            "the devices under `devices`",
            f"members {sorted(body)}",
            exchange,
        )


def user_id(body: dict[str, Any]) -> str | None:
    user = body.get("user")
    found = user.get("id") if isinstance(user, dict) else None
    return found if isinstance(found, str) and found else None


def statuscode_ok(exchange: Exchange | None) -> bool:
    return exchange is not None and exchange.status == 200


def whoami(client: Client, inventory: Inventory) -> Identity:
    """Who the identity is; what `GET /me` cannot tell is assumed (roles) or missing (id)."""
    identity = Identity(client.identity, None, "", REQUIRED_ROLES[client.identity])
    body = ask(client, ME, inventory, identity) or {}
    outcome = inventory.outcomes[(client.identity, ME.name)]
    if outcome.failure is not None:
        note_unanswered(identity, outcome.failure)
    found = user_id(body)
    if found is None:
        identity.missing["user id"] = identity.missing[ME.what]
        return identity
    identity.user_id = found
    identity.user_name = str(body["user"].get("userName", ""))
    roles = body["user"].get("roles")
    if isinstance(roles, list):
        identity.roles = frozenset(str(role) for role in roles)
    return identity


def note_unanswered(identity: Identity, failure: RequirementFailure) -> None:
    """What a failed `GET /me` means for the identity's other requests."""
    exchange = failure.exchange
    if exchange is not None and exchange.status == 401:
        env_var = exchange.env_var or ""
        identity.refused = (
            f"the target refused the {identity.name} credentials (HTTP 401 on GET /me); "
            f"check ${env_var}"
        )
    elif exchange is None or exchange.status == 0:
        # No answer at all: another request as this identity would wait as long again.
        identity.missing["response"] = f"GET /me {answer_of(failure)} ({failure.req_id})"


def judgeable(inventory: Inventory, clients: dict[str, Client]) -> None:
    """Stop the run when the answers to `GET /me` leave nothing to judge: no identity got an
    HTTP response, the target refused every identity, or no answer was JSON."""
    outcomes = list(inventory.outcomes.values())
    if any(o.failure is None and o.not_sent is None for o in outcomes):
        return  # some identity read itself
    # Requests the breaker kept back (after timeouts) count as unanswered.
    failures = [o.failure for o in outcomes if o.failure is not None]
    answered = [f for f in failures if f.exchange is not None and f.exchange.status]
    if not answered:
        raise Unusable(f"GET /me: {failures[0].actual}")
    if all(f.exchange is not None and f.exchange.status == 401 for f in answered):
        refused = [i for i in inventory.identities.values() if i.refused]
        raise Unusable(
            "no identity authenticates: the target refused the "
            + ", ".join(i.name for i in refused)
            + " credentials (HTTP 401 on GET /me); check "
            + " ".join(f"${c.credentials.env_var}" for c in clients.values() if c.credentials)
        )
    if not any(f.exchange is not None and isinstance(f.exchange.json(), dict) for f in answered):
        first = answered[0]
        who = first.exchange.identity if first.exchange else ""
        said = " answered " if first.actual.startswith("HTTP ") else ": "
        raise Unusable(f"{who}: GET /me{said}{first.actual[:200]}; no answer is JSON")


def device_map(
    client: Client, step: Step, inventory: Inventory, identity: Identity
) -> dict[str, dict[str, Any]] | None:
    body = ask(client, step, inventory, identity)
    devices = body.get("devices") if body else None
    if not isinstance(devices, list):
        identity.missing["devices"] = identity.missing[step.what]
        return None
    return {d["id"]: d for d in devices if isinstance(d, dict) and isinstance(d.get("id"), str)}


def answer_of(failure: RequirementFailure) -> str:
    """`answered HTTP 403`, or `had no response: timed out`: the short form for skip reasons."""
    exchange = failure.exchange
    if exchange is None or not exchange.status:
        return f"had no response: {failure.actual.removeprefix('no response: ')}"
    if failure.req_id == "DEV-HTTP-002" and exchange.status < 500:
        return f"had no complete response: {failure.actual}"
    return f"answered HTTP {exchange.status}"
