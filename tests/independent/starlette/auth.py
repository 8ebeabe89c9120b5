"""HTTP Basic on every request ("Request Parameters"; openapi/decisions.md#authentication),
through Starlette's own authentication middleware."""

from __future__ import annotations

import base64
import binascii
import hmac

from starlette.authentication import (
    AuthCredentials,
    AuthenticationBackend,
    AuthenticationError,
    BaseUser,
)
from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse, Response

from .store import Store, User

# RFC 7617 section 2: the challenge names the scheme and a realm.
CHALLENGE = 'Basic realm="Genesys Web Services"'


class Caller(BaseUser):
    def __init__(self, user: User) -> None:
        self.user = user

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def display_name(self) -> str:
        return self.user.userName


class BasicAuthBackend(AuthenticationBackend):
    """Every failure raises, so that no request reaches an endpoint unauthenticated."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser]:
        header = conn.headers.get("authorization")
        if header is None:
            raise AuthenticationError("Access denied")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "basic":
            raise AuthenticationError("Access denied")
        user_name, password = decode(token.strip())
        user = self.store.by_name.get(user_name)
        if user is None or not hmac.compare_digest(user.password.encode(), password.encode()):
            raise AuthenticationError("Access denied")
        return AuthCredentials(list(user.roles)), Caller(user)


def decode(token: str) -> tuple[str, str]:
    try:
        # The default, non-validating decoder (as FastAPI's HTTPBasic uses): characters outside
        # the base64 alphabet are dropped, not refused. No source asks for stricter decoding.
        text = base64.b64decode(token).decode("utf-8")
    except (ValueError, binascii.Error) as exc:
        raise AuthenticationError("Access denied") from exc
    user_name, colon, password = text.partition(":")
    if not colon:
        raise AuthenticationError("Access denied")
    return user_name, password


def unauthenticated(conn: HTTPConnection, exc: Exception) -> Response:
    """401 with statusCode 20 ("Return Values", later versions) and the Basic challenge
    (openapi/decisions.md#authentication)."""
    return JSONResponse(
        {"statusCode": 20, "statusMessage": "Access denied"},
        status_code=401,
        headers={"WWW-Authenticate": CHALLENGE},
    )
