"""Limits of the kit's own bind what the kit sends, never what a server must refuse
(openapi/decisions.md#limits-of-the-kits-own): no hand-written case refuses a body whose only
fault is crossing one, and a generated invalid case whose only fault is one is not judged on
its acceptance."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

from conformance.contract.kit_limits import case_breaks_only_kit_limits, request_errors
from conformance.contract.kit_limits import only_kit_limits_broken as only_kit_limits
from conformance.steps.invalid_bodies import CREATE_BODIES, OPERATION_BODIES

DEVICE = "0c754c1f-7a65-4a7f-9a2b-c5bb5c983653"
REFUSED = [
    *(("/me/devices", "post", name, body) for name, body in CREATE_BODIES.items()),
    *(("/me/devices/{id}", "post", name, body) for name, body in OPERATION_BODIES.items()),
]


def faults(path: str, method: str, body: Any) -> list[Any]:
    return request_errors(path, method, {"path": {"id": DEVICE}}, body, "application/json")


@pytest.mark.parametrize(
    ("path", "method", "body"),
    [pytest.param(path, method, body, id=name) for path, method, name, body in REFUSED],
)
def test_no_case_refuses_a_body_only_for_a_limit_of_the_kits_own(
    path: str, method: str, body: bytes
) -> None:
    """Each body a case wants refused is malformed, breaks the contract beyond the kit's own
    limits, or is refused for what no schema says (a number of no numbering plan)."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return  # not JSON at all
    assert not only_kit_limits(faults(path, method, parsed)), body


@pytest.mark.parametrize(
    ("body", "kit_only"),
    [
        ({"phoneNumber": "4" * 33}, True),
        ({"phoneNumber": "+442079460001", "model": "m" * 65}, True),
        ({"phoneNumber": "4" * 33, "telephonyNetwork": "Satellite"}, False),
        ({"model": "m" * 65}, False),
        ({"phoneNumber": ""}, False),
    ],
    ids=["long-number", "long-model", "long-number-and-unknown-network", "no-number", "empty"],
)
def test_a_create_breaking_only_kit_limits_is_told_apart(body: Any, kit_only: bool) -> None:
    assert only_kit_limits(faults("/devices", "post", body)) is kit_only


@pytest.mark.parametrize(
    ("body", "kit_only"),
    [
        ({"operationName": "ForwardCallsOn", "destination": "4" * 33}, True),
        ({"operationName": "ListenIn", "targetDeviceUri": "http://h/" + "x" * 2048}, True),
        ({"operationName": "ForwardCallsOn", "destination": ""}, False),
        ({"operationName": "Dance"}, False),
    ],
    ids=["long-destination", "long-target", "empty-destination", "unknown-operation"],
)
def test_an_operation_breaking_only_kit_limits_is_told_apart(body: Any, kit_only: bool) -> None:
    """The operation body is a oneOf: the branch of its own operationName decides."""
    assert only_kit_limits(faults("/me/devices/{id}", "post", body)) is kit_only


def generated(negative: bool, path: str, body: Any = None, ids: dict[str, str] | None = None):
    mode = SimpleNamespace(is_negative=negative)
    return SimpleNamespace(
        meta=SimpleNamespace(generation=SimpleNamespace(mode=mode)),
        operation=SimpleNamespace(path=path, method="POST" if body is not None else "GET"),
        path_parameters=ids or {},
        query={},
        body=body,
        media_type="application/json" if body is not None else None,
    )


def test_a_generated_invalid_case_is_judged_unless_only_a_kit_limit_is_crossed() -> None:
    long_id = generated(True, "/devices/{id}", ids={"id": "x" * 257})
    long_number = generated(True, "/devices", {"phoneNumber": "4" * 33})
    unknown_network = generated(True, "/devices", {"phoneNumber": "1", "telephonyNetwork": "X"})
    valid_as_sent = generated(False, "/devices", {"phoneNumber": "4" * 33})
    assert case_breaks_only_kit_limits(long_id)
    assert case_breaks_only_kit_limits(long_number)
    assert not case_breaks_only_kit_limits(unknown_network)
    assert not case_breaks_only_kit_limits(valid_as_sent)  # positive cases are not touched
