"""Every semantic rule on one device object, as one viewer sees it."""

from __future__ import annotations

from typing import Any

from conformance.checks.capabilities import check_capabilities, check_monitoring_attributes
from conformance.checks.numbers import check_numbers
from conformance.client import Exchange


def check_device(
    device: dict[str, Any], viewer_roles: frozenset[str], exchange: Exchange, *, full: bool = True
) -> None:
    check_numbers(device, exchange)
    check_capabilities(device, viewer_roles, exchange, full=full)
    if full:
        check_monitoring_attributes(device, exchange)
