"""openapi/coverage.md, generated: each requirement with its level, its source, the cases that
check it, the broken servers it must catch and the correct variants that exercise its freedom.

    python -m tests.contract.coverage           # rewrite openapi/coverage.md
    python -m tests.contract.coverage --check   # exit 1, saying so, when it is out of date

Everything comes from structure, nothing from text written for people: the catalogue's rows; the
conformance cases as pytest collects them (each carries a `requirement` marker and, when it
changes the target, a `writes` marker); the `breaks` of each row of tests/broken/catalogue.py;
and the variants of tests/variants/table.py. A variant names no requirement; what ties it to one
is the decision it gives another accepted answer to: the **Variants** line of a section of
openapi/decisions.md names it, and a requirement whose source cites that section is exercised
by it.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

import pytest

from conformance.contract.contract import Basis

from .lint import (
    CATALOGUE_PATH,
    DECISION_LINK,
    DECISIONS_PATH,
    LEVELS,
    ROOT,
    Document,
    heading_anchor,
    load_yaml,
    requirements,
)

COVERAGE_PATH = ROOT / "openapi" / "coverage.md"
WRITE_LEVELS = ("none", "reversible", "all")
# The variants that make no choice, run as controls: the reference server of each profile,
# unchanged, and the independent implementations of tests/independent in each profile.
CONTROL_VARIANTS = (
    "reference", "reference-852", "starlette", "starlette-852", "node-http", "node-http-852",
)  # fmt: skip
VARIANTS_LINE = re.compile(r"^\*\*Variants:\*\*(.*)$")
NAME_IN_BACKTICKS = re.compile(r"`([^`]+)`")
OUTSIDE_SETTINGS = ("PYTEST_ADDOPTS", "PYTEST_BASE_URL")


@dataclass(frozen=True)
class Case:
    """One collected conformance case."""

    nodeid: str
    requirement: str
    writes: str

    @property
    def function(self) -> str:
        """The case's test function: its node id without the parameters."""
        return self.nodeid.split("[", 1)[0]


@dataclass(frozen=True)
class BrokenServer:
    name: str
    breaks: tuple[str, ...]
    gap: str | None


@dataclass(frozen=True)
class Sources:
    """Everything the file is made of, gathered; `render` turns it into Markdown."""

    catalogue: Document
    cases: tuple[Case, ...]
    broken: tuple[BrokenServer, ...]
    variants: tuple[str, ...]
    decisions: str


# ---------------------------------------------------------------------------- gathering


class _Collector:
    """A pytest plugin that keeps the collected items' markers."""

    def __init__(self) -> None:
        self.cases: list[Case] = []
        self.deselected: list[pytest.Item] = []

    def pytest_deselected(self, items: Sequence[pytest.Item]) -> None:
        # The cases of the other profile's requirements: collected, then left out of the run.
        self.deselected += items

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        every = [*session.items, *self.deselected]
        for item in every:
            requirement = item.get_closest_marker("requirement")
            writes = item.get_closest_marker("writes")
            self.cases.append(
                Case(
                    item.nodeid,
                    str(requirement.args[0]) if requirement else "",
                    str(writes.args[0]) if writes else "none",
                )
            )


@contextlib.contextmanager
def _apart_from_the_caller() -> Iterator[str]:
    """A report directory that goes afterwards, and the environment restored: the suite's plugin
    sets environment variables and writes an empty JUnit file even when it only collects. What a
    user's environment would add to a run has no place in the file, so it is left out."""
    environment = dict(os.environ)
    for name in OUTSIDE_SETTINGS:
        os.environ.pop(name, None)
    try:
        with tempfile.TemporaryDirectory(prefix="coverage-") as reports:
            yield reports
    finally:
        os.environ.clear()
        os.environ.update(environment)


@cache
def collected_cases() -> tuple[Case, ...]:
    """The conformance cases, collected in this process as `pytest conformance --collect-only`
    collects them. Collection only: nothing is sent and no server starts."""
    collector = _Collector()
    output = io.StringIO()
    with _apart_from_the_caller() as reports, contextlib.redirect_stdout(output):
        arguments = [str(ROOT / "conformance"), "--collect-only", "-q", f"--rootdir={ROOT}"]
        status = pytest.main([*arguments, f"--report-dir={reports}"], plugins=[collector])
    if status != pytest.ExitCode.OK:
        raise RuntimeError(
            f"collecting the conformance cases failed ({status}):\n{output.getvalue()}"
        )
    return tuple(collector.cases)


