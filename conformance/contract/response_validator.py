"""openapi-core's OpenAPI 3.1 response validator, with the work that depends only on the
contract done once per process instead of once per response.

Profiling the per-response validation (benchmarks/run.py, section 2) found three costs that
never change between responses: matching the URL against every path template, rebuilding a
jsonschema validator (a deep copy of the format checker included) for the same schema, and
deserialising documented-but-absent response headers only to learn they are absent. A fourth
is the pure-Python schema validation itself: a compiled pre-check answers first, and only a
value it does not pass reaches the Python validator (prechecked.py says when that is safe).
The verdicts stay openapi-core's: the same schemas, the same error classes, the same messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from jsonschema_path import SchemaPath
from openapi_core.protocols import Request
from openapi_core.templating.datatypes import TemplateResult
from openapi_core.templating.paths.datatypes import PathOperationServer
from openapi_core.templating.paths.parsers import PathParser
from openapi_core.templating.responses.finders import ResponseFinder
from openapi_core.validation.response.exceptions import MissingHeader, MissingRequiredHeader
from openapi_core.validation.response.validators import V31ResponseValidator
from openapi_core.validation.schemas import oas31_schema_validators_factory
from openapi_core.validation.schemas.datatypes import FormatValidatorsDict
from openapi_core.validation.schemas.factories import DialectSchemaValidatorsFactory
from openapi_core.validation.schemas.validators import SchemaValidator

from conformance.contract.prechecked import Precheck, precheck_for

# The operations a path item may hold (OpenAPI 3.1, Path Item Object).
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class PrecheckedSchemaValidator(SchemaValidator):
    """openapi-core's validator, asked only about values the compiled pre-check does not pass."""

    def __init__(self, schema: SchemaPath, validator: Any, precheck: Precheck | None) -> None:
        super().__init__(schema, validator)
        self.precheck = precheck

    def validate(self, value: Any) -> None:
        if self.precheck is not None and self.precheck.passes(value):
            return
        super().validate(value)

    def evolve(self, schema: SchemaPath) -> SchemaValidator:
        # A sub-schema openapi-core steps into is validated the Python way, as it always was.
        evolved = SchemaValidator(self.schema, self.validator)
        return evolved.evolve(schema)


class ReusedSchemaValidators(DialectSchemaValidatorsFactory):
    """Hands out one validator per schema location: a SchemaValidator keeps no state between
    `validate` calls, so building it again for every response only costs time."""

    def __init__(self, factory: DialectSchemaValidatorsFactory) -> None:
        super().__init__(
            factory.schema_validator_cls,
            factory.default_jsonschema_dialect_id,
            factory.format_checker,
        )
        self.built: dict[tuple[Any, ...], SchemaValidator] = {}

    def create(
        self,
        spec: SchemaPath,
        schema: SchemaPath,
        format_validators: FormatValidatorsDict | None = None,
        extra_format_validators: FormatValidatorsDict | None = None,
        forbid_unspecified_additional_properties: bool = False,
        enforce_properties_required: bool = False,
    ) -> SchemaValidator:
        flags = (forbid_unspecified_additional_properties, enforce_properties_required)
        build = partial(super().create, spec, schema, format_validators, extra_format_validators)
        if format_validators or extra_format_validators:
            return build(*flags)  # not hashable; the contract declares no custom formats
        key = (schema.parts, flags)
        if key not in self.built:
            self.built[key] = self.prechecked(spec, schema, build(*flags), flags)
        return self.built[key]

    @staticmethod
    def prechecked(
        spec: SchemaPath, schema: SchemaPath, built: SchemaValidator, flags: tuple[bool, bool]
    ) -> SchemaValidator:
        if any(flags):  # openapi-core's stricter modes have no compiled counterpart
            return built
        precheck = precheck_for(spec.read_value(), schema.parts)
        return PrecheckedSchemaValidator(built.schema, built.validator, precheck)


@dataclass(frozen=True)
class Template:
    """One path of the contract, ready to match: its parser and the nodes openapi-core wants."""

    name: str
    parser: PathParser
    path: SchemaPath
    operations: dict[str, SchemaPath]
    server: SchemaPath
    server_url: str


class ContractResponseValidator(V31ResponseValidator):
    schema_validators_factory = ReusedSchemaValidators(oas31_schema_validators_factory)

    def __init__(self, spec: SchemaPath, **options: Any) -> None:
        super().__init__(spec, **options)
        self.templates = anchored_templates(spec)
        self.responses: dict[tuple[Any, ...], SchemaPath] = {}
        self.required_headers: dict[tuple[Any, ...], bool] = {}

    def _find_path(self, request: Request) -> PathOperationServer:
        """The one path template the URL matches, anchored at the contract's server; anything
        else (no match, several, an undocumented method) goes to openapi-core's own finder so
        that its errors read as they always do."""
        found = [
            (template, match)
            for template in self.templates
            if (match := template.parser.parse(request.path)) is not None
        ]
        operation = found[0][0].operations.get(request.method.lower()) if found else None
        if len(found) != 1 or operation is None:
            return super()._find_path(request)
        template, match = found[0]
        return PathOperationServer(
            template.path,
            operation,
            template.server,
            TemplateResult(template.name, match.named),
            TemplateResult(template.server_url, {}),
        )

    def _find_operation_response(self, status_code: int, operation: SchemaPath) -> SchemaPath:
        key = (operation.parts, status_code)
        if key not in self.responses:
            finder = ResponseFinder(operation / "responses")
            self.responses[key] = finder.find(str(status_code))
        return self.responses[key]

    def _get_header(self, headers: Mapping[str, Any], name: str, header: SchemaPath) -> Any:
        # What openapi-core concludes for an absent header, without building a deserialiser
        # to find the KeyError first. Response headers here are case-insensitive (werkzeug).
        if name not in headers:
            if self.header_required(header):
                raise MissingRequiredHeader(name)
            raise MissingHeader(name)
        return super()._get_header(headers, name, header)

    def header_required(self, header: SchemaPath) -> bool:
        if header.parts not in self.required_headers:
            required = (header / "required").read_bool(default=False)
            self.required_headers[header.parts] = bool(required)
        return self.required_headers[header.parts]


def anchored_templates(spec: SchemaPath) -> list[Template]:
    """Each path template behind the contract's server path, matched whole, with openapi-core's
    own template syntax (`{id}` takes any run of characters but `/`)."""
    servers = spec.get("servers", None)
    if not servers or len(list(servers)) != 1:
        return []  # several servers: leave the choice to openapi-core
    server = spec / "servers" / 0
    server_url = str(server["url"])
    if "://" in server_url or "{" in server_url:
        return []
    templates = []
    for name, path in (spec / "paths").str_items():
        parser = PathParser(server_url.rstrip("/") + name, pre_expression="^", post_expression="$")
        operations = {method: path / method for method in METHODS if method in path}
        templates.append(Template(name, parser, path, operations, server, server_url))
    return templates
