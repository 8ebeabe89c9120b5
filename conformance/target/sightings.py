"""Every whole device the suite's clients received: in lists and single reads, after operations
and creates, as every identity. The device checks judge them all once the other cases have run,
so a device an operation changed must still agree with itself.

A sighting is a successful GET with `fields=*`: a projection leaves attributes out, and which
attributes a read without `fields` returns no source fixes, while the checks read an absent
attribute as absent."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:
    from conformance.contract.exchange import Exchange


# eq=False: hashable by identity, so what is derived from one sighting can be cached.
@dataclass(eq=False)
class Sighting:
    """One response holding whole devices, as one identity received it."""

    identity: str
    exchange: Exchange

    @cached_property
    def body(self) -> dict[str, Any]:
        body = self.exchange.json()
        return body if isinstance(body, dict) else {}

    @cached_property
    def devices(self) -> list[dict[str, Any]]:
        found = self.body.get("devices", [self.body.get("device")])
        if not isinstance(found, list):
            return []
        return [d for d in found if isinstance(d, dict) and isinstance(d.get("id"), str)]


# One process's sightings, in the order received (each xdist worker has its own).
SEEN: list[Sighting] = []


def note(exchange: Exchange) -> None:
    """Keep the exchange when it holds whole devices."""
    if exchange.method != "GET" or exchange.status != 200 or not exchange.env_var:
        return
    if parse_qs(urlsplit(exchange.url).query).get("fields") != ["*"]:
        return
    sighting = Sighting(exchange.identity, exchange)
    if sighting.devices:
        SEEN.append(sighting)


def state_key(device: dict[str, Any]) -> tuple[str, str]:
    """A device and its state: what a check judges once, however often it was read."""
    return str(device["id"]), json.dumps(device, sort_keys=True, default=str)