def broken_servers() -> tuple[BrokenServer, ...]:
    from tests.broken.catalogue import CATALOGUE

    return tuple(BrokenServer(row.name, tuple(row.breaks), row.gap) for row in CATALOGUE)


def variant_names() -> tuple[str, ...]:
    from tests.variants.table import VARIANTS

    return tuple(variant.name for variant in VARIANTS)


def gather() -> Sources:
    return Sources(
        catalogue=load_yaml(CATALOGUE_PATH),
        cases=collected_cases(),
        broken=broken_servers(),
        variants=variant_names(),
        decisions=DECISIONS_PATH.read_text(encoding="utf-8"),
    )


# ---------------------------------------------------------------------------- linking


def variants_by_section(decisions: str) -> dict[str, tuple[str, ...]]:
    """Section anchor -> the variants its **Variants** line names, in openapi/decisions.md."""
    found: dict[str, tuple[str, ...]] = {}
    section = ""
    for line in decisions.splitlines():
        if line.startswith("## "):
            section = heading_anchor(line[3:])
        match = VARIANTS_LINE.match(line)
        if match:
            found[section] = found.get(section, ()) + tuple(
                NAME_IN_BACKTICKS.findall(match.group(1))
            )
    return found


def cited_sections(entry: Document) -> list[str]:
    return DECISION_LINK.findall(str(entry.get("source", "")))


def variants_of(entry: Document, by_section: dict[str, tuple[str, ...]]) -> list[str]:
    """The variants that exercise a requirement: those of the decisions its source cites."""
    names: list[str] = []
    for section in cited_sections(entry):
        names += [name for name in by_section.get(section, ()) if name not in names]
    return names


# ---------------------------------------------------------------------------- rendering


def code(names: Iterable[str]) -> str:
    return ", ".join(f"`{name}`" for name in names) or "none"


def writes_summary(cases: Sequence[Case]) -> str:
    """The --writes levels a requirement's cases need, with how many cases need each."""
    counts = Counter(case.writes for case in cases)
    return ", ".join(f"{level} {counts[level]}" for level in WRITE_LEVELS if counts[level]) or "-"


def linked_source(source: str) -> str:
    """The source, each citation of a decision a link from this file (it sits beside it)."""
    return DECISION_LINK.sub(lambda m: f"[{m.group(0)}](decisions.md#{m.group(1)})", source)


def basis_kind(entry: Document) -> str:
    """vendor, rfc, decision or reading: what the requirement rests on."""
    basis = Basis.of(dict(entry))
    return basis.kind if basis else "**none**"


def basis_line(entry: Document) -> str:
    basis = Basis.of(dict(entry))
    return basis.render() if basis else "**none**"


def broken_label(row: BrokenServer) -> str:
    return f"`{row.name}` (known gap: {row.gap})" if row.gap else f"`{row.name}`"


def requirement_section(row: Row) -> list[str]:
    entry = row.entry
    lines = [
        f"### {row.id}",
        "",
        f"{entry.get('level')}. {' '.join(str(entry.get('text', '')).split())}",
        "",
        f"- **source:** {linked_source(str(entry.get('source', '')))}",
        f"- **basis:** {linked_source(basis_line(entry))}",
    ]
    if entry.get("profiles"):
        lines.append(f"- **profiles:** {', '.join(entry['profiles'])} only")
    if row.cases:
        lines.append(
            f"- **cases:** {len(row.cases)} (by --writes level: {writes_summary(row.cases)})"
        )
        per_function = Counter(case.function for case in row.cases)
        lines += [f"  - `{name}` × {n}" for name, n in per_function.items()]
    else:
        reason = entry.get("not_tested") or "no case carries this requirement"
        lines.append(f"- **cases:** none ({reason})")
    lines.append(f"- **broken servers:** {', '.join(map(broken_label, row.broken)) or 'none'}")
    lines.append(f"- **variants:** {code(row.variants)}")
    return [*lines, ""]


