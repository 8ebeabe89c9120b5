"""Device attributes, numbers, capabilities and monitoring, on every whole device the suite saw:
lists and single reads as every identity, reads after operations and of created devices (seed:
Attributes). These cases run after the others and judge each device state once, however many
reads showed it."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import pytest

from conformance.checks.capabilities import (
    CAPABILITY_CHECKS,
    check_monitoring_attributes,
    check_no_flat_monitoring,
)
from conformance.checks.numbers import NUMBER_CHECKS
from conformance.contract.contract import every_requirement
from conformance.contract.exchange import Exchange
from conformance.contract.failures import RequirementFailure
from conformance.contract.validation import contract_violations
from conformance.steps.discovery import Inventory
from conformance.target.client import Client
from conformance.target.sightings import SEEN, Sighting, state_key
from conformance.target.target import Target

pytestmark = pytest.mark.devices_seen
# Failures beyond the first named in one report: enough to show a pattern.
MORE_SHOWN = 5


@pytest.fixture(scope="session")
def seen(clients: dict[str, Client], inventory: Inventory) -> list[Sighting]:
    """Reads every view of every known device once more (lists with fields=* and single
    reads, as each identity), then takes every sighting of the run so far."""
    for name, caller in clients.items():
        known = inventory.identities[name]
        if known.refused:
            continue
        paths = []
        if known.is_agent:
            paths.append("/me/devices")
            paths += [f"/me/devices/{device_id}" for device_id in known.devices or {}]
        if name == "admin":
            paths.append("/devices")
            paths += [f"/devices/{device_id}" for device_id in inventory.all_devices or {}]
        for path in paths:
            try:
                caller.get(path, {"fields": "*"})
            except (RequirementFailure, pytest.skip.Exception):
                continue  # no complete answer: the cases reading this path report it
    return list(SEEN)


Check = Callable[[dict[str, Any], Sighting], None]


def on_device(check: Callable[[dict[str, Any], Exchange], None]) -> Check:
    """A check of one device and the exchange it came in, as judge_each_state calls it."""
    return lambda found, sighting: check(found, sighting.exchange)


def judge_each_state(seen: list[Sighting], inventory: Inventory, check: Check) -> None:
    """Runs the check once per device state and viewer's roles; one failure names them all."""
    judged: set[tuple[frozenset[str], tuple[str, str]]] = set()
    failures: list[RequirementFailure] = []
    for sighting in seen:
        roles = inventory.identities[sighting.identity].roles
        for found in sighting.devices:
            key = (roles, state_key(found))
            if key in judged:
                continue
            judged.add(key)
            try:
                check(found, sighting)
            except RequirementFailure as failure:
                failures.append(failure)
    if failures:
        raise summarised(failures)


def summarised(failures: list[RequirementFailure]) -> RequirementFailure:
    first, others = failures[0], failures[1:]
    actual = first.actual
    if others:
        shown = "; ".join(f.actual for f in others[:MORE_SHOWN])
        more = len(others) - MORE_SHOWN
        actual += f" (and {len(others)} more device states: {shown}" + (
            f"; {more} not shown)" if more > 0 else ")"
        )
    return RequirementFailure(first.req_id, first.expected, actual, first.exchange)


@cache
def violations(sighting: Sighting, base_url: str) -> list[tuple[str, str]]:
    """Validated once, read by each attribute requirement's case."""
    return contract_violations(sighting.exchange, base_url)


# Every profile's: the plugin keeps the cases of the requirements --api-version's profile has.
ATTRIBUTE_IDS = [
    req.id
    for req in every_requirement().values()
    if req.area == "ATTR" and req.id != "DEV-ATTR-001"
]


def by_requirement(ids: Any) -> list[Any]:
    return [pytest.param(r, marks=pytest.mark.requirement(r), id=r) for r in ids]


@pytest.mark.parametrize("req_id", by_requirement(ATTRIBUTE_IDS))
def test_attribute_values_match_their_schema(req_id, seen, inventory, target: Target):
    """Validates every device attribute of every sighting against the contract's schema."""

    def check(found: dict[str, Any], sighting: Sighting) -> None:
        for found_id, detail in violations(sighting, target.base_url):
            if found_id == req_id and in_device(detail, sighting, found):
                raise RequirementFailure(
                    req_id, "an attribute value the contract allows", detail, sighting.exchange
                )

    judge_each_state(seen, inventory, check)


