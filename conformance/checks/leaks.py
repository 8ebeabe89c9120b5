"""A refused request must not carry the data it was refused
(openapi/decisions.md#refusals-carry-no-data; OWASP API Security Top 10, API1 and API3)."""

from __future__ import annotations

from typing import Any

from conformance.contract.exchange import Exchange
from conformance.contract.failures import expect
from conformance.steps.discovery import Inventory


def devices_hidden_from(inventory: Inventory, identity: str) -> dict[str, dict[str, Any]]:
    """Every known device the identity does not own."""
    mine = set(inventory.devices_of(identity)) if identity in inventory.identities else set()
    return {i: d for i, d in inventory.known_devices().items() if i not in mine}


def check_no_device_data(
    exchange: Exchange, hidden: dict[str, dict[str, Any]], asked: str | None
) -> None:
    """No id (but the one the caller itself sent) and no phone number of a hidden device."""
    text = exchange.body.decode("utf-8", "replace")
    for device_id, found in hidden.items():
        leaked = [device_id] if device_id != asked and device_id in text else []
        number = found.get("phoneNumber")
        if isinstance(number, str) and len(number) > 3 and number in text:
            leaked.append(number)
        expect(
            not leaked,
            "DEV-PERM-011",
            "a refusal without device data",
            f"the body holds {leaked}",
            exchange,
        )
