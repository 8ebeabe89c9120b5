"""The rules every exchange obeys, checked on every response the suite receives: the envelope,
the status codes, and the contract (openapi-core against openapi/devices.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

from conformance.contract.contract import (
    device_attribute_requirements,
    selected_profile,
    spec,
    spec_path,
)
from conformance.contract.exchange import Exchange
from conformance.contract.failures import RequirementFailure, expect
from conformance.contract.response_validator import ContractResponseValidator

# The HTTP status that goes with each body statusCode: openapi/decisions.md#status-codes; in
# 8.5.2, 19 (already in use) goes with 403 too (openapi/decisions.md#gws-852-and-later).
SEED_STATUS_CODES: dict[int, set[int]] = {
    200: {0},
    400: {1, 2, 10},
    401: {20},
    403: {3, 5},
    404: {6},
}
STATUS_CODES: dict[str, dict[int, set[int]]] = {
    "8.5.0": SEED_STATUS_CODES,
    "8.5.2": {**SEED_STATUS_CODES, 403: SEED_STATUS_CODES[403] | {19}},
}


def openapi() -> OpenAPI:
    """The selected profile's contract for openapi-core."""
    return _openapi(selected_profile())


@cache
def _openapi(profile: str) -> OpenAPI:
    """Parsed and validated once per process: building it costs tens of milliseconds."""
    config = Config(response_validator_cls=ContractResponseValidator)
    return OpenAPI.from_file_path(str(spec_path(profile)), config=config)


def check_exchange(exchange: Exchange, base_url: str, *, contract: bool = True) -> Any:
    """Check what every response must satisfy; return the decoded body."""
    status = exchange.status
    expect(status < 500, "DEV-HTTP-002", "a status below 500", exchange.describe(), exchange)
    body = check_envelope(exchange)
    code = body["statusCode"]
    if code == 0 or status == 200:
        expect(
            status == 200 and code == 0,
            "DEV-ENV-002",
            "HTTP 200 with statusCode 0 on success",
            f"HTTP {status} with statusCode {code}",
            exchange,
        )
    allowed = STATUS_CODES[selected_profile()]
    if status in allowed:
        expect(
            code in allowed[status],
            "DEV-HTTP-001",
            f"HTTP {status} with statusCode in {sorted(allowed[status])}",
            f"statusCode {code}",
            exchange,
        )
    if code != 0:
        check_error_body(exchange, body)
    if status == 401:
        check_challenge(exchange)
    if contract:
        check_contract(exchange, base_url)
    return body


def check_envelope(exchange: Exchange) -> dict[str, Any]:
    media_type = exchange.content_type.split(";")[0].strip().lower()
    expect(
        media_type == "application/json",
        "DEV-ENV-001",
        "Content-Type application/json",
        exchange.describe(),
        exchange,
    )
    body = exchange.json()
    expect(isinstance(body, dict), "DEV-ENV-001", "a JSON object", exchange.describe(), exchange)
    code = body.get("statusCode")
    expect(
        isinstance(code, int) and not isinstance(code, bool),
        "DEV-ENV-001",
        "an integer statusCode",
        f"statusCode {code!r}",
        exchange,
    )
    return dict(body)


def check_error_body(exchange: Exchange, body: dict[str, Any]) -> None:
    expect(
        set(body) == {"statusCode", "statusMessage"} and isinstance(body["statusMessage"], str),
        "DEV-ENV-003",
        "exactly statusCode and a string statusMessage",
        f"members {sorted(body)}",
        exchange,
    )


def check_challenge(exchange: Exchange) -> None:
    challenge = exchange.headers.get("www-authenticate", "")
    expect(
        challenge.lower().split(" ")[0] == "basic",
        "DEV-AUTH-004",
        "WWW-Authenticate: Basic ...",
        f"WWW-Authenticate: {challenge!r}" if challenge else "no WWW-Authenticate header",
        exchange,
    )


# ---------------------------------------------------------------- the contract, by openapi-core


@dataclass
class _Request:
    host_url: str
    path: str
    method: str
    parameters: RequestParameters
    body: bytes | None
    content_type: str


@dataclass
class _Response:
    status_code: int
    data: bytes
    content_type: str
    headers: Headers


