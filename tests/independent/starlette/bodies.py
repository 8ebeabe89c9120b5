"""Errors in the API's envelope, and the reading of request bodies."""

from __future__ import annotations

from typing import Any

from starlette.requests import ClientDisconnect, Request

from .numbers import is_number

# "Return Values": the codes of the envelope.
MISSING = 1
INVALID = 2
FORBIDDEN = 3
NO_PERMISSION = 5
NOT_FOUND = 6
IN_USE = 19  # 8.5.2 and later ("Return Values" 8.5.2): already in use


class ApiError(Exception):
    """A refusal: HTTP status and statusCode paired as openapi/decisions.md#status-codes says."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def missing(name: str) -> ApiError:
    return ApiError(400, MISSING, f"Missing mandatory parameter: {name}")


def invalid(name: str) -> ApiError:
    return ApiError(400, INVALID, f"Invalid parameter: {name}")


async def read_object(request: Request) -> dict[str, Any]:
    """The JSON object a POST carries. Parsed by Starlette's request.json() (Python's json.loads,
    the framework default); the content type is not looked at, which
    openapi/decisions.md#request-bodies leaves to the server."""
    try:
        raw = await request.body()
    except ClientDisconnect as exc:
        # The client left before its body was read (a short body under a longer
        # Content-Length): refused as an incomplete request, not an internal error.
        raise ApiError(400, INVALID, "Incomplete request body") from exc
    if not raw:
        raise ApiError(400, MISSING, "Missing request body")
    try:
        body = await request.json()
    except (ValueError, RecursionError) as exc:
        raise ApiError(400, INVALID, "The request body is not valid JSON") from exc
    if not isinstance(body, dict):
        raise ApiError(400, INVALID, "The request body must be a JSON object")
    return body


def is_text(value: object, empty_ok: bool = False) -> bool:
    """A string (non-empty unless `empty_ok`) that can be written back as UTF-8: json.loads
    lets lone surrogates through, which no response could carry."""
    if not isinstance(value, str) or not (value or empty_ok):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def required_text(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if value is None:
        raise missing(name)
    if not is_text(value):
        raise invalid(name)
    return str(value)


def optional_text(body: dict[str, Any], name: str, empty_ok: bool = False) -> str | None:
    if name not in body:
        return None
    value = body[name]
    if not is_text(value, empty_ok):
        raise invalid(name)
    return str(value)


def required_number(body: dict[str, Any], name: str) -> str:
    """A phone number: an internal extension, or a public number in E.164 form (the contract's
    DeviceCreate.phoneNumber; ITU-T E.164)."""
    value = required_text(body, name)
    if not is_number(value):
        raise invalid(name)
    return value


def optional_number(body: dict[str, Any], name: str) -> str | None:
    if name not in body:
        return None
    return required_number(body, name)


def optional_choice(body: dict[str, Any], name: str, choices: tuple[str, ...]) -> str | None:
    """An enumerated member; case-sensitive (openapi/decisions.md#enumerations)."""
    if name not in body:
        return None
    value = body[name]
    if value not in choices:
        raise invalid(name)
    return str(value)
