"""A compiled pre-check in front of openapi-core's schema validation: a value that jsonschema-rs
finds valid is valid; any other value goes to openapi-core's own validator, whose verdict and
errors the suite reports as before.

openapi-core validates with the pure-Python jsonschema, about 0.7 ms for a device list read for
the first time (benchmarks/run.py, section 4); jsonschema-rs (a dependency of schemathesis)
answers the same question in microseconds. Only its "valid" is trusted, so the pre-check can
make a verdict faster, never different, on the condition that it is never more lenient than the
Python validator. That holds where the two read the contract alike:

- the same draft (2020-12, the dialect of OpenAPI 3.1) and standard keywords; the OpenAPI
  vocabulary adds annotations only (discriminator, xml, externalDocs, example);
- `format`: a contract using a format the Python checker knows and jsonschema-rs does not check
  at least as strictly gets no pre-check: OpenAPI's number formats (int32, int64, float,
  double: jsonschema-rs checks formats on strings only), `byte`, `binary` and `password`
  (unknown to it), `regex` (it reads ECMA-262, where `(?<name>x)` is valid and Python's `re`
  refuses it). For the standard formats it checks (uri, date-time, email, ...) it is the
  stricter one, and the Python checker skips a format whose library is not installed;
- `pattern`: ECMA-262 (jsonschema-rs) and Python's `re` differ at the edges, mostly with Python
  the more lenient (`$` before a final newline, `\\d` for any Unicode digit), which only sends
  more values to the Python validator.

tests/contract/test_prechecked.py holds the two validators to that on every response schema of
both profiles, with values that break each keyword.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any
from urllib.parse import quote

import jsonschema_rs

from conformance.contract.pointers import escape, tokens

# Formats the Python checker applies that jsonschema-rs would let through.
UNCHECKED_FORMATS = frozenset(
    {"int32", "int64", "float", "double", "byte", "binary", "password", "regex"}
)
BASE_URI = "urn:devices-api:contract"


class Precheck:
    """jsonschema-rs's reading of one schema of a contract document."""

    def __init__(self, validator: Any) -> None:
        self._validator = validator

    def passes(self, value: Any) -> bool:
        try:
            return bool(self._validator.is_valid(value))
        except (TypeError, ValueError):  # a value that is not JSON: the Python validator says
            return False


def precheck_for(document: Mapping[str, Any], parts: Iterable[str | int]) -> Precheck | None:
    """The pre-check of the schema at `parts` (a path through the document, `$ref`s followed as
    openapi-core follows them), or None where the pre-check could be more lenient."""
    compiled = _compiled_document(document)
    if compiled is None:
        return None
    pointer = schema_pointer(document, tuple(parts))
    if pointer is None:
        return None
    return _precheck(compiled, pointer)


@cache
def _precheck(compiled: _Compiled, pointer: str) -> Precheck | None:
    # In a URI fragment the pointer is percent-encoded (RFC 6901, section 6): `{id}` in a path.
    fragment = quote(pointer, safe="/~")
    try:
        validator = jsonschema_rs.Draft202012Validator(
            {"$ref": f"{BASE_URI}#{fragment}"},
            registry=compiled.registry,
            validate_formats=True,
        )
    except (ValueError, jsonschema_rs.ReferencingError):
        return None  # a schema jsonschema-rs cannot read: openapi-core's validator alone
    return Precheck(validator)


class _Compiled:
    """A document jsonschema-rs can resolve references in."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.registry = jsonschema_rs.Registry([(BASE_URI, dict(document))])


# By the document's identity (a contract is parsed once per process: contract.spec is cached),
# with the document itself, so that an id reused by another object is not taken for it.
_DOCUMENTS: dict[int, tuple[Mapping[str, Any], _Compiled | None]] = {}


def _compiled_document(document: Mapping[str, Any]) -> _Compiled | None:
    """The compiled document, or None when it uses a format the pre-check would let through;
    either found once per document."""
    known = _DOCUMENTS.get(id(document))
    if known is None or known[0] is not document:
        compiled = None if uses_unchecked_formats(document) else _Compiled(document)
        known = _DOCUMENTS[id(document)] = (document, compiled)
    return known[1]


def uses_unchecked_formats(node: Any) -> bool:
    if isinstance(node, Mapping):
        if node.get("format") in UNCHECKED_FORMATS:
            return True
        return any(uses_unchecked_formats(value) for value in node.values())
    if isinstance(node, list):
        return any(uses_unchecked_formats(value) for value in node)
    return False


def schema_pointer(document: Mapping[str, Any], parts: tuple[str | int, ...]) -> str | None:
    """The JSON pointer of the node reached by walking `parts` from the document's root, following
    each local `$ref` on the way; None when the walk leaves the document."""
    node: Any = document
    pointer = ""
    for part in parts:
        node, pointer = _through_refs(document, node, pointer)
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
        pointer += "/" + escape(str(part))
    return pointer


def _through_refs(document: Mapping[str, Any], node: Any, pointer: str) -> tuple[Any, str]:
    seen: set[str] = set()
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if not ref.startswith("#") or ref in seen:
            return None, pointer
        seen.add(ref)
        pointer = ref[1:]
        node = _at(document, pointer)
    return node, pointer


def _at(document: Mapping[str, Any], pointer: str) -> Any:
    node: Any = document
    for key in tokens(pointer):
        if isinstance(node, list):
            node = node[int(key)] if key.isdigit() and int(key) < len(node) else None
        elif isinstance(node, Mapping):
            node = node.get(key)
        else:
            return None
    return node
