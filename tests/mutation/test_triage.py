"""The triage file of surviving mutants stays true: every entry names a mutant that still
exists, with the change it had, and the variant, broken server and requirement it names."""

from __future__ import annotations

import pytest

from benchmarks.mutation import triage
from benchmarks.mutation.population import by_id, population
from benchmarks.mutation.runner import MODES
from conformance.contract.contract import catalogue
from tests.broken.catalogue import CATALOGUE
from tests.variants.table import VARIANTS


def names() -> dict[str, set[str]]:
    return {
        "variants": {variant.name for variant in VARIANTS},
        "broken": {server.name for server in CATALOGUE},
        "requirements": set(catalogue()),
        "modes": set(MODES) - {"default"},
    }


def test_every_entry_names_an_existing_mutant_variant_and_broken_server() -> None:
    entries = triage.load()
    mutants = by_id(population())
    changes = {key: mutants[key].change for key in entries if key in mutants}
    changes.update({key: "" for key in mutants if key not in changes})
    assert triage.problems(entries, changes, **names()) == []


def test_the_check_finds_a_moved_mutant_and_names_that_do_not_exist() -> None:
    entries = {
        "a": triage.Entry("a", "x -> y", "allowed", {"why": "w", "variant": "no-such"}),
        "b": triage.Entry("b", "x -> y", "fixed", {"requirement": "DEV-X", "broken": "nope"}),
        "gone": triage.Entry("gone", "x -> y", "equivalent", {"why": "w"}),
        "c": triage.Entry("c", "x -> y", "mode", {"why": "w", "mode": "8.5.9"}),
    }
    found = triage.problems(entries, {"a": "x -> z", "b": "x -> y", "c": "x -> y"}, **names())
    assert found == [
        "a: the change is now 'x -> z'",
        "a: no variant 'no-such'",
        "b: no broken 'nope'",
        "b: no requirement 'DEV-X'",
        "gone: no such mutant",
        "c: no mode '8.5.9'",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- {id: a, change: c, verdict: maybe}", "verdict is one of"),
        ("- {id: a, change: c, verdict: allowed, why: w}", "an allowed entry needs variant"),
        ("- {id: a, change: c, verdict: mode, why: w}", "a mode entry needs mode"),
        ("- {id: a, change: c, verdict: equivalent, why: w}\n" * 2, "a is triaged twice"),
    ],
)
def test_a_malformed_entry_is_refused_with_its_place(tmp_path, text: str, message: str) -> None:
    path = tmp_path / "survivors.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(triage.TriageError, match=message):
        triage.load(path)


def test_a_fix_that_fails_a_correct_server_is_no_fix() -> None:
    """The counterweight: a survivor fixed by a case that a correct server fails is reported;
    one whose requirement holds there, or belongs to the other profile, is not."""
    entries = {
        "kept": triage.Entry("kept", "x -> y", "fixed", {"requirement": "DEV-A", "broken": "b"}),
        "strict": triage.Entry(
            "strict", "x -> y", "fixed", {"requirement": "DEV-B", "broken": "b"}
        ),
        "other": triage.Entry("other", "x -> y", "fixed", {"requirement": "DEV-C", "broken": "b"}),
        "same": triage.Entry("same", "x -> y", "allowed", {"why": "w", "variant": "v"}),
    }
    broken = {"DEV-B", "DEV-C"}
    found = triage.fixed_by_what_a_correct_server_fails(entries, broken, lambda r: r != "DEV-C")
    assert found == ["strict (DEV-B)"]
