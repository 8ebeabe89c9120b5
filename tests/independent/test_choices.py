"""The independent implementations make the choices the decisions say they serve: each stores a
model longer than the contract's own 64 (openapi/decisions.md#limits-of-the-kits-own), and takes
a Basic token with a stray character outside the base64 alphabet, as its stack's decoder does
(DEV-AUTH-005 is a SHOULD for that reason)."""

from __future__ import annotations

import base64

import pytest
import requests

from tests.independent import IMPLEMENTATIONS, Implementation, serving

LONG_MODEL = "M" * 65
# Ofcom's drama range: a valid London number that rings no one, free on both implementations.
FREE_NUMBER = "+442079460321"


def basic(user: str, password: str, stray: str = "") -> str:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return f"Basic {token[:4]}{stray}{token[4:]}"


@pytest.fixture(scope="module", params=IMPLEMENTATIONS, ids=lambda i: i.name)
def served(request: pytest.FixtureRequest):
    implementation: Implementation = request.param
    with serving(implementation, "8.5.0") as base_url:
        yield base_url, implementation.logins()


def test_a_model_beyond_the_kits_limit_is_stored(served) -> None:
    base_url, logins = served
    admin = {"Authorization": basic(*logins["admin"])}
    created = requests.post(
        f"{base_url}/devices",
        json={"phoneNumber": FREE_NUMBER, "model": LONG_MODEL},
        headers=admin,
        timeout=30,
    )
    assert created.status_code == 200, created.text
    device = requests.get(created.json()["uri"], headers=admin, timeout=30).json()["device"]
    assert device.get("model") == LONG_MODEL


def test_a_stray_character_in_the_token_is_skipped(served) -> None:
    base_url, logins = served
    headers = {"Authorization": basic(*logins["agent"], stray="*")}
    answer = requests.get(f"{base_url}/me", headers=headers, timeout=30)
    assert answer.status_code == 200, answer.text
