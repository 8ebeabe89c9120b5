"""Limits of the kit's own: schema keywords the contract names in `x-kit-limits` (the
`maxLength` of ids, numbers, the model and URIs). No vendor page sets them; they bound what the
kit sends, never what a server must refuse (openapi/decisions.md#limits-of-the-kits-own).

A generated invalid request whose only fault is crossing such a limit is not invalid in the
API's terms: the suite does not call its acceptance a failure."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from conformance.contract.contract import selected_profile, spec
from conformance.contract.pointers import escape, tokens

KIT_LIMITS = "x-kit-limits"
ROOT_URI = "urn:devices-contract"


def is_kit_limit(error: ValidationError) -> bool:
    """Whether the keyword this error broke is one the schema marks as the kit's own."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    return error.validator in schema.get(KIT_LIMITS, ())


def kit_limit_only(error: ValidationError) -> bool:
    """Whether the fault is a limit of the kit's own, or, for a `oneOf`/`anyOf` no branch of
    which holds, whether some branch fails on such limits alone (a ForwardCallsOn whose only
    fault is a long destination fails the other operations' branches on its operationName)."""
    if is_kit_limit(error):
        return True
    if error.validator not in ("oneOf", "anyOf") or not error.context:
        return False
    branches: dict[object, list[ValidationError]] = {}
    for inner in error.context:
        branches.setdefault(inner.relative_schema_path[0], []).append(inner)
    return any(all(kit_limit_only(e) for e in faults) for faults in branches.values())


def only_kit_limits_broken(errors: list[ValidationError]) -> bool:
    """There are faults, and every one of them is a limit of the kit's own."""
    return bool(errors) and all(kit_limit_only(error) for error in errors)


@cache
def _registry(profile: str) -> Registry[Any]:
    resource = Resource.from_contents(spec(profile), default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(ROOT_URI, resource)
    return registry


def validator(pointer: str) -> Draft202012Validator:
    """A validator of the contract's schema at `pointer` (a JSON pointer into the selected
    profile's document), its `$ref`s resolved in the same document. Formats are not asserted:
    only keywords whose fault is certain count."""
    return _validator(selected_profile(), pointer)


@cache
def _validator(profile: str, pointer: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": f"{ROOT_URI}#{pointer}"}, registry=_registry(profile))


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    """A local `$ref` object replaced by what it names (the contract's parameters are refs)."""
    ref = node.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return node
    found: Any = spec()
    for token in tokens(ref[1:]):
        found = found[token]
    return _resolve(found)


def parameter_pointers(path: str, method: str) -> Iterator[tuple[str, str, str]]:
    """(location, name, pointer to its schema) of each parameter of the operation, the path's
    own parameters included."""
    item = spec()["paths"][path]
    path_at = f"/paths/{escape(path)}"
    owners = ((path_at, item), (f"{path_at}/{method}", item[method]))
    for owner, node in owners:
        for index, entry in enumerate(node.get("parameters", ())):
            parameter = _resolve(entry)
            at = entry["$ref"][1:] if "$ref" in entry else f"{owner}/parameters/{index}"
            yield parameter["in"], parameter["name"], f"{at}/schema"


def body_pointer(path: str, method: str, media_type: str) -> str | None:
    body = spec()["paths"][path][method].get("requestBody")
    if body is None:
        return None
    at = body["$ref"][1:] if "$ref" in body else f"/paths/{escape(path)}/{method}/requestBody"
    if media_type not in _resolve(body).get("content", {}):
        return None
    return f"{at}/content/{escape(media_type)}/schema"


def request_errors(
    path: str, method: str, values: dict[str, dict[str, Any]], body: Any, media_type: str | None
) -> list[ValidationError]:
    """Every schema fault of a request's parameters (`values`: location -> name -> value) and
    body against the operation in the contract. Parameters the operation does not define are
    not judged here (the contract ignores unknown query parameters)."""
    method = method.lower()
    errors: list[ValidationError] = []
    for location, name, pointer in parameter_pointers(path, method):
        given = values.get(location) or {}
        if name in given:
            errors += validator(pointer).iter_errors(given[name])
    at = body_pointer(path, method, media_type) if media_type else None
    if at is not None and body is not None:
        errors += validator(at).iter_errors(body)
    return errors


def case_breaks_only_kit_limits(case: Any) -> bool:
    """Whether a generated invalid case is invalid only for crossing limits of the kit's own:
    then its acceptance is no failure (negative_data_rejection does not judge it)."""
    meta = getattr(case, "meta", None)
    if meta is None or not meta.generation.mode.is_negative:
        return False
    operation = case.operation
    values = {"path": case.path_parameters or {}, "query": case.query or {}}
    body = case.body if isinstance(case.body, (dict, list, str, int, float, bool)) else None
    errors = request_errors(operation.path, operation.method, values, body, case.media_type)
    return only_kit_limits_broken(errors)
