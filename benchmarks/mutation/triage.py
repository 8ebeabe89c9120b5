"""The triage file: what each surviving mutant is, reviewed and committed.

``tests/mutation/survivors.yaml`` holds one entry per survivor: the mutant's ``id``, its
``change`` (so an entry that no longer matches is seen), and a ``verdict``:

- ``equivalent``, with ``why`` no client can tell the mutant from the server;
- ``allowed``, with ``why`` (the freedom of the contract) and the ``variant`` of
  ``tests/variants`` that serves the same answer;
- ``fixed``, with the ``requirement`` a new or sharper case checks and the ``broken`` server of
  ``tests/broken/catalogue.py`` that the case catches;
- ``mode``, with ``why`` only another ``mode`` of the server than the embedded default reaches
  the change (runner.MODES): the mutant is run again there, and the verdict stands only if it
  is killed there (a survivor of that mode too is untriaged until it gets one of the others).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .population import ROOT

TRIAGE_FILE = ROOT / "tests" / "mutation" / "survivors.yaml"
VERDICTS = ("equivalent", "allowed", "fixed", "mode")
REQUIRED = {
    "equivalent": ("why",),
    "allowed": ("why", "variant"),
    "fixed": ("requirement", "broken"),
    "mode": ("why", "mode"),
}


class TriageError(ValueError):
    """The triage file is malformed."""


@dataclass(frozen=True)
class Entry:
    id: str
    change: str
    verdict: str
    details: dict[str, str]


def load(path: Path = TRIAGE_FILE) -> dict[str, Entry]:
    """The entries by mutant id; a malformed entry is a TriageError naming it."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(document, list):
        raise TriageError(f"{path}: a list of entries")
    entries: dict[str, Entry] = {}
    for index, item in enumerate(document):
        entry = _entry(item, f"{path.name}[{index}]")
        if entry.id in entries:
            raise TriageError(f"{path.name}[{index}]: {entry.id} is triaged twice")
        entries[entry.id] = entry
    return entries


def _entry(item: object, where: str) -> Entry:
    if not isinstance(item, dict):
        raise TriageError(f"{where}: a mapping")
    fields = {str(key): str(value) for key, value in item.items()}
    verdict = fields.pop("verdict", "")
    if verdict not in VERDICTS:
        raise TriageError(f"{where}: verdict is one of {', '.join(VERDICTS)}, not {verdict!r}")
    missing = [key for key in ("id", "change", *REQUIRED[verdict]) if not fields.get(key)]
    if missing:
        article = "an" if verdict[0] in "aeiou" else "a"
        raise TriageError(f"{where}: {article} {verdict} entry needs {', '.join(missing)}")
    return Entry(fields.pop("id"), fields.pop("change"), verdict, fields)


def problems(
    entries: dict[str, Entry],
    changes: dict[str, str],
    variants: set[str],
    broken: set[str],
    requirements: set[str],
    modes: set[str],
) -> list[str]:
    """What is wrong with the entries, one line each: a mutant that no longer exists or whose
    change moved (``changes``: the change of every mutant by id), or a variant, broken server,
    requirement or mode an entry names that does not exist."""
    found: list[str] = []
    for entry in entries.values():
        if entry.id not in changes:
            found.append(f"{entry.id}: no such mutant")
            continue
        if changes[entry.id] != entry.change:
            found.append(f"{entry.id}: the change is now {changes[entry.id]!r}")
        named = {
            "variant": variants,
            "broken": broken,
            "requirement": requirements,
            "mode": modes,
        }
        for key, known in named.items():
            value = entry.details.get(key)
            if value is not None and value not in known:
                found.append(f"{entry.id}: no {key} {value!r}")
    return found


def fixed_by_what_a_correct_server_fails(
    entries: dict[str, Entry], broken: set[str], applies: Callable[[str], bool]
) -> list[str]:
    """The `fixed` entries whose requirement a correct server broke (``broken``: the
    requirements a run against it failed or warned on; ``applies``: whether a requirement holds
    in that run's profile). A case that fails a correct server demands what no source does, so
    it fixes nothing (openapi/decisions.md#what-strictness-rests-on)."""
    return sorted(
        f"{entry.id} ({entry.details['requirement']})"
        for entry in entries.values()
        if entry.verdict == "fixed"
        and applies(entry.details["requirement"])
        and entry.details["requirement"] in broken
    )
