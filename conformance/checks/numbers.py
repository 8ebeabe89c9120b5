"""Phone numbers against their country: E.164 (ITU-T E.164), `country`, `localNumber`.
The numbering plans come from the phonenumbers library, not from a home-made pattern."""

from __future__ import annotations

import re
from typing import Any

import phonenumbers

from conformance.client import Exchange
from conformance.failures import expect

E164 = re.compile(r"^\+[1-9][0-9]{1,14}$")


def is_internal(country: Any) -> bool:
    return isinstance(country, dict) and all(
        country.get(k) == "" for k in ("name", "code", "callingCode")
    )


def check_numbers(device: dict[str, Any], exchange: Exchange) -> None:
    country = device.get("country")
    if not isinstance(country, dict):
        return
    if is_internal(country):
        check_extension(device, exchange)
    elif country.get("callingCode"):
        check_public(device, country, exchange)


def check_public(device: dict[str, Any], country: dict[str, Any], exchange: Exchange) -> None:
    e164 = device.get("e164Number")
    where = f"device {device['id']}"
    if isinstance(e164, str):
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
        local = device.get("localNumber")
        if isinstance(local, str):
            check_local(where, local, parsed, exchange)


def describe_region(parsed: phonenumbers.PhoneNumber) -> str:
    if not phonenumbers.is_valid_number(parsed):
        return "not a valid number"
    return f"a number of {phonenumbers.region_code_for_number(parsed)}"


def check_local(where: str, local: str, parsed: phonenumbers.PhoneNumber, ex: Exchange) -> None:
    # How the national form is punctuated is not fixed: compare digits, with or without the
    # national trunk prefix ("020 7946 0123" and "2079460123" are both the national number).
    digits = re.sub(r"[^0-9]", "", local)
    national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    accepted = {str(parsed.national_number), re.sub(r"[^0-9]", "", national)}
    expect(
        not local.strip().startswith("+") and digits in accepted,
        "DEV-NUM-003",
        f"{where}: localNumber the national number ({' or '.join(sorted(accepted))})",
        f"localNumber {local!r}",
        ex,
    )


def check_extension(device: dict[str, Any], exchange: Exchange) -> None:
    extension = device.get("phoneNumber")
    if not isinstance(extension, str):
        return
    where = f"device {device['id']} (an internal extension: country all empty)"
    if "e164Number" in device:
        expect(
            device["e164Number"] == extension,
            "DEV-NUM-002",
            f"{where}: e164Number {extension!r}",
            f"e164Number {device['e164Number']!r}",
            exchange,
        )
    if "localNumber" in device:
        expect(
            device["localNumber"] == extension,
            "DEV-NUM-003",
            f"{where}: localNumber {extension!r}",
            f"localNumber {device['localNumber']!r}",
            exchange,
        )