def contract_request(exchange: Exchange, base_url: str) -> _Request:
    # The contract's server is the relative `/api/v2`: give openapi-core the deployment prefix as
    # part of the host so that `/cloud-web/api/v2` validates like `/api/v2`.
    url = urlsplit(exchange.url)
    base_path = urlsplit(base_url).path.rstrip("/")
    prefix = base_path[: base_path.rfind("/api/")] if "/api/" in base_path else ""
    query = ImmutableMultiDict(parse_qsl(url.query, keep_blank_values=True))
    headers = Headers(list(exchange.request_headers.items()))
    return _Request(
        host_url=f"{url.scheme}://{url.netloc}{prefix}",
        path=url.path[len(prefix) :],
        method=exchange.method.lower(),
        parameters=RequestParameters(query=query, header=headers, cookie=ImmutableMultiDict()),
        body=exchange.request_body,
        content_type=headers.get("Content-Type", ""),
    )


def check_contract(exchange: Exchange, base_url: str) -> None:
    violations = contract_violations(exchange, base_url)
    if violations:
        req_id, detail = violations[0]
        raise RequirementFailure(req_id, "a response the contract documents", detail, exchange)


Verdict = tuple[tuple[str, str], ...]
# Verdicts already reached, by what openapi-core reads of an exchange (verdict_key). A run
# receives the same answer many times (each refusal, a device read by several cases); judging
# it again would give the same verdict at the same cost.
_VERDICTS: dict[tuple[object, ...], Verdict] = {}


def contract_violations(exchange: Exchange, base_url: str) -> list[tuple[str, str]]:
    """Every way the response departs from the contract, each with the requirement it breaks.
    A violation inside a device attribute names that attribute's requirement (`x-requirement`
    in the spec); any other is DEV-ENV-004."""
    request = contract_request(exchange, base_url)
    key = verdict_key(exchange, request)
    if key not in _VERDICTS:
        _VERDICTS[key] = tuple(_judged(exchange, request))
    return list(_VERDICTS[key])


def forget_verdicts() -> None:
    """Every answer judged anew: what a first sight costs (benchmarks/run.py)."""
    _VERDICTS.clear()


def verdict_key(exchange: Exchange, request: _Request) -> tuple[object, ...]:
    """All that response validation reads: the operation (found from the URL and method), the
    status, the media type, the headers the contract documents anywhere, and the body."""
    documented = response_header_names(selected_profile())
    headers = sorted((k.lower(), v) for k, v in exchange.headers.items() if k.lower() in documented)
    return (
        selected_profile(), request.host_url, request.path, request.method,
        exchange.status, exchange.content_type, tuple(headers), exchange.body,
    )  # fmt: skip


@cache
def response_header_names(profile: str) -> frozenset[str]:
    """Every response header the profile's contract documents, in any response."""
    document = spec(profile)
    responses = list(document.get("components", {}).get("responses", {}).values())
    for item in document.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict):  # not a path item's parameters
                responses += (operation.get("responses") or {}).values()
    return frozenset(name.lower() for r in responses for name in r.get("headers") or {})


def _judged(exchange: Exchange, request: _Request) -> list[tuple[str, str]]:
    response = _Response(
        exchange.status,
        exchange.body,
        exchange.content_type.split(";")[0],
        Headers(list(exchange.headers.items())),
    )
    try:
        openapi().validate_response(request, response)
    except Exception as error:  # openapi-core raises many OpenAPIError subclasses
        return explain(error)
    return []


def explain(error: Exception) -> list[tuple[str, str]]:
    schema_errors = getattr(error.__cause__, "schema_errors", None)
    if not schema_errors:
        return [("DEV-ENV-004", f"{type(error).__name__}: {error}")]
    attributes = device_attribute_requirements()
    found: list[tuple[str, str]] = []
    for schema_error in schema_errors:
        for context in [schema_error, *(getattr(schema_error, "context", None) or ())]:
            path = list(context.absolute_path)
            where = "/".join(str(part) for part in path) or "body"
            req_id = attributes.get(device_attribute(path) or "", "DEV-ENV-004")
            found.append((req_id, f"{where}: {context.message}"))
    # Attribute findings first: they name the precise rule.
    return sorted(found, key=lambda item: item[0] == "DEV-ENV-004")


def device_attribute(path: list[Any]) -> str | None:
    """`devices/3/deviceState` or `device/country/code` -> the attribute name."""
    if len(path) >= 2 and path[0] == "device":
        return str(path[1])
    if len(path) >= 3 and path[0] == "devices":
        return str(path[2])
    return None
