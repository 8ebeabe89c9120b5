"""The compiled pre-check is never more lenient than openapi-core's Python validator: on every
response schema of both profiles, no value the Python validator rejects passes the pre-check.
The values are the reference server's real answers and, for each, every way of breaking one
node of it: a member removed or added, a value of another type, a string bent at its edges."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import jsonschema_rs
import pytest
from openapi_schema_validator import OAS31Validator
from werkzeug.test import Client

from conformance.contract.contract import PROFILES, spec
from conformance.contract.prechecked import Precheck, precheck_for, schema_pointer
from conformance.contract.response_validator import ContractResponseValidator
from conformance.contract.validation import _openapi
from conformance.reference import ReferenceApp, credentials

# Values put in place of any node: one of each JSON type, and the edges of numbers.
REPLACEMENTS: list[Any] = [None, True, 0, -1, 1.5, 2**53, "", "x", [], {}, ["x"], {"x": 1}]
# Ways to bend a string that regular expressions of two dialects may read differently.
STRING_BENDS: list[Callable[[str], str]] = [
    lambda s: s + "\n",
    lambda s: "\n" + s,
    lambda s: s + "\ufeff",
    lambda s: s.upper(),
    lambda s: s.lower(),
    lambda s: s + "\u0661",  # ARABIC-INDIC DIGIT ONE: a digit to Python's \d, not to ECMA's
    lambda s: s * 40,
    lambda s: s[:1],
    lambda s: s.replace("/", "\\"),
    lambda s: " " + s,
]


def answers(profile: str) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(the schema's parts, a body) for what the reference server answers to the documented
    reads as each identity, refusals included."""
    client = Client(ReferenceApp(profile=profile))
    document = spec(profile)
    for user, password in credentials().values():
        for template, item in document["paths"].items():
            path = "/api/v2" + template.replace("{userId}", "me").replace("{id}", "unknown")
            for fields in ("*", None):
                query = f"?fields={fields}" if fields else ""
                answer = client.get(path + query, auth=(user, password))
                yield response_parts(template, answer.status_code), answer.get_json()
            if "get" in item and template == "/me/devices":
                listed = client.get(path + "?fields=*", auth=(user, password)).get_json()
                for device in listed.get("devices", []):
                    own = client.get(f"{path}/{device['id']}?fields=*", auth=(user, password))
                    yield response_parts("/me/devices/{id}", own.status_code), own.get_json()


def response_parts(template: str, status: int | str) -> tuple[str, ...]:
    return ("paths", template, "get", "responses", str(status), "content", "application/json")


def mutants(value: Any) -> Iterator[Any]:
    """Copies of `value` with one node broken."""
    yield from REPLACEMENTS
    if isinstance(value, str):
        yield from (bend(value) for bend in STRING_BENDS)
    if isinstance(value, dict):
        yield {**value, "unexpected": 1}
        for key, member in value.items():
            yield {k: v for k, v in value.items() if k != key}
            for broken in mutants(member):
                yield {**value, key: broken}
    if isinstance(value, list) and value:
        yield value + value[:1]
        yield value[:-1]
        # Each member broken alone, in a list of its own: every keyword of the items is still
        # reached, and each value stays small enough to validate by the thousand.
        for member in value:
            for broken in mutants(member):
                yield [broken]


def distinct(values: Iterable[Any]) -> list[Any]:
    return list({json.dumps(v, sort_keys=True): v for v in values}.values())


def python_rejects(validator: Any, value: Any) -> bool:
    return any(True for _ in validator.iter_errors(value))


def leniencies(precheck: Precheck, python: Any, values: list[Any]) -> list[Any]:
    """The values the pre-check passes and the Python validator rejects (the Python validator,
    the dearer, asked only about those the pre-check passes)."""
    return [v for v in values if precheck.passes(v) and python_rejects(python, v)]


def schema_validators(profile: str, parts: tuple[str, ...]) -> tuple[Precheck, Any]:
    app = _openapi(profile)
    schema = app.spec
    for part in (*parts, "schema"):
        schema = schema / part
    factory = ContractResponseValidator.schema_validators_factory
    built = factory.create(app.spec, schema)
    precheck = getattr(built, "precheck", None)
    assert precheck is not None, f"no pre-check for {'/'.join(parts)}"
    return precheck, built.validator