def in_device(detail: str, sighting: Sighting, found: dict[str, Any]) -> bool:
    """Whether a violation (`devices/3/deviceState: ...`) lies in this device of the body."""
    where = detail.split(":", 1)[0].split("/")
    if where[0] == "device":
        return True
    if where[0] == "devices" and len(where) > 1 and where[1].isdigit():
        listed = sighting.body.get("devices")
        index = int(where[1])
        return isinstance(listed, list) and index < len(listed) and listed[index] is found
    return False


def first_conflict(
    seen: list[Sighting], key: str, value: str, *, without_value: bool = True
) -> tuple[Any, ...] | None:
    """The first device showing a ``key`` seen before with another ``value`` (an absent value
    counts as one, unless ``without_value`` is False): the key, the earlier value and
    sighting, the device and its sighting; None when there is none."""
    earlier: dict[Any, tuple[Any, Sighting]] = {}
    for sighting in seen:
        for found in sighting.devices:
            if not isinstance(found.get(key), str) or (value not in found and not without_value):
                continue
            first = earlier.setdefault(found[key], (found.get(value), sighting))
            if first[0] != found.get(value):
                return found[key], first[0], first[1], found, sighting
    return None


@pytest.mark.requirement("DEV-ATTR-001")
def test_ids_name_the_same_device_everywhere(seen):
    """Reads every device in lists and alone; one id always carries the same phone number."""
    conflict = first_conflict(seen, "id", "phoneNumber")
    if conflict:
        device_id, number, where, found, sighting = conflict
        raise RequirementFailure(
            "DEV-ATTR-001",
            f"device {device_id} with phoneNumber {number!r} (as in {where.exchange.url})",
            f"phoneNumber {found.get('phoneNumber')!r}",
            sighting.exchange,
        )


@pytest.mark.requirement("DEV-ATTR-012")
def test_a_phone_number_uri_names_one_number(seen):
    """Reads every device in lists and alone; a phoneNumberUri never serves two numbers."""
    conflict = first_conflict(seen, "phoneNumberUri", "phoneNumber", without_value=False)
    if conflict:
        uri, number, where, found, sighting = conflict
        raise RequirementFailure(
            "DEV-ATTR-012",
            f"phoneNumberUri {uri} for phoneNumber {number!r} only (as in {where.exchange.url})",
            f"the same URI for device {found['id']} with phoneNumber {found['phoneNumber']!r}",
            sighting.exchange,
        )


@pytest.mark.parametrize("req_id", by_requirement(NUMBER_CHECKS))
def test_numbers_agree_with_their_country(req_id, seen, inventory):
    """Checks e164Number and localNumber of every device against country (phonenumbers)."""
    judge_each_state(seen, inventory, on_device(NUMBER_CHECKS[req_id]))


@pytest.mark.parametrize("req_id", by_requirement(CAPABILITY_CHECKS))
def test_capabilities_agree_with_state_and_viewer(req_id, seen, inventory):
    """Checks the capabilities of every device against its state and the viewer's roles."""
    check = CAPABILITY_CHECKS[req_id]

    def judge(found: dict[str, Any], sighting: Sighting) -> None:
        check(found, inventory.identities[sighting.identity].roles, sighting.exchange)

    judge_each_state(seen, inventory, judge)


@pytest.mark.requirement("DEV-MON-001")
def test_monitoring_mode_and_scope_come_only_with_state(seen, inventory):
    """Checks that no device shows a monitoring mode or scope without a monitoring state."""
    judge_each_state(seen, inventory, on_device(check_monitoring_attributes))


@pytest.mark.requirement("DEV-MON-005")
def test_monitoring_mode_and_scope_are_not_flat(seen, inventory):
    """Checks that no device shows a flat monitoring mode or scope beside the object."""
    judge_each_state(seen, inventory, on_device(check_no_flat_monitoring))
