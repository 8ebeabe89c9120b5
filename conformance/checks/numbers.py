"""Phone numbers against their country: E.164 (ITU-T E.164), `country`, `localNumber`.
The numbering plans come from the phonenumbers library, not from a home-made pattern. One
function per requirement, so that each is judged on every device whatever the others find."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import phonenumbers

from conformance.contract.exchange import Exchange
from conformance.contract.failures import expect

E164 = re.compile(r"^\+[1-9][0-9]{1,14}$")


def is_internal(country: Any) -> bool:
    return isinstance(country, dict) and all(
        country.get(k) == "" for k in ("name", "code", "callingCode")
    )


def public_country(device: dict[str, Any]) -> dict[str, Any] | None:
    """The device's country when it names a calling code (a public number)."""
    country = device.get("country")
    if isinstance(country, dict) and not is_internal(country) and country.get("callingCode"):
        return country
    return None


def internal_extension(device: dict[str, Any]) -> str | None:
    """The extension of an internal number (country all empty), when the device shows it."""
    extension = device.get("phoneNumber")
    if is_internal(device.get("country")) and isinstance(extension, str):
        return extension
    return None


def check_e164(device: dict[str, Any], exchange: Exchange) -> None:
    """DEV-NUM-001: e164Number is a valid E.164 number of the country it names."""
    country = public_country(device)
    e164 = device.get("e164Number")
    if country is None or not isinstance(e164, str):
        return
    where = f"device {device['id']}"
    calling, code = str(country["callingCode"]), str(country.get("code", ""))
    expect(
        E164.match(e164) and e164.startswith("+" + calling),
        "DEV-NUM-001",
        f"{where}: e164Number '+', at most 15 digits, starting +{calling}",
        f"e164Number {e164!r}",
        exchange,
    )
    parsed = phonenumbers.parse(e164, None)
    expect(
        phonenumbers.is_valid_number_for_region(parsed, code),
        "DEV-NUM-001",
        f"{where}: a valid number of {code or '(empty code)'}",
        f"{e164} is {describe_region(parsed)}",
        exchange,
    )


def describe_region(parsed: phonenumbers.PhoneNumber) -> str:
    if not phonenumbers.is_valid_number(parsed):
        return "not a valid number"
    return f"a number of {phonenumbers.region_code_for_number(parsed)}"


def check_extension_e164(device: dict[str, Any], exchange: Exchange) -> None:
    """DEV-NUM-002: an internal extension's e164Number is the extension."""
    extension = internal_extension(device)
    if extension is None or "e164Number" not in device:
        return
    expect(
        device["e164Number"] == extension,
        "DEV-NUM-002",
        f"device {device['id']} (an internal extension: country all empty): "
        f"e164Number {extension!r}",
        f"e164Number {device['e164Number']!r}",
        exchange,
    )


def check_local_number(device: dict[str, Any], exchange: Exchange) -> None:
    """DEV-NUM-003: localNumber is the national number, or the extension itself."""
    local = device.get("localNumber")
    if not isinstance(local, str):
        return
    extension = internal_extension(device)
    if extension is not None:
        expect(
            local == extension,
            "DEV-NUM-003",
            f"device {device['id']} (an internal extension): localNumber {extension!r}",
            f"localNumber {local!r}",
            exchange,
        )
        return
    e164 = device.get("e164Number")
    if public_country(device) is None or not isinstance(e164, str) or not E164.match(e164):
        return  # no national number to compare with: DEV-NUM-001 judges e164Number
    parsed = phonenumbers.parse(e164, None)
    # How the national form is punctuated is not fixed: compare digits, with or without the
    # national trunk prefix ("020 7946 0123" and "2079460123" are both the national number).
    national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    accepted = {str(parsed.national_number), re.sub(r"[^0-9]", "", national)}
    expect(
        not local.strip().startswith("+") and re.sub(r"[^0-9]", "", local) in accepted,
        "DEV-NUM-003",
        f"device {device['id']}: localNumber the national number ({' or '.join(sorted(accepted))})",
        f"localNumber {local!r}",
        exchange,
    )


NUMBER_CHECKS: dict[str, Callable[[dict[str, Any], Exchange], None]] = {
    "DEV-NUM-001": check_e164,
    "DEV-NUM-002": check_extension_e164,
    "DEV-NUM-003": check_local_number,
}
