"""The contract follows its conventions, and the tools the suite relies on accept it."""

from __future__ import annotations

import pytest
import schemathesis
from openapi_core import OpenAPI
from openapi_spec_validator import validate
from schemathesis.core.result import Err, Ok

from conformance.contract.policy import cells

from . import lint
from .documents import spec

OPERATION_COUNT = 10


@pytest.fixture(params=lint.PROFILES)
def profile(request: pytest.FixtureRequest) -> str:
    """Each rule holds for the document of every profile."""
    return str(request.param)


def test_every_operation_is_described(profile: str) -> None:
    """Every operation has a unique operationId, a summary and a description."""
    problems = lint.lint_operations_are_described(spec(profile))
    assert not problems, problems


def test_every_operation_has_a_declared_tag(profile: str) -> None:
    problems = lint.lint_operations_are_tagged(spec(profile))
    assert not problems, problems


def test_every_operation_lists_its_requirements(profile: str) -> None:
    problems = lint.lint_operations_list_requirements(spec(profile))
    assert not problems, problems


def test_every_operation_names_its_policy(profile: str) -> None:
    problems = lint.lint_operations_name_their_policy(spec(profile))
    assert not problems, problems


def test_every_policy_requirement_is_among_the_operations_requirements(profile: str) -> None:
    problems = lint.lint_policy_requirement_is_listed(spec(profile))
    assert not problems, problems


def test_every_denial_a_policy_implies_is_documented(profile: str) -> None:
    problems = lint.lint_denials_are_documented(spec(profile))
    assert not problems, problems


def test_every_operation_documents_its_error_responses(profile: str) -> None:
    """401 everywhere, 404 with path parameters, 400 with a request body."""
    problems = lint.lint_errors_are_documented(spec(profile))
    assert not problems, problems


def test_every_device_attribute_carries_a_requirement(profile: str) -> None:
    problems = lint.lint_device_properties_carry_requirement(spec(profile))
    assert not problems, problems


def test_every_example_validates_against_its_schema(profile: str) -> None:
    problems = lint.lint_examples_validate(spec(profile))
    assert not problems, problems


def test_the_contract_has_no_openapi_30_isms(profile: str) -> None:
    problems = lint.lint_no_openapi30_isms(spec(profile))
    assert not problems, problems


def test_servers_are_relative(profile: str) -> None:
    problems = lint.lint_servers_are_relative(spec(profile))
    assert not problems, problems


def test_the_contract_is_a_valid_openapi_31_document(profile: str) -> None:
    validate(spec(profile))


def test_openapi_core_loads_the_contract(profile: str) -> None:
    OpenAPI.from_file_path(str(lint.SPEC_PATHS[profile]))


def test_schemathesis_sees_every_operation(profile: str) -> None:
    schema = schemathesis.openapi.from_path(lint.SPEC_PATHS[profile])
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
