"""Fixtures that reach the target: the embedded reference server or `--base-url`, a client per
identity, and what discovery learned. Shared by every case module."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from conformance.contract.identities import (
    ANONYMOUS,
    MALFORMED,
    NOT_BASE64,
    OTHER_SCHEME,
    WRONG_PASSWORD,
)
from conformance.plugin import CREDENTIALS_KEY, EXIT_UNUSABLE_TARGET, EXIT_USAGE, abort
from conformance.steps.discovery import Inventory, Unusable, discover
from conformance.steps.numbers_pool import NumberPool
from conformance.steps.profiles import told_apart
from conformance.target.client import Client
from conformance.target.target import Credentials, Target, env_var, write_level

DEFAULT_MAX_BODY = 8 * 1024 * 1024


@pytest.fixture(scope="session")
def base_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """`--base-url`, or else the reference server, started here and stopped at the end."""
    given = request.config.getoption("base_url")
    if given:
        yield str(given).rstrip("/")
        return
    from conformance.reference.app import ReferenceApp
    from conformance.reference.server import serve

    with serve(ReferenceApp(profile=request.config.getoption("api_version"))) as server:
        yield server.base_url


@pytest.fixture(scope="session")
def target(request: pytest.FixtureRequest, base_url: str) -> Target:
    config = request.config
    embedded = not config.getoption("base_url")
    if embedded:
        from conformance.reference.server import credentials as reference_credentials

        found = {
            identity: Credentials(user, password, env_var(identity))
            for identity, (user, password) in reference_credentials().items()
        }
    else:
        found = config.stash[CREDENTIALS_KEY]
    return Target(
        base_url=base_url,
        credentials=found,
        writes=write_level(config),
        embedded=embedded,
        timeout=config.getoption("request_timeout"),
        max_body=DEFAULT_MAX_BODY,
        strict=config.getoption("strict"),
        tls_verify=config.getoption("ca_bundle") or True,
    )


@pytest.fixture(scope="session")
def clients(target: Target) -> Iterator[dict[str, Client]]:
    """One client per identity that has credentials."""
    made = {name: Client(target, name, creds) for name, creds in target.credentials.items()}
    yield made
    for client in made.values():
        client.close()


@pytest.fixture(scope="session")
def inventory(
    request: pytest.FixtureRequest, clients: dict[str, Client], target: Target
) -> Inventory:
    if not clients:
        abort(
            request.config,
            "No credentials: give --admin/--supervisor/--agent/--other-agent USER:PASSWORD or "
            "set DEVICES_API_ADMIN etc.",
            returncode=EXIT_USAGE,
        )
    try:
        found = discover(clients)
    except Unusable as error:
        abort(request.config, f"Cannot use {target.base_url}: {error}", EXIT_UNUSABLE_TARGET)
        raise
    other_shape = told_apart(clients, found, request.config.getoption("api_version"), target.writes)
    if other_shape:
        abort(
            request.config, f"Cannot judge {target.base_url}: {other_shape}", EXIT_UNUSABLE_TARGET
        )
    return found


@pytest.fixture(scope="session", autouse=True)
def discovered(inventory: Inventory) -> Inventory:
    """Discovery before any case: a target on which nothing can be judged stops the run at
    once, whatever case comes first."""
    return inventory


@pytest.fixture(scope="session")
def numbers(clients: dict[str, Client], inventory: Inventory) -> NumberPool:
    """Free numbers of the reserved range, one pool for the session so no two cases collide."""
    return NumberPool(str(d.get("phoneNumber")) for d in inventory.every_device().values())


@pytest.fixture
def client(clients: dict[str, Client], inventory: Inventory) -> Callable[[str], Client]:
    """client("agent") -> that identity's client; skips visibly when it has no credentials."""

    def pick(identity: str) -> Client:
        if identity not in clients:
            pytest.skip(f"no credentials for {identity} (--{identity} or ${env_var(identity)})")
        refused = inventory.refusal(identity)
        if refused:
            pytest.skip(refused)
        return clients[identity]

    return pick


@pytest.fixture(scope="session")
def stranger(target: Target) -> Callable[[str], Client]:
    """Clients that are not real users: anonymous, a malformed header, a wrong password, a real
    login under another scheme than Basic or with a character outside base64 in its token."""

    def make(kind: str) -> Client:
        if kind in (ANONYMOUS, MALFORMED):
            return Client(target, kind, None)
        assert kind in (WRONG_PASSWORD, OTHER_SCHEME, NOT_BASE64)
        known = next(iter(target.credentials.values()), None)
        if known is None:
            pytest.skip(f"{kind} needs a real user name: no credentials given")
        password = known.password + "-wrong" if kind == WRONG_PASSWORD else known.password
        # No environment variable: the reproduction line shows the header, redacted.
        return Client(target, kind, Credentials(known.user, password, ""))

    return make