@pytest.mark.parametrize("profile", PROFILES)
def test_no_value_the_python_validator_rejects_passes_the_precheck(profile: str) -> None:
    by_schema: dict[tuple[str, ...], list[Any]] = {}
    for parts, body in answers(profile):
        by_schema.setdefault(parts, []).append(body)
    assert len(by_schema) >= 8, sorted(by_schema)
    for parts, bodies in by_schema.items():
        precheck, python = schema_validators(profile, parts)
        values = distinct(m for body in distinct(bodies) for m in mutants(body))
        teeth = any(python_rejects(python, v) for v in values)
        assert teeth, f"no broken value for {'/'.join(parts)}: the comparison has no teeth"
        lenient = leniencies(precheck, python, values)
        assert not lenient, (parts, json.dumps(lenient[0])[:300])


@pytest.mark.parametrize("profile", PROFILES)
def test_the_precheck_passes_the_reference_servers_answers(profile: str) -> None:
    """Otherwise it would only cost time: every answer would reach the Python validator."""
    for parts, body in answers(profile):
        precheck, python = schema_validators(profile, parts)
        assert not python_rejects(python, body), (parts, body)
        assert precheck.passes(body), (parts, body)


def test_a_lenient_precheck_is_found_out() -> None:
    """The comparison fails a pre-check that passes what the Python validator rejects."""
    parts, body = next(answers("8.5.0"))
    _, python = schema_validators("8.5.0", parts)

    class PassesAll(Precheck):
        def passes(self, value: Any) -> bool:
            return True

    assert leniencies(PassesAll(None), python, list(mutants(body)))


@pytest.mark.parametrize("schema", [
    {"type": "integer", "format": "int32"},  # jsonschema-rs checks formats on strings only
    {"type": "string", "format": "byte"},  # unknown to jsonschema-rs
    {"type": "string", "format": "regex"},  # ECMA-262 there, Python's re here
])  # fmt: skip
def test_a_contract_with_a_format_the_precheck_would_let_through_gets_none(
    schema: dict[str, Any],
) -> None:
    document = {"components": {"schemas": {"n": schema}}, "x": {"type": "string"}}
    assert precheck_for(document, ("components", "schemas", "n")) is None
    assert precheck_for(document, ("x",)) is None


def test_what_the_precheck_is_left_out_for_would_pass_what_python_rejects() -> None:
    """The reasons above, shown: each value passes jsonschema-rs and fails the Python checker."""
    checker = ContractResponseValidator.schema_validators_factory.format_checker
    for schema, value in [
        ({"type": "integer", "format": "int32"}, 2**40),
        ({"type": "string", "format": "byte"}, "not base64!"),
        ({"type": "string", "format": "regex"}, "(?<name>x)"),
    ]:
        assert jsonschema_rs.validator_for(schema, validate_formats=True).is_valid(value)
        assert not OAS31Validator(schema, format_checker=checker).is_valid(value), schema


def test_a_pointer_follows_references_as_openapi_core_does() -> None:
    document = spec("8.5.0")
    parts = (*response_parts("/me/devices", 200), "schema")
    pointer = schema_pointer(document, parts)
    assert pointer is not None
    assert pointer.startswith("/components/responses/"), pointer
    assert schema_pointer(document, ("paths", "/nowhere")) is None


@pytest.mark.parametrize("profile", PROFILES)
def test_every_response_schema_has_a_precheck(profile: str) -> None:
    """Each schema a response is validated against compiles (a path template's braces
    included), so no answer silently takes the slow way."""
    document = spec(profile)
    found = 0
    for template, item in document["paths"].items():
        for method, operation in item.items():
            responses = operation.get("responses") or {} if isinstance(operation, dict) else {}
            for status in responses:
                media = ("paths", template, method, "responses", str(status), "content")
                parts = (*media, "application/json")
                if schema_pointer(document, (*parts, "schema")) is None:
                    continue  # a response without a JSON body
                schema_validators(profile, parts)  # asserts that it has its pre-check
                found += 1
    assert found >= 20, found
