"""The contract follows its conventions, and the tools the suite relies on accept it."""

from __future__ import annotations

import schemathesis
from openapi_core import OpenAPI
from openapi_spec_validator import validate
from schemathesis.core.result import Err, Ok

from conformance.policy import cells

from . import lint
from .documents import spec

OPERATION_COUNT = 10


def test_every_operation_is_described() -> None:
    """Every operation has a unique operationId, a summary and a description."""
    problems = lint.lint_operations_are_described(spec())
    assert not problems, problems


def test_every_operation_has_a_declared_tag() -> None:
    problems = lint.lint_operations_are_tagged(spec())
    assert not problems, problems


def test_every_operation_lists_its_requirements() -> None:
    problems = lint.lint_operations_list_requirements(spec())
    assert not problems, problems


def test_every_operation_names_its_policy() -> None:
    problems = lint.lint_operations_name_their_policy(spec())
    assert not problems, problems


def test_every_policy_requirement_is_among_the_operations_requirements() -> None:
    problems = lint.lint_policy_requirement_is_listed(spec())
    assert not problems, problems


def test_every_denial_a_policy_implies_is_documented() -> None:
    problems = lint.lint_denials_are_documented(spec())
    assert not problems, problems


def test_every_operation_documents_its_error_responses() -> None:
    """401 everywhere, 404 with path parameters, 400 with a request body."""
    problems = lint.lint_errors_are_documented(spec())
    assert not problems, problems


def test_every_device_attribute_carries_a_requirement() -> None:
    problems = lint.lint_device_properties_carry_requirement(spec())
    assert not problems, problems


def test_every_example_validates_against_its_schema() -> None:
    problems = lint.lint_examples_validate(spec())
    assert not problems, problems


def test_the_contract_has_no_openapi_30_isms() -> None:
    problems = lint.lint_no_openapi30_isms(spec())
    assert not problems, problems


def test_servers_are_relative() -> None:
    problems = lint.lint_servers_are_relative(spec())
    assert not problems, problems


def test_the_contract_is_a_valid_openapi_31_document() -> None:
    validate(spec())


def test_openapi_core_loads_the_contract() -> None:
    OpenAPI.from_file_path(str(lint.SPEC_PATH))


def test_schemathesis_sees_every_operation() -> None:
    schema = schemathesis.openapi.from_path(lint.SPEC_PATH)
    results = list(schema.get_all_operations())
    errors = [result.err() for result in results if isinstance(result, Err)]
    labels = [result.ok().label for result in results if isinstance(result, Ok)]
    assert not errors, errors
    assert len(labels) == OPERATION_COUNT, labels


def test_a_failure_calls_the_identity_by_its_relation_to_the_object() -> None:
    """A supervisor reading an agent's device is not "the owner": the Expected line names the
    object as seen from the caller and what the policy grants, never the policy's keyword."""
    for cell in cells():
        said = cell.expectation("/devices/d1", cell.expected)
        assert f"({cell.verdict})" not in said, said
        assert ("own " in said.split(" (")[0]) == (cell.obj in {"own", "self"}), said
    agents = next(c for c in cells() if c.label == "getDevice[supervisor->agent's device]")
    assert agents.verdict == "owner"
    assert agents.expectation("/devices/d1", frozenset({403, 404})) == (
        "supervisor on agent's device (/devices/d1), the policy says own devices only: "
        "HTTP 403 or 404"
    )
