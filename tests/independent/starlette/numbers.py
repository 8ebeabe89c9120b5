"""What a device shows about its phone number: country, E.164 form, national form, location.

The seed's "Attributes" table and its sample define these; openapi/decisions.md#e164-numbers and
openapi/decisions.md#local-numbers fix an internal extension's (country all empty, e164Number and
localNumber the extension itself).
"""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers
from phonenumbers import geocoder

EMPTY_COUNTRY = {"name": "", "code": "", "callingCode": ""}


@dataclass(frozen=True)
class NumberFacts:
    country: dict[str, str]
    e164: str
    local: str
    location: str | None


def public_number(text: str) -> phonenumbers.PhoneNumber | None:
    """The parsed number when `text` is a valid international number, else None."""
    if not text.startswith("+"):
        return None
    try:
        parsed = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        return None
    return parsed if phonenumbers.is_valid_number(parsed) else None


def is_number(text: str) -> bool:
    """An extension, or a number of the international plan: a `+` form that is no valid number
    of any country (`+0...`, no calling code starts with 0; ITU-T E.164) is neither."""
    return not text.startswith("+") or public_number(text) is not None


def facts(text: str) -> NumberFacts:
    parsed = public_number(text)
    if parsed is None:
        # An internal extension: the seed's sample device 3001 (decisions.md#e164-numbers).
        return NumberFacts(dict(EMPTY_COUNTRY), text, text, None)
    region = phonenumbers.region_code_for_number(parsed) or ""
    if not (len(region) == 2 and region.isalpha()):
        # A non-geographic number (+800, +882, ...) has no ISO 3166-1 country to show.
        return NumberFacts(dict(EMPTY_COUNTRY), text, text, None)
    name = geocoder.country_name_for_number(parsed, "en") or region
    country = {"name": name, "code": region, "callingCode": str(parsed.country_code)}
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    location = geocoder.description_for_number(parsed, "en") or name
    return NumberFacts(country, e164, phonenumbers.national_significant_number(parsed), location)


def number_key(text: str) -> str:
    """What makes two phone numbers the same line: the E.164 form, or the extension as given."""
    return facts(text).e164
