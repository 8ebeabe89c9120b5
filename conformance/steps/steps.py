"""The steps cases are made of: send a request as an identity, check what every response must
satisfy, and read the parts of the body a case is about."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from conformance.contract.exchange import Exchange
from conformance.contract.failures import RequirementFailure, expect
from conformance.contract.validation import check_exchange
from conformance.target.client import Client, api_path


@dataclass
class Reply:
    exchange: Exchange
    body: dict[str, Any]

    @property
    def status(self) -> int:
        return self.exchange.status

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.body.get("statusCode") == 0


def get_unchecked(client: Client, path: str, params: dict[str, str] | None = None) -> Reply:
    """A GET whose answer is not checked yet: for cases whose own requirement is about what
    `settle` would otherwise report first under a general ID (a status, a body member)."""
    return unchecked(client.get(path, params))


def post_unchecked(client: Client, path: str, body: Any) -> Reply:
    """A POST whose answer is not checked yet (see `get_unchecked`)."""
    return unchecked(client.post(path, body))


def unchecked(exchange: Exchange) -> Reply:
    body = exchange.json()
    return Reply(exchange, body if isinstance(body, dict) else {})


def settle(client: Client, reply: Reply) -> None:
    """Check what every response must satisfy, after the case's own checks."""
    check_exchange(reply.exchange, client.target.base_url)


def get(client: Client, path: str, params: dict[str, str] | None = None) -> Reply:
    exchange = client.get(path, params)
    return Reply(exchange, check_exchange(exchange, client.target.base_url))


def post(client: Client, path: str, body: Any, *, csrf: bool = True) -> Reply:
    exchange = client.post(path, body, csrf=csrf)
    return Reply(exchange, check_exchange(exchange, client.target.base_url))


def expect_status(reply: Reply, allowed: Iterable[int], req_id: str, what: str) -> None:
    allowed = sorted(set(allowed))
    shown = " or ".join(str(s) for s in allowed)
    expect(
        reply.status in allowed,
        req_id,
        f"{what}: HTTP {shown}",
        reply.exchange.describe(),
        reply.exchange,
    )


def devices(reply: Reply, req_id: str = "DEV-FLD-002") -> list[dict[str, Any]]:
    found = reply.body.get("devices")
    if not isinstance(found, list):
        raise RequirementFailure(
            req_id, "the devices under `devices`", f"members {sorted(reply.body)}", reply.exchange
        )
    return [d for d in found if isinstance(d, dict)]


def uris(reply: Reply, req_id: str = "DEV-FLD-001") -> list[str]:
    found = reply.body.get("uris")
    if not isinstance(found, list) or "devices" in reply.body:
        raise RequirementFailure(
            req_id,
            "device URIs under `uris` (and no `devices`)",
            f"members {sorted(reply.body)}",
            reply.exchange,
        )
    return [str(u) for u in found]


def device(reply: Reply, req_id: str = "DEV-FLD-006") -> dict[str, Any]:
    found = reply.body.get("device")
    if not isinstance(found, dict):
        raise RequirementFailure(
            req_id, "the device under `device`", f"members {sorted(reply.body)}", reply.exchange
        )
    return dict(found)


def expect_no_new_device(
    client: Callable[[str], Client], before: set[str], req_id: str, exchange: Exchange
) -> None:
    """A refused create leaves GET /devices as it was."""
    after = all_ids(client)
    expect(after == before, req_id, "no new device", f"new {sorted(after - before)}", exchange)


def all_ids(client: Callable[[str], Client]) -> set[str]:
    return {d["id"] for d in devices(get(client("admin"), "/devices", {"fields": "id"}))}


def follow_uri(caller: Client, uri: str, req_id: str, exchange: Exchange) -> dict[str, Any]:
    """GET an absolute device URI the server gave, on the target the suite was given, as the
    same caller, with every field; the device it names."""
    path = api_path(uri, caller.target.base_url)
    expect(path, req_id, "an absolute URI under the API's base path", repr(uri), exchange)
    reply = get(caller, str(path), {"fields": "*"})
    expect(
        reply.ok,
        req_id,
        f"{uri} resolves for the same caller",
        reply.exchange.describe(),
        reply.exchange,
    )
    return device(reply, req_id)
