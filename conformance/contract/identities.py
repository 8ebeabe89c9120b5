"""The identities the suite acts as: the four logins it is given, each with the role the
contract's `x-access` policy speaks of, and the pseudo-identities of the authentication cases."""

from __future__ import annotations

# An identity is one set of credentials; its policy role is what openapi/devices.yaml's
# `x-access` speaks of. Two agents are needed to test that one cannot reach the other's devices.
IDENTITIES = ("admin", "supervisor", "agent", "other-agent")
POLICY_ROLE = {
    "admin": "admin",
    "supervisor": "supervisor",
    "agent": "agent",
    "other-agent": "agent",
}

# Identities that are not real users, for authentication cases (RFC 7617 section 2).
ANONYMOUS = "anonymous"
MALFORMED = "malformed"
WRONG_PASSWORD = "wrong-password"
# A real login sent under another scheme than Basic (RFC 9110 section 11.4): not Basic
# credentials, whatever its token holds.
OTHER_SCHEME = "other-scheme"
# A real login's Basic token with a character outside the base64 alphabet in it, which RFC 4648
# section 3.3 asks a decoder to reject; many skip it instead (a SHOULD: DEV-AUTH-005).
NOT_BASE64 = "not-base64"
