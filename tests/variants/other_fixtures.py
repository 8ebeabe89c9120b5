"""Fixture data other than ours: other user names, ids and passwords, other countries and
numbers, more devices. The suite must discover all of it (GET /me, the device lists) rather
than assume anything the reference fixtures hold."""

from __future__ import annotations

from typing import Any

import yaml

from conformance.reference.fixtures import DEFAULT_FIXTURES

USERS = {
    # persona: (userName, user id, password)
    "admin": ("c.rivera@contoso.test", "9e1f3c2b7a6d4e5f8a9b0c1d2e3f4a5b", "Adm1n!with:colon"),
    "supervisor": ("m.okafor", "5c4b3a29180f4e7d6c5b4a3928170f6e", "sup-ervisor 42"),
    "agent": ("kenji.tanaka", "00ff11ee22dd33cc44bb55aa66997788", "p@ss/word+1"),
    "other-agent": ("l.nakamura-smith", "abcdefabcdefabcdefabcdefabcdef12", "o7her"),
}

# (id, owner, phoneNumber, telephonyNetwork, extra settings)
DEVICES: list[tuple[str, str | None, str, str, dict[str, str]]] = [
    ("d1000000-0000-4000-8000-000000000001", "agent", "+81312345678", "Public", {}),
    ("d1000000-0000-4000-8000-000000000002", "agent", "5001", "Private", {"doNotDisturb": "On"}),
    ("d1000000-0000-4000-8000-000000000003", "agent", "+61291234567", "Public", {}),
    ("d1000000-0000-4000-8000-000000000004", "other-agent", "+551133334444", "Public", {}),
    ("d1000000-0000-4000-8000-000000000005", "other-agent", "77", "Private", {}),
    ("d1000000-0000-4000-8000-000000000006", "supervisor", "+14163640000", "Public", {}),
    ("d1000000-0000-4000-8000-000000000007", "supervisor", "+34912345678", "Private", {}),
    ("d1000000-0000-4000-8000-000000000008", None, "+912223456789", "Public", {}),
    ("d1000000-0000-4000-8000-000000000009", None, "+27211234567", "Public", {}),
    ("d1000000-0000-4000-8000-00000000000a", None, "+48221234567", "Private", {"model": "X1"}),
]


def other_fixtures_text() -> str:
    """The reference fixture file with our users renamed and other devices."""
    document: dict[str, Any] = yaml.safe_load(DEFAULT_FIXTURES.read_text(encoding="utf-8"))
    for persona, (user_name, user_id, password) in USERS.items():
        document["users"][persona].update(id=user_id, userName=user_name, password=password)
    document["devices"] = [
        {"id": device_id, "owner": owner, "phoneNumber": number, "telephonyNetwork": network}
        | extra
        for device_id, owner, number, network, extra in DEVICES
    ]
    # The agent forwards its third device to the supervisor's extension from the start.
    document["devices"][2]["forwardTo"] = "+14163640000"
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
