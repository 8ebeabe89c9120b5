"""openapi/coverage.md is what its sources say today, and the variants it lists exist.

Regenerated in memory from the same sources `python -m tests.contract.coverage` reads (the cases
collected in this process, not run), so a requirement, case, broken server or variant added
without `make coverage` fails here.
"""

from __future__ import annotations

from dataclasses import replace

from . import coverage
from .documents import decisions


def committed() -> str:
    return coverage.COVERAGE_PATH.read_text(encoding="utf-8")


def test_the_committed_file_is_up_to_date() -> None:
    assert coverage.render(coverage.gather()) == committed(), (
        "openapi/coverage.md is out of date: run `make coverage` and commit it"
    )


def test_a_case_the_file_does_not_show_is_drift() -> None:
    sources = coverage.gather()
    fewer = replace(sources, cases=sources.cases[1:])
    assert coverage.render(fewer) != committed()


def test_a_broken_server_the_file_does_not_show_is_drift() -> None:
    sources = coverage.gather()
    fewer = replace(sources, broken=sources.broken[1:])
    assert coverage.render(fewer) != committed()


def test_every_variant_the_decisions_name_exists() -> None:
    named = {name for names in coverage.variants_by_section(decisions()).values() for name in names}
    unknown = named - set(coverage.variant_names())
    assert not unknown, f"openapi/decisions.md names variants tests/variants lacks: {unknown}"


def test_every_variant_gives_an_answer_a_decision_accepts() -> None:
    named = {name for names in coverage.variants_by_section(decisions()).values() for name in names}
    unnamed = set(coverage.variant_names()) - named - set(coverage.CONTROL_VARIANTS)
    assert not unnamed, f"no **Variants** line of openapi/decisions.md names {sorted(unnamed)}"


def test_every_case_carries_a_requirement_of_the_catalogue() -> None:
    known = {entry["id"] for entry in coverage.requirements(coverage.gather().catalogue)}
    strays = [case.nodeid for case in coverage.collected_cases() if case.requirement not in known]
    assert not strays, strays