INTRODUCTION = """\
# Requirement coverage

<!-- Generated by `python -m tests.contract.coverage` (`make coverage`); do not edit.
     tests/contract/test_coverage.py fails when this file is out of date. -->

Every requirement of [`requirements.yaml`](requirements.yaml), followed from its source to the
conformance cases that check it (`pytest conformance --collect-only`, by their `requirement`
marker, the cases of every profile), the --writes level each case needs (its `writes` marker;
`none` when it has none), the broken servers of `tests/broken/catalogue.py` whose `breaks` name
it, and the correct variants of `tests/variants/table.py` that exercise its freedom. A variant
names no requirement itself: it is listed under a requirement when the **Variants** line of a
section of [`decisions.md`](decisions.md) names it and the requirement's source cites that
section.
"""


@dataclass(frozen=True)
class Row:
    """One requirement and what the sources tie to it."""

    entry: Document
    cases: list[Case]
    broken: list[BrokenServer]
    variants: list[str]

    @property
    def id(self) -> str:
        return str(self.entry.get("id"))


def rows(sources: Sources) -> list[Row]:
    by_section = variants_by_section(sources.decisions)
    return [
        Row(
            entry,
            [case for case in sources.cases if case.requirement == entry.get("id")],
            [server for server in sources.broken if entry.get("id") in server.breaks],
            variants_of(entry, by_section),
        )
        for entry in requirements(sources.catalogue)
    ]


def totals(sources: Sources, table: list[Row]) -> list[str]:
    levels = Counter(str(row.entry.get("level")) for row in table)
    tied = {name for row in table for name in row.variants}
    untied = [n for n in sources.variants if n not in tied and n not in CONTROL_VARIANTS]
    by_level = ", ".join(f"{levels[level]} {level}" for level in LEVELS if levels[level])
    unmarked = [case.nodeid for case in sources.cases if not case.requirement]
    return [
        f"{len(table)} requirements ({by_level}); {len(sources.cases)} cases;"
        f" {len(sources.broken)} broken servers; {len(sources.variants)} variants.",
        "",
        f"- Requirements without a case: {code(row.id for row in table if not row.cases)}.",
        f"- Requirements no broken server breaks: {code(r.id for r in table if not r.broken)}.",
        f"- Cases without a requirement: {code(unmarked)}.",
        f"- Variants tied to no requirement (their decision is about how the suite reaches a"
        f" target, or no requirement cites it): {code(untied)}; {code(CONTROL_VARIANTS)} are the"
        " controls.",
        "",
    ]


def overview(table: list[Row]) -> list[str]:
    lines = [
        "| requirement | level | basis | cases | --writes needed | broken servers | variants |",
        "|---|---|---|---:|---|---:|---:|",
    ]
    lines += [
        f"| [{row.id}](#{row.id.lower()}) | {row.entry.get('level')} | {basis_kind(row.entry)}"
        f" | {len(row.cases)}"
        f" | {writes_summary(row.cases)} | {len(row.broken)} | {len(row.variants)} |"
        for row in table
    ]
    return [*lines, ""]


def details(catalogue: Document, table: list[Row]) -> list[str]:
    lines: list[str] = []
    for area, title in (catalogue.get("areas") or {}).items():
        in_area = [row for row in table if row.id.split("-")[1:2] == [area]]
        if in_area:
            lines += [f"## {area}: {title}", ""]
            lines += [line for row in in_area for line in requirement_section(row)]
    return lines


def render(sources: Sources) -> str:
    """openapi/coverage.md, from the gathered sources."""
    table = rows(sources)
    lines = [*totals(sources, table), *overview(table), *details(sources.catalogue, table)]
    return INTRODUCTION + "\n" + "\n".join(lines).rstrip("\n") + "\n"


# ---------------------------------------------------------------------------- the command


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.contract.coverage", description=__doc__)
    parser.add_argument(
        "--check", action="store_true", help="only say whether the committed file is up to date"
    )
    options = parser.parse_args(argv)
    text = render(gather())
    where = COVERAGE_PATH.relative_to(ROOT)
    if options.check:
        current = COVERAGE_PATH.read_text(encoding="utf-8") if COVERAGE_PATH.exists() else ""
        if current != text:
            print(f"{where} is out of date: run `make coverage` and commit it", file=sys.stderr)
            return 1
        print(f"{where} is up to date")
        return 0
    COVERAGE_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
