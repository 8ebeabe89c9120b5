"""Phone numbers: which ones a device may have, and what the server derives from them.

A device's phone number is either a public number in E.164 form (``+16509870000``) or an
internal extension of 1 to 10 digits (``3001``). Everything else a device shows about its
number (country, E.164 form, national number, location) is derived here, for fixture devices
and created devices alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import geocoder

EXTENSION = re.compile(r"[0-9]{1,10}")
# E.164 allows at most 15 digits after the "+".
PUBLIC_NUMBER = re.compile(r"\+[0-9]{2,15}")
# A loose shape for a forwarding destination: the vendor pages only say "the number".
DESTINATION = re.compile(r"\+?[0-9]{1,15}")
REGION_CODE = re.compile(r"[A-Z]{2}")


class InvalidNumber(ValueError):
    """A string that is neither a valid public number nor an internal extension."""


@dataclass(frozen=True)
class NumberFacts:
    """What a device shows about its phone number."""

    country_name: str
    country_code: str
    calling_code: str
    e164: str
    local: str
    location: str

    @property
    def is_extension(self) -> bool:
        return self.calling_code == ""


def describe(phone_number: str) -> NumberFacts:
    """Derives the facts about a phone number, or raises InvalidNumber."""
    if EXTENSION.fullmatch(phone_number):
        return NumberFacts("", "", "", phone_number, phone_number, "")
    if PUBLIC_NUMBER.fullmatch(phone_number):
        return _describe_public(phone_number)
    raise InvalidNumber(
        f"{phone_number!r} is neither a +E.164 number nor an extension of 1 to 10 digits"
    )


def _describe_public(phone_number: str) -> NumberFacts:
    try:
        parsed = phonenumbers.parse(phone_number, None)
    except phonenumbers.NumberParseException as exc:
        raise InvalidNumber(f"{phone_number!r} is not a phone number") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidNumber(f"{phone_number!r} is not a valid phone number")
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if e164 != phone_number:
        raise InvalidNumber(f"{phone_number!r} is not in E.164 form; write {e164!r}")
    region = phonenumbers.region_code_for_number(parsed) or ""
    # Non-geographic numbers (+800, +882 ...) belong to no country, which a device must name.
    if not REGION_CODE.fullmatch(region):
        raise InvalidNumber(f"{phone_number!r} belongs to no country")
    return NumberFacts(
        country_name=geocoder.country_name_for_number(parsed, "en"),
        country_code=region,
        calling_code=str(parsed.country_code),
        e164=e164,
        local=phonenumbers.national_significant_number(parsed),
        location=geocoder.description_for_number(parsed, "en"),
    )


def is_destination(value: str) -> bool:
    """Tells whether a string can be a call-forwarding destination."""
    return DESTINATION.fullmatch(value) is not None
