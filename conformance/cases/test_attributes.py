"""Device attributes, numbers, capabilities and monitoring, on every view of every device the
identities can see (seed: Attributes)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pytest

from conformance.checks.capabilities import CAPABILITY_CHECKS, check_monitoring_attributes
from conformance.checks.numbers import NUMBER_CHECKS
from conformance.client import Client, Exchange
from conformance.contract import catalogue
from conformance.failures import RequirementFailure
from conformance.inventory import Inventory
from conformance.validation import contract_violations


@dataclass
class View:
    """One response holding devices, as one identity saw it."""

    identity: str
    roles: frozenset[str]
    exchange: Exchange
    base_url: str

    @cached_property
    def violations(self) -> list[tuple[str, str]]:
        """Validated once, read by each attribute requirement's case."""
        return contract_violations(self.exchange, self.base_url)

    def devices(self) -> list[dict[str, Any]]:
        body = self.exchange.json()
        if not isinstance(body, dict):
            return []
        found = body.get("devices", [body.get("device")])
        return [d for d in found if isinstance(d, dict) and isinstance(d.get("id"), str)]


@pytest.fixture(scope="session")
def views(clients: dict[str, Client], inventory: Inventory) -> list[View]:
    """Every full view of every known device: lists with fields=* and single reads."""
    seen: list[View] = []
    for name, caller in clients.items():
        known = inventory.identities[name]
        paths = []
        if known.is_agent:
            paths.append("/me/devices")
            paths += [f"/me/devices/{device_id}" for device_id in known.devices]
        if name == "admin":
            paths.append("/devices")
            paths += [f"/devices/{device_id}" for device_id in inventory.all_devices or {}]
        for path in paths:
            exchange = caller.get(path, {"fields": "*"})
            seen.append(View(name, known.roles, exchange, caller.target.base_url))
    return seen


ATTRIBUTE_IDS = [
    req.id for req in catalogue().values() if req.area == "ATTR" and req.id != "DEV-ATTR-001"
]


@pytest.mark.parametrize(
    "req_id", [pytest.param(r, marks=pytest.mark.requirement(r), id=r) for r in ATTRIBUTE_IDS]
)
def test_attribute_values_match_their_schema(req_id, views):
    """Validates every device attribute of every view against the contract's schema for it."""
    for view in views:
        for found_id, detail in view.violations:
            if found_id == req_id:
                raise RequirementFailure(
                    req_id, "an attribute value the contract allows", detail, view.exchange
                )


def each_device(views: list[View], check: Callable[[dict[str, Any], View], None]) -> None:
    for view in views:
        for found in view.devices():
            check(found, view)


@pytest.mark.requirement("DEV-ATTR-001")
def test_ids_name_the_same_device_everywhere(views):
    """Reads every device in lists and alone; one id always carries the same phone number."""
    numbers: dict[str, tuple[Any, View]] = {}
    for view in views:
        for found in view.devices():
            number = found.get("phoneNumber")
            earlier = numbers.setdefault(found["id"], (number, view))
            if earlier[0] != number:
                raise RequirementFailure(
                    "DEV-ATTR-001",
                    f"device {found['id']} with phoneNumber {earlier[0]!r}"
                    f" (as in {earlier[1].exchange.url})",
                    f"phoneNumber {number!r}",
                    view.exchange,
                )


def by_requirement(checks: dict[str, Any]) -> list[Any]:
    return [pytest.param(r, marks=pytest.mark.requirement(r), id=r) for r in checks]


@pytest.mark.parametrize("req_id", by_requirement(NUMBER_CHECKS))
def test_numbers_agree_with_their_country(req_id, views):
    """Checks e164Number and localNumber of every device against country (phonenumbers)."""
    check = NUMBER_CHECKS[req_id]
    each_device(views, lambda found, view: check(found, view.exchange))


@pytest.mark.parametrize("req_id", by_requirement(CAPABILITY_CHECKS))
def test_capabilities_agree_with_state_and_viewer(req_id, views):
    """Checks the capabilities of every device against its state and the viewer's roles."""
    check = CAPABILITY_CHECKS[req_id]
    each_device(views, lambda found, view: check(found, view.roles, view.exchange))


@pytest.mark.requirement("DEV-MON-001")
def test_monitoring_mode_and_scope_come_only_with_state(views):
    """Checks that no device shows a monitoring mode or scope without a monitoring state."""
    each_device(views, lambda found, view: check_monitoring_attributes(found, view.exchange))
