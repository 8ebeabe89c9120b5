"""The suite's response validator reaches openapi-core's verdicts: for every pairing of a request
(documented, undocumented, odd) and a response (real answers of the reference server, and
broken ones), the same error class, message and schema errors as a plain `OpenAPI`."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict
from werkzeug.test import Client

from conformance.contract.contract import SPEC_PATH
from conformance.contract.exchange import Exchange
from conformance.contract.validation import (
    contract_request,
    contract_violations,
    openapi,
    verdict_key,
)
from conformance.reference import ReferenceApp, credentials

AGENT_DEVICE = "0c754c1f-7a65-4a7f-9a2b-c5bb5c983653"
AGENT_ID = "33254e93b91644238d28f036ef831823"

PATHS = [
    "/api/v2/devices",
    f"/api/v2/devices/{AGENT_DEVICE}",
    f"/api/v2/users/{AGENT_ID}/devices",
    "/api/v2/me/devices",
    f"/api/v2/me/devices/{AGENT_DEVICE}",
    "/api/v2/me",
    # Odd ones: an empty id, a trailing slash, too deep, unknown, another version, no prefix.
    "/api/v2/devices/",
    "/api/v2/me/devices/",
    "/api/v2/me/",
    f"/api/v2/me/devices/{AGENT_DEVICE}/extra",
    "/api/v2/users/me/devices",
    "/api/v2/unknown",
    "/api/v3/me",
    "/me/devices",
]
METHODS = ["get", "post", "delete"]


@dataclass
class Request:
    path: str
    method: str
    host_url: str = "http://127.0.0.1:8080"
    parameters: RequestParameters = field(
        default_factory=lambda: RequestParameters(
            query=ImmutableMultiDict(), header=Headers(), cookie=ImmutableMultiDict()
        )
    )
    body: bytes | None = None
    content_type: str = "application/json"


@dataclass
class Response:
    status_code: int
    data: bytes
    content_type: str = "application/json"
    headers: Headers = field(default_factory=Headers)


def reference_answers() -> list[Response]:
    """What the reference server says to the documented GETs, as the agent, with all fields."""
    client = Client(ReferenceApp())
    auth = credentials()["agent"]
    answers = []
    for path in PATHS[:6]:
        answer = client.get(f"{path}?fields=*", auth=auth)
        answers.append(Response(answer.status_code, answer.get_data()))
    return answers


def broken_answers() -> list[Response]:
    device_list = json.loads(reference_answers()[3].data)
    device_list["devices"][0]["deviceState"] = "Sleeping"
    return [
        Response(200, json.dumps(device_list).encode()),
        Response(200, b'{"statusCode": 0}', headers=Headers({"X-CSRF-HEADER": "X-Token"})),
        Response(200, b'{"statusCode": 0}', headers=Headers({"x-csrf-token": ""})),
        Response(404, b'{"statusCode": 6, "statusMessage": "Not found"}'),
        Response(404, b'{"statusCode": 6}'),
        Response(401, b'{"statusCode": 20, "statusMessage": "Unauthorized"}'),
        Response(405, b'{"statusCode": 1, "statusMessage": "Method not allowed"}'),
        Response(500, b"{}"),
        Response(200, b"not json"),
        Response(200, b""),
        Response(200, b"<html></html>", content_type="text/html"),
    ]


def outcome(app: OpenAPI, request: Request, response: Response) -> Any:
    try:
        app.validate_response(request, response)
    except Exception as error:
        cause = error.__cause__
        schema_errors = getattr(cause, "schema_errors", None) or ()
        return (
            type(error).__name__,
            str(error),
            type(cause).__name__,
            sorted(str(e.message) for e in schema_errors),
        )
    return None


@pytest.fixture(scope="module")
def plain() -> OpenAPI:
    return OpenAPI.from_file_path(str(SPEC_PATH))


def test_same_verdicts_as_openapi_core(plain: OpenAPI) -> None:
    answers = reference_answers() + broken_answers()
    compared = 0
    differences = []
    for path, method, response in itertools.product(PATHS, METHODS, answers):
        request = Request(path, method)
        expected, actual = outcome(plain, request, response), outcome(openapi(), request, response)
        compared += 1
        if expected != actual:
            differences.append((method, path, response.status_code, expected, actual))
    assert not differences, differences[:3]
    assert compared == len(PATHS) * len(METHODS) * len(answers)


def test_the_corpus_holds_both_verdicts(plain: OpenAPI) -> None:
    """The comparison above means something only if the corpus has valid and invalid pairs."""
    verdicts = {
        outcome(plain, Request(path, "get"), response) is None
        for path, response in itertools.product(PATHS, reference_answers() + broken_answers())
    }
    assert verdicts == {True, False}


def exchange(body: bytes, **headers: str) -> Exchange:
    return Exchange(
        "GET", "http://127.0.0.1:8080/api/v2/me", "agent", {}, None, 200,
        {"content-type": "application/json", **headers}, body,
    )  # fmt: skip


def test_an_answer_judged_again_gets_the_same_verdict_and_only_for_what_validation_reads() -> None:
    """Verdicts are kept by what openapi-core reads: an answer that differs only in a header
    no response documents (Date) has the first one's verdict; one with another body, or
    another value of a documented header, is judged anew."""
    base = "http://127.0.0.1:8080/api/v2"
    good = reference_answers()[5].data
    bad = json.dumps({"statusCode": 0, "user": {"id": 7}}).encode()
    assert contract_violations(exchange(good, date="Mon"), base) == []
    assert contract_violations(exchange(good, date="Tue"), base) == []
    first = contract_violations(exchange(bad, date="Mon"), base)
    assert first, "a user record with a numeric id passed"
    assert contract_violations(exchange(bad, date="Tue"), base) == first
    a = verdict_key(exchange(good, date="Mon"), contract_request(exchange(good), base))
    b = verdict_key(exchange(good, date="Tue"), contract_request(exchange(good), base))
    c = verdict_key(
        exchange(good, **{"www-authenticate": "Basic"}), contract_request(exchange(good), base)
    )
    assert a == b != c
