"""GET /me: the caller's own user record (vendor "Users API")."""

from __future__ import annotations

import pytest

from conformance.contract.failures import expect
from conformance.contract.identities import IDENTITIES
from conformance.steps.steps import expect_status, get_unchecked, settle


@pytest.mark.requirement("DEV-ME-001")
@pytest.mark.parametrize("identity", IDENTITIES)
def test_me_returns_the_caller(identity, client):
    """Sends GET /me; `user` holds a non-empty id, the login name, ROLE_ roles and, when shown,
    enabled true."""
    caller = client(identity)
    # Unchecked first: a user record without its id is DEV-ME-001, not only a contract breach.
    reply = get_unchecked(caller, "/me")
    expect_status(reply, {200}, "DEV-PERM-010", "GET /me by an authenticated user")
    user = reply.body.get("user") or {}
    login = caller.credentials.user if caller.credentials else ""
    expect(
        isinstance(user.get("id"), str) and user["id"],
        "DEV-ME-001",
        "a non-empty user.id",
        f"user.id {user.get('id')!r}",
        reply.exchange,
    )
    expect(
        user.get("userName") == login,
        "DEV-ME-001",
        f"user.userName {login!r}",
        f"{user.get('userName')!r}",
        reply.exchange,
    )
    roles = user.get("roles")
    expect(
        isinstance(roles, list) and roles and all(str(r).startswith("ROLE_") for r in roles),
        "DEV-ME-001",
        "user.roles, a non-empty list of ROLE_ names",
        f"{roles!r}",
        reply.exchange,
    )
    # Whoever has just logged in is an enabled user: a record saying otherwise is not the caller's.
    expect(
        user.get("enabled", True) is True,
        "DEV-ME-001",
        "user.enabled true, when shown (the caller has just logged in)",
        f"{user.get('enabled')!r}",
        reply.exchange,
    )
    settle(caller, reply)
