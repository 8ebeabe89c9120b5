"""Each lint rule can fail: one small mutation of the real documents makes it report a problem.

The table below is the proof. Each row breaks a deep copy of the contract or the catalogue in one
place and names the rule that must notice; a rule that stays silent would pass any document.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable
from typing import Any

import pytest

from . import lint
from .documents import catalogue, decisions, spec
from .lint import Document

Mutation = Callable[[Document, Document], None]
Lint = Callable[..., list[str]]


# ---------------------------------------------------------------------------- mutation builders


def _parent(document: Document, keys: tuple[Any, ...]) -> Any:
    node: Any = document
    for key in keys[:-1]:
        node = node[key]
    return node


def drop(*keys: Any) -> Mutation:
    """Remove the member at `keys` from the contract."""

    def mutate(spec: Document, catalogue: Document) -> None:
        del _parent(spec, keys)[keys[-1]]

    return mutate


def put(*keys: Any, value: Any) -> Mutation:
    """Set the member at `keys` of the contract to `value`."""

    def mutate(spec: Document, catalogue: Document) -> None:
        _parent(spec, keys)[keys[-1]] = copy.deepcopy(value)

    return mutate


def append(*keys: Any, value: Any) -> Mutation:
    """Append `value` to the list at `keys` of the contract."""

    def mutate(spec: Document, catalogue: Document) -> None:
        _parent(spec, keys)[keys[-1]].append(copy.deepcopy(value))

    return mutate


def remove(*keys: Any, value: Any) -> Mutation:
    """Remove `value` from the list at `keys` of the contract."""

    def mutate(spec: Document, catalogue: Document) -> None:
        _parent(spec, keys)[keys[-1]].remove(value)

    return mutate


def requirement(catalogue: Document, requirement_id: str) -> Document:
    entry: Document = next(e for e in catalogue["requirements"] if e["id"] == requirement_id)
    return entry


def amend(requirement_id: str, **members: Any) -> Mutation:
    """Set members of one catalogue entry."""

    def mutate(spec: Document, catalogue: Document) -> None:
        requirement(catalogue, requirement_id).update(copy.deepcopy(members))

    return mutate


def catalogue_append(entry: Document) -> Mutation:
    """Add a requirement to the catalogue."""

    def mutate(spec: Document, catalogue: Document) -> None:
        catalogue["requirements"].append(copy.deepcopy(entry))

    return mutate


def duplicate(requirement_id: str) -> Mutation:
    """Add a second catalogue entry with the same ID."""

    def mutate(spec: Document, catalogue: Document) -> None:
        catalogue["requirements"].append(copy.deepcopy(requirement(catalogue, requirement_id)))

    return mutate


# ---------------------------------------------------------------------------- where things are

ME = ("paths", "/me", "get")
LIST_DEVICES = ("paths", "/devices", "get")
CREATE_DEVICE = ("paths", "/devices", "post")
LIST_USER_DEVICES = ("paths", "/users/{userId}/devices", "get")
LIST_MY_DEVICES = ("paths", "/me/devices", "get")
GET_MY_DEVICE = ("paths", "/me/devices/{id}", "get")
OPERATE_MY_DEVICE = ("paths", "/me/devices/{id}", "post")
COMPONENTS = ("components",)
DEVICE = (*COMPONENTS, "schemas", "Device", "properties")
UNUSED_REQUIREMENT = {
    "id": "DEV-ENV-999",
    "level": "MUST",
    "text": "Nothing in the contract names this requirement.",
    "source": "RFC 9110",
    "operations": ["*"],
}

PROOFS: list[tuple[str, Mutation, Lint]] = [
    # operations
    ("operation without operationId", drop(*ME, "operationId"), lint.lint_operations_are_described),
    ("operation without summary", drop(*ME, "summary"), lint.lint_operations_are_described),
    (
        "operation with empty description",
        put(*ME, "description", value=" "),
        lint.lint_operations_are_described,
    ),
    (
        "two operations share an operationId",
        put(*ME, "operationId", value="listDevices"),
        lint.lint_operations_are_described,
    ),
    ("operation without tags", drop(*ME, "tags"), lint.lint_operations_are_tagged),
    (
        "operation with undeclared tag",
        put(*ME, "tags", value=["Users"]),
        lint.lint_operations_are_tagged,
    ),
    (
        "operation without x-requirements",
        drop(*ME, "x-requirements"),
        lint.lint_operations_list_requirements,
    ),
    (
        "x-requirements with malformed ID",
        append(*ME, "x-requirements", value="DEV-ME-1"),
        lint.lint_operations_list_requirements,
    ),
    (
        "x-requirements with repeated ID",
        append(*ME, "x-requirements", value="DEV-ME-001"),
        lint.lint_operations_list_requirements,
    ),
    # policies
    ("operation without x-access", drop(*ME, "x-access"), lint.lint_operations_name_their_policy),
    (
        "policy without a role",
        drop(*ME, "x-access", "roles", "agent"),
        lint.lint_operations_name_their_policy,
    ),
    (
        "role with unknown verdict",
        put(*ME, "x-access", "roles", "agent", value="maybe"),
        lint.lint_operations_name_their_policy,
    ),
    (
        "role with a verdict that is not about roles",
        put(*ME, "x-access", "roles", "agent", value="missing"),
        lint.lint_operations_name_their_policy,
    ),
    (
        "owner on an operation without object device",
        put(*LIST_USER_DEVICES, "x-access", "roles", "agent", value="owner"),
        lint.lint_operations_name_their_policy,
    ),
    (
        "owner on an operation without object",
        put(*LIST_MY_DEVICES, "x-access", "roles", "admin", value="owner"),
        lint.lint_operations_name_their_policy,
    ),
    (
        "policy with unknown object",
        put(*ME, "x-access", "object", value="phone"),
        lint.lint_operations_name_their_policy,
    ),
    (
        "policy requirement outside PERM",
        put(*ME, "x-access", "requirement", value="DEV-ME-001"),
        lint.lint_operations_name_their_policy,
    ),
    (
        "verdict undeclared in x-access-verdicts",
        drop("x-access-verdicts", "self"),
        lint.lint_operations_name_their_policy,
    ),
    (
        "policy requirement missing from x-requirements",
        remove(*ME, "x-requirements", value="DEV-PERM-010"),
        lint.lint_policy_requirement_is_listed,
    ),
    # responses
    ("deny without 403", drop(*LIST_DEVICES, "responses", "403"), lint.lint_denials_are_documented),
    (
        "self without 403",
        drop(*LIST_MY_DEVICES, "responses", "403"),
        lint.lint_denials_are_documented,
    ),
    (
        "owner without 404",
        drop(*GET_MY_DEVICE, "responses", "404"),
        lint.lint_denials_are_documented,
    ),
    (
        "owner without 403",
        drop(*OPERATE_MY_DEVICE, "responses", "403"),
        lint.lint_denials_are_documented,
    ),
    ("operation without 401", drop(*ME, "responses", "401"), lint.lint_errors_are_documented),
    (
        "path parameter without 404",
        drop(*LIST_USER_DEVICES, "responses", "404"),
        lint.lint_errors_are_documented,
    ),
    (
        "request body without 400",
        drop(*CREATE_DEVICE, "responses", "400"),
        lint.lint_errors_are_documented,
    ),
    # schemas and examples
    (
        "device property without x-requirement",
        drop(*DEVICE, "vendor", "x-requirement"),
        lint.lint_device_properties_carry_requirement,
    ),
    (
        "device property with malformed x-requirement",
        put(*DEVICE, "vendor", "x-requirement", value="ATTR-010"),
        lint.lint_device_properties_carry_requirement,
    ),
    (
        "shared response example breaks its schema",
        put(
            *COMPONENTS,
            "responses",
            "Created",
            "content",
            "application/json",
            "examples",
            "created",
            "value",
            "statusCode",
            value=1,
        ),
        lint.lint_examples_validate,
    ),
    (
        "error example with an extra member",
        put(
            *COMPONENTS,
            "responses",
            "NotFound",
            "content",
            "application/json",
            "examples",
            "notFound",
            "value",
            "trace",
            value="at Device.java:42",
        ),
        lint.lint_examples_validate,
    ),
    (
        "device example with a wrong enumeration",
        put(
            *COMPONENTS,
            "responses",
            "SingleDevice",
            "content",
            "application/json",
            "examples",
            "agentForwarding",
            "value",
            "device",
            "doNotDisturb",
            value="on",
        ),
        lint.lint_examples_validate,
    ),
    (
        "shared request body example without a required member",
        drop(
            *COMPONENTS,
            "requestBodies",
            "DeviceCreate",
            "content",
            "application/json",
            "examples",
            "extension",
            "value",
            "phoneNumber",
        ),
        lint.lint_examples_validate,
    ),
    (
        "inline request body example with unknown operation",
        put(
            *OPERATE_MY_DEVICE,
            "requestBody",
            "content",
            "application/json",
            "examples",
            "doNotDisturbOn",
            "value",
            "operationName",
            value="Reboot",
        ),
        lint.lint_examples_validate,
    ),
    (
        "inline response example breaks its schema",
        drop(
            *ME,
            "responses",
            "200",
            "content",
            "application/json",
            "examples",
            "agent",
            "value",
            "user",
            "id",
        ),
        lint.lint_examples_validate,
    ),
    (
        "parameter example of the wrong type",
        put(*COMPONENTS, "parameters", "deviceId", "examples", "seedDevice", "value", value=42),
        lint.lint_examples_validate,
    ),
    (
        "example without value",
        drop(*COMPONENTS, "parameters", "fields", "examples", "all", "value"),
        lint.lint_examples_validate,
    ),
    ("nullable", put(*DEVICE, "forwardTo", "nullable", value=True), lint.lint_no_openapi30_isms),
    (
        "singular example on a parameter",
        put(*COMPONENTS, "parameters", "fields", "example", value="*"),
        lint.lint_no_openapi30_isms,
    ),
    (
        "singular example on a schema",
        put(*DEVICE, "id", "example", value="3001"),
        lint.lint_no_openapi30_isms,
    ),
    (
        "boolean exclusiveMinimum",
        put(
            *COMPONENTS,
            "schemas",
            "DeviceCreate",
            "properties",
            "phoneNumber",
            "exclusiveMinimum",
            value=True,
        ),
        lint.lint_no_openapi30_isms,
    ),
    (
        "boolean exclusiveMaximum",
        put(
            *COMPONENTS,
            "schemas",
            "DeviceCreate",
            "properties",
            "model",
            "exclusiveMaximum",
            value=False,
        ),
        lint.lint_no_openapi30_isms,
    ),
    (
        "absolute server",
        put("servers", 0, "url", value="http://172.21.16.123:8080/api/v2"),
        lint.lint_servers_are_relative,
    ),
    ("no server", put("servers", value=[]), lint.lint_servers_are_relative),
    ("no profile", drop("info", "x-profile"), lint.lint_spec_names_its_profile),
    ("unknown profile", put("info", "x-profile", value="8.6.0"), lint.lint_spec_names_its_profile),
    # the catalogue
    (
        "unknown profile of a row",
        amend("DEV-ME-001", profiles=["8.6"]),
        lint.lint_profiles_are_known,
    ),
    ("empty profiles of a row", amend("DEV-ME-001", profiles=[]), lint.lint_profiles_are_known),
    (
        "a row of another profile carried by the contract",
        amend("DEV-ME-001", profiles=["8.5.2"]),
        lint.lint_spec_ids_are_catalogued,
    ),
    ("malformed ID", amend("DEV-ME-001", id="DEV-ME-01"), lint.lint_ids_are_well_formed),
    (
        "ID in an unknown area",
        amend("DEV-ME-001", id="DEV-USER-001"),
        lint.lint_ids_are_well_formed,
    ),
    ("duplicate ID", duplicate("DEV-ME-001"), lint.lint_ids_are_unique),
    ("unknown level", amend("DEV-ME-001", level="REQUIRED"), lint.lint_levels_are_known),
    ("lower-case level", amend("DEV-ME-001", level="must"), lint.lint_levels_are_known),
    ("empty text", amend("DEV-ME-001", text=""), lint.lint_texts_are_one_sentence),
    (
        "text of two sentences",
        amend("DEV-ME-001", text="GET /me returns the caller. It holds an id."),
        lint.lint_texts_are_one_sentence,
    ),
    (
        "text without full stop",
        amend("DEV-ME-001", text="GET /me returns the caller"),
        lint.lint_texts_are_one_sentence,
    ),
    ("empty source", amend("DEV-ME-001", source=""), lint.lint_sources_are_given),
    ("no basis", amend("DEV-ME-001", basis=None), lint.lint_every_requirement_rests_on_a_basis),
    (
        "a vendor basis without the sentence it rests on",
        amend("DEV-ME-001", basis={"vendor": '"Users API"'}),
        lint.lint_every_requirement_rests_on_a_basis,
    ),
    (
        "a decision basis that is not a section",
        amend("DEV-HTTP-001", basis={"decision": "status codes", "felt": "a client misreads"}),
        lint.lint_every_requirement_rests_on_a_basis,
    ),
    (
        "a MUST resting on a strict reading",
        amend("DEV-AUTH-001", basis={"reading": "RFC 7617 section 2", "felt": "none"}),
        lint.lint_musts_rest_on_more_than_a_reading,
    ),
    (
        "a basis citing a section that does not exist",
        amend("DEV-HTTP-001", basis={"decision": "openapi/decisions.md#status", "felt": "x"}),
        lint.lint_decision_links_resolve,
    ),
    ("unknown operation", amend("DEV-ME-001", operations=["getUser"]), lint.lint_operations_exist),
    ("no operations", amend("DEV-ME-001", operations=[]), lint.lint_operations_exist),
    (
        "catalogue row with a writes level",
        amend("DEV-OPS-001", writes="reversible"),
        lint.lint_entries_have_known_members,
    ),
    (
        "source resting on a bare decision",
        amend("DEV-HTTP-001", source="decision (HTTP status with the body's statusCode)"),
        lint.lint_decisions_are_cited_by_section,
    ),
    (
        "source naming the decisions without a section",
        amend("DEV-HTTP-001", source="openapi/decisions.md"),
        lint.lint_decisions_are_cited_by_section,
    ),
    (
        "catalogue cites a section that does not exist",
        amend("DEV-HTTP-001", source="openapi/decisions.md#status-code"),
        lint.lint_decision_links_resolve,
    ),
    (
        "contract cites a section that does not exist",
        put(*COMPONENTS, "schemas", "Device", "description", value="openapi/decisions.md#devices"),
        lint.lint_decision_links_resolve,
    ),
    (
        "a response reaching a limit of the kit's own",
        put(
            *DEVICE,
            "model",
            value={"type": "string", "maxLength": 64, "x-kit-limits": ["maxLength"]},
        ),
        lint.lint_kit_limits_bind_only_requests,
    ),
    # the contract and the catalogue together
    (
        "x-requirements with uncatalogued ID",
        append(*ME, "x-requirements", value="DEV-ME-999"),
        lint.lint_spec_ids_are_catalogued,
    ),
    (
        "x-access with uncatalogued ID",
        put(*ME, "x-access", "requirement", value="DEV-PERM-999"),
        lint.lint_spec_ids_are_catalogued,
    ),
    (
        "x-requirement with uncatalogued ID",
        put(*DEVICE, "vendor", "x-requirement", value="DEV-ATTR-099"),
        lint.lint_spec_ids_are_catalogued,
    ),
    (
        "named operation lacks the ID",
        remove(*ME, "x-requirements", value="DEV-ME-001"),
        lint.lint_catalogued_operations_carry_ids,
    ),
    (
        "an operation lacks an ID that applies to every operation",
        remove(*ME, "x-requirements", value="DEV-ENV-003"),
        lint.lint_catalogued_operations_carry_ids,
    ),
    (
        "x-requirements lists an ID whose row does not name the operation",
        append(*ME, "x-requirements", value="DEV-LIST-003"),
        lint.lint_operations_carry_only_their_ids,
    ),
    (
        "a row drops an operation that still lists its ID",
        amend("DEV-LIST-003", operations=["listDevices", "listUserDevices", "listMyDevices"]),
        lint.lint_operations_carry_only_their_ids,
    ),
    (
        "catalogue ID used nowhere",
        catalogue_append(UNUSED_REQUIREMENT),
        lint.lint_catalogue_ids_are_used,
    ),
]


def run(rule: Lint, spec: Document, catalogue: Document) -> list[str]:
    """Call a lint rule with the documents its parameters name."""
    documents = {"spec": spec, "catalogue": catalogue, "decisions": decisions()}
    return rule(*(documents[name] for name in inspect.signature(rule).parameters))


@pytest.mark.parametrize(
    ("mutation", "rule"), [pytest.param(m, r, id=name) for name, m, r in PROOFS]
)
def test_the_rule_reports_the_broken_copy(mutation: Mutation, rule: Lint) -> None:
    broken_spec, broken_catalogue = copy.deepcopy(spec()), copy.deepcopy(catalogue())
    assert not run(rule, broken_spec, broken_catalogue), "the real documents already break it"
    mutation(broken_spec, broken_catalogue)
    assert run(rule, broken_spec, broken_catalogue), f"{rule.__name__} reports nothing"


def test_every_rule_has_a_proof() -> None:
    rules = {
        name for name, _ in inspect.getmembers(lint, inspect.isfunction) if name.startswith("lint_")
    }
    proven = {rule.__name__ for _, _, rule in PROOFS}
    assert rules <= proven, sorted(rules - proven)


def test_proof_names_are_unique() -> None:
    names = [name for name, _, _ in PROOFS]
    assert len(names) == len(set(names)), names
