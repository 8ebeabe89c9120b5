"""Authentication: HTTP Basic on every request ("Request Parameters"; RFC 7617)."""

from __future__ import annotations

import pytest

from conformance.contract.contract import operations
from conformance.contract.identities import (
    ANONYMOUS,
    MALFORMED,
    NOT_BASE64,
    OTHER_SCHEME,
    WRONG_PASSWORD,
)
from conformance.steps.steps import expect_status, get

KINDS = {
    ANONYMOUS: "DEV-AUTH-001",
    MALFORMED: "DEV-AUTH-002",
    OTHER_SCHEME: "DEV-AUTH-002",
    # A strict reading of RFC 4648 section 3.3 that no client feels: the password is still
    # checked, and common decoders skip the stray character (openapi/decisions.md#authentication).
    NOT_BASE64: "DEV-AUTH-005",
    WRONG_PASSWORD: "DEV-AUTH-003",
}
MISSING_ID = "00000000-0000-4000-8000-00000000f00d"


def reads() -> list[tuple[str, str]]:
    """(operationId, path) of every GET, ids filled with ones that need not exist: an
    unauthenticated request must be refused before anything is looked up."""
    return [
        (op_id, path.replace("{id}", MISSING_ID).replace("{userId}", "0" * 32))
        for op_id, (method, path, _) in operations().items()
        if method == "GET"
    ]


def cases() -> list[object]:
    return [
        pytest.param(kind, path, id=f"{op_id}[{kind}]", marks=pytest.mark.requirement(req_id))
        for kind, req_id in KINDS.items()
        for op_id, path in reads()
    ]


@pytest.mark.parametrize(("kind", "path"), cases())
def test_requests_without_valid_credentials_are_401(kind, path, stranger):
    """Sends a GET with no, malformed or wrong credentials, or a real login under a scheme other
    than Basic; the answer is 401 (statusCode 20)."""
    reply = get(stranger(kind), path)
    expect_status(reply, {401}, KINDS[kind], f"GET {path} as {kind}")


@pytest.mark.requirement("DEV-AUTH-004")
@pytest.mark.parametrize("kind", list(KINDS))
def test_a_401_challenges_with_basic(kind, stranger):
    """Sends GET /me/devices without valid credentials; the 401 carries WWW-Authenticate: Basic."""
    reply = get(stranger(kind), "/me/devices")
    expect_status(reply, {401}, KINDS[kind], f"GET /me/devices as {kind}")
    # check_exchange verified the challenge of the 401 (DEV-AUTH-004).
