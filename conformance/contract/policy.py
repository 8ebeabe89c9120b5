"""The permission policy, read from the contract's `x-access`, turned into cells: one per
operation x identity x object, each with the statuses it may answer. The suite never holds a
hand-written permission table; a wrong policy shows up against the reference server, whose
checks are written by hand."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from conformance.contract.contract import operations, spec
from conformance.contract.identities import IDENTITIES, POLICY_ROLE

# Objects a cell acts on, by the kind of path parameter the operation has (`x-access.object`).
DEVICE_OBJECTS = ("own", "agent", "other-agent", "supervisor", "foreign", "missing")
USER_OBJECTS = ("self", "other", "missing")
VERDICTS = ("allow", "deny", "owner", "self")
# What each verdict of `x-access` means to a reader of a failure or of the matrix.
MEANING = {
    "allow": "allowed",
    "deny": "denied",
    "owner": "own devices only",
    "self": "own only, or denied",
}


class PolicyError(Exception):
    """The policy in the contract is malformed; the suite refuses to guess."""


@dataclass(frozen=True)
class Cell:
    operation_id: str
    method: str
    path: str
    requirement: str
    identity: str
    verdict: str
    obj: str
    # Roles the user named in the path must hold; otherwise the request is refused as invalid.
    target_roles: frozenset[str] = frozenset()

    @property
    def label(self) -> str:
        if self.obj == "none":
            return f"{self.operation_id}[{self.identity}]"
        return f"{self.operation_id}[{self.identity}->{describe(self.obj)}]"

    @property
    def writes(self) -> str:
        if self.method == "GET":
            return "none"
        return "reversible" if self.operation_id == "operateMyDevice" else "all"

    def expectation(self, path: str, statuses: frozenset[int]) -> str:
        """The Expected line of a failure: who asked for what, what the policy grants them,
        the statuses that follow. The object is named as `describe` names it."""
        asked = self.identity if self.obj == "none" else f"{self.identity} on {describe(self.obj)}"
        allowed = " or ".join(map(str, sorted(statuses)))
        return f"{asked} ({path}), the policy says {MEANING[self.verdict]}: HTTP {allowed}"

    def expected_for(self, target_user_roles: frozenset[str] | None) -> frozenset[int]:
        """As `expected`, knowing the roles of the user the path names: an allowed call on a
        user without the roles the operation needs is refused with 400 or 403 instead."""
        if (
            self.verdict == "allow"
            and target_user_roles is not None
            and not self.target_roles <= target_user_roles
        ):
            return frozenset({400, 403})
        return self.expected

    @property
    def expected(self) -> frozenset[int]:
        """The statuses a conformant server may answer (x-access-verdicts; openapi/decisions.md)."""
        if self.verdict == "deny":
            return frozenset({403})
        if self.obj == "missing":
            return frozenset({404} if self.verdict == "allow" else {403, 404})
        if self.verdict == "allow":
            return frozenset({200})
        if self.verdict == "self":
            return frozenset({200, 403})
        # owner
        return frozenset({200} if self.obj in {"own", "self"} else {403, 404})


def describe(obj: str) -> str:
    return {
        "own": "own device",
        "foreign": "a device of nobody known",
        "missing": "a missing id",
        "self": "own user",
        "other": "another user",
    }.get(obj, f"{obj}'s device")


def objects_for(access: dict[str, Any], identity: str) -> tuple[str, ...]:
    kind = access.get("object")
    if kind == "device":
        return tuple(o for o in DEVICE_OBJECTS if o != identity)
    if kind == "user":
        return USER_OBJECTS
    return ("none",)


def cells() -> list[Cell]:
    found = []
    for op_id, (method, path, operation) in operations().items():
        access = check_access(op_id, operation.get("x-access"))
        for identity in IDENTITIES:
            verdict = access["roles"][POLICY_ROLE[identity]]
            for obj in objects_for(access, identity):
                target_roles = frozenset(access.get("target-roles", ()))
                found.append(
                    Cell(
                        op_id,
                        method,
                        path,
                        access["requirement"],
                        identity,
                        verdict,
                        obj,
                        target_roles,
                    )
                )
    return found


def check_access(op_id: str, access: Any) -> dict[str, Any]:
    """Refuse a policy the suite cannot read, before any request is sent."""
    if not isinstance(access, dict):
        raise PolicyError(f"{op_id} has no x-access policy")
    roles = access.get("roles")
    if not isinstance(roles, dict) or set(roles) != set(POLICY_ROLE.values()):
        raise PolicyError(f"{op_id}: x-access.roles must name admin, supervisor and agent")
    for role, verdict in roles.items():
        if verdict not in VERDICTS or verdict not in spec().get("x-access-verdicts", {}):
            raise PolicyError(f"{op_id}: {role}: unknown verdict {verdict!r}")
        if verdict == "owner" and access.get("object") != "device":
            raise PolicyError(f"{op_id}: {role}: `owner` needs `object: device`")
    documented = {str(s) for s in operations()[op_id][2].get("responses", {})}
    needed = {str(s) for v in roles.values() for s in statuses_of(v) if s != 200}
    if not needed <= documented:
        raise PolicyError(
            f"{op_id}: the policy implies {sorted(needed - documented)}, undocumented"
        )
    return access


def statuses_of(verdict: str) -> set[int]:
    return {"allow": {200}, "deny": {403}, "owner": {200, 403, 404}, "self": {200, 403}}[verdict]
