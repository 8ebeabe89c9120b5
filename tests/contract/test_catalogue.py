"""The catalogue is well formed and agrees with the contract in both directions."""

from __future__ import annotations

import pytest

from . import lint
from .documents import catalogue, decisions, spec


@pytest.fixture(params=lint.PROFILES)
def profile(request: pytest.FixtureRequest) -> str:
    """Each rule holds for the document of every profile."""
    return str(request.param)


def test_every_id_is_well_formed_and_in_a_known_area() -> None:
    problems = lint.lint_ids_are_well_formed(catalogue())
    assert not problems, problems


def test_every_id_is_unique() -> None:
    problems = lint.lint_ids_are_unique(catalogue())
    assert not problems, problems


def test_every_level_is_must_should_or_may() -> None:
    problems = lint.lint_levels_are_known(catalogue())
    assert not problems, problems


def test_every_text_is_one_sentence() -> None:
    problems = lint.lint_texts_are_one_sentence(catalogue())
    assert not problems, problems


def test_every_requirement_names_its_source() -> None:
    problems = lint.lint_sources_are_given(catalogue())
    assert not problems, problems


def test_every_requirement_rests_on_a_basis() -> None:
    problems = lint.lint_every_requirement_rests_on_a_basis(catalogue())
    assert not problems, problems


def test_no_must_rests_on_a_strict_reading_alone() -> None:
    problems = lint.lint_musts_rest_on_more_than_a_reading(catalogue())
    assert not problems, problems


def test_limits_of_the_kits_own_bind_only_requests(profile: str) -> None:
    problems = lint.lint_kit_limits_bind_only_requests(spec(profile))
    assert not problems, problems


def test_every_listed_operation_exists_in_the_contract(profile: str) -> None:
    problems = lint.lint_operations_exist(catalogue(), spec(profile))
    assert not problems, problems


def test_every_entry_has_only_known_members() -> None:
    problems = lint.lint_entries_have_known_members(catalogue())
    assert not problems, problems


def test_every_decision_is_cited_by_its_section() -> None:
    problems = lint.lint_decisions_are_cited_by_section(catalogue())
    assert not problems, problems


def test_every_decision_link_names_a_section(profile: str) -> None:
    problems = lint.lint_decision_links_resolve(spec(profile), catalogue(), decisions())
    assert not problems, problems


def test_every_id_the_contract_uses_is_catalogued(profile: str) -> None:
    problems = lint.lint_spec_ids_are_catalogued(spec(profile), catalogue())
    assert not problems, problems


def test_every_operation_a_requirement_names_carries_it(profile: str) -> None:
    problems = lint.lint_catalogued_operations_carry_ids(spec(profile), catalogue())
    assert not problems, problems


def test_every_id_an_operation_carries_names_that_operation(profile: str) -> None:
    problems = lint.lint_operations_carry_only_their_ids(spec(profile), catalogue())
    assert not problems, problems


def test_every_catalogued_id_is_used_in_the_contract(profile: str) -> None:
    problems = lint.lint_catalogue_ids_are_used(spec(profile), catalogue())
    assert not problems, problems
