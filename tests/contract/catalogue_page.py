"""The requirement catalogue as a page of the documentation site, `reference/requirements.md`,
made at each build of the site (docs/hooks/requirements.py) and never committed.

Every requirement sits at the anchor of its own ID, upper case as the reports print it
(`reference/requirements.html#DEV-HTTP-005`): its level, what it rests on, its source, the
decisions it cites, its cases, the broken servers that prove it (their faults are what an
implementer most often has to fix) and the variants that exercise its freedom. It is made from
the rows openapi/coverage.md is made from (tests/contract/coverage.py), with the broken servers'
faults and the variants' choices beside their names: no sentence here is written for one row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from conformance.contract.contract import Basis

from . import coverage
from .lint import DECISION_LINK, Document, heading_anchor

PAGE = "reference/requirements.md"
# From the page to the decisions, which the site shows at the path they have in the repository.
DECISIONS = "../openapi/decisions.md"
COVERAGE = "../openapi/coverage.md"
BASIS_WORDS = {
    "vendor": "a vendor page says so",
    "rfc": "an RFC, whose breach a client would feel",
    "decision": "a decision of the contract, whose breach a client would feel",
    "reading": "a strict reading no client feels (a SHOULD at most)",
}

INTRODUCTION = f"""\
# The requirement catalogue

<!-- Generated at each build of the site from openapi/requirements.yaml, the conformance cases,
     tests/broken/catalogue.py and tests/variants/table.py (tests/contract/catalogue_page.py). -->

Every rule the suite checks, as `openapi/requirements.yaml` states it, each at the anchor of its
ID: a report's link to `DEV-HTTP-005` opens `requirements.html#DEV-HTTP-005`. Under each:

- its **level** (a broken MUST fails the run; a broken SHOULD warns, and fails it under
  `--strict`) and what it **rests on**: a vendor page's sentence, an RFC or a
  [decision]({DECISIONS}) whose breach a client would feel, or a strict reading (see
  [What strictness rests on](../explanation/strictness.md));
- its **cases**: the conformance cases that carry its marker, by test function, and the
  `--writes` level they need;
- the **broken servers that prove it**: each is the reference server with one planted fault the
  suite must report under this ID; their faults are the ones an implementer most often has to
  fix;
- the **variants that exercise its freedom**: correct servers that answer otherwise where the
  decision allows it, which the suite must pass.

The same rows, with totals, are in [the coverage file]({COVERAGE}).
"""


def render(sources: coverage.Sources, faults: dict[str, str], choices: dict[str, str]) -> str:
    """The page. `faults`: broken server -> its fault; `choices`: variant -> its choice."""
    table = coverage.rows(sources)
    titles = decision_titles(sources.decisions)
    lines = [INTRODUCTION, *overview(table)]
    for area, title in (sources.catalogue.get("areas") or {}).items():
        in_area = [row for row in table if row.id.split("-")[1:2] == [area]]
        if in_area:
            lines += [f"## {area}: {title} {{#area-{area}}}", ""]
            for row in in_area:
                lines += requirement(row, titles, faults, choices)
    return "\n".join(lines).rstrip("\n") + "\n"


def page() -> str:
    """The page from the repository as it is: the catalogue, the collected cases, the tables."""
    from tests.broken.catalogue import CATALOGUE
    from tests.variants.table import VARIANTS

    faults = {row.name: row.fault for row in CATALOGUE}
    choices = {variant.name: variant.choice for variant in VARIANTS}
    return render(coverage.gather(), faults, choices)


def decision_titles(decisions: str) -> dict[str, str]:
    """Section anchor -> its heading, in openapi/decisions.md."""
    headings = [line[3:].strip() for line in decisions.splitlines() if line.startswith("## ")]
    return {heading_anchor(heading): heading for heading in headings}


def overview(table: list[coverage.Row]) -> list[str]:
    lines = ["| requirement | level | rests on | sentence |", "|---|---|---|---|"]
    lines += [
        f"| [{row.id}](#{row.id}) | {row.entry.get('level')} | {coverage.basis_kind(row.entry)}"
        f" | {cell(sentence(row.entry))} |"
        for row in table
    ]
    return [*lines, ""]


def requirement(
    row: coverage.Row, titles: dict[str, str], faults: dict[str, str], choices: dict[str, str]
) -> list[str]:
    entry = row.entry
    return [
        f"### {row.id} {{#{row.id}}}",
        "",
        f"**{entry.get('level')}** · {profiles(entry)} · {sentence(entry)}",
        "",
        f"- **Rests on:** {rests_on(entry)}",
        f"- **Source:** {linked(str(entry.get('source', '')))}",
        f"- **Decisions:** {decisions(entry, titles)}",
        *cases(row),
        *named_list("Broken servers that prove it", broken_labels(row.broken, faults)),
        *named_list("Variants that exercise its freedom", variant_labels(row.variants, choices)),
        "",
    ]


def sentence(entry: Document) -> str:
    return " ".join(str(entry.get("text", "")).split())


def cell(text: str) -> str:
    """Text inside a table cell: a `|` would end the cell."""
    return text.replace("|", "\\|")


def profiles(entry: Document) -> str:
    given = entry.get("profiles")
    return f"profile {', '.join(given)} only" if given else "both profiles"


def linked(text: str) -> str:
    """Each citation of a decision a link to its section on the site."""
    return DECISION_LINK.sub(lambda m: f"[{m.group(0)}]({DECISIONS}#{m.group(1)})", text)


def rests_on(entry: Document) -> str:
    basis = Basis.of(dict(entry))
    if basis is None:
        return "**none given**"
    ref = linked(basis.ref)
    note = f': "{basis.note}"' if basis.kind == "vendor" else f"; a client would feel: {basis.note}"
    return f"{BASIS_WORDS[basis.kind]} ({ref}){note if basis.note else ''}"


def decisions(entry: Document, titles: dict[str, str]) -> str:
    sections = coverage.cited_sections(entry)
    links = [f"[{titles.get(s, s)}]({DECISIONS}#{s})" for s in sections]
    return ", ".join(links) or "none: the sources decide"


def cases(row: coverage.Row) -> list[str]:
    if not row.cases:
        reason = row.entry.get("not_tested") or "no case carries this requirement"
        return [f"- **Cases:** none ({reason})"]
    per_function = Counter(case.function for case in row.cases)
    summary = coverage.writes_summary(row.cases)
    return [
        f"- **Cases:** {len(row.cases)} (by `--writes` level: {summary})",
        *(f"    - `{name}` × {n}" for name, n in per_function.items()),
    ]


def broken_labels(broken: Iterable[coverage.BrokenServer], faults: dict[str, str]) -> list[str]:
    labels = []
    for server in broken:
        gap = f" (known gap: {server.gap})" if server.gap else ""
        labels.append(f"`{server.name}`: {faults.get(server.name, '')}{gap}")
    return labels


def variant_labels(names: Iterable[str], choices: dict[str, str]) -> list[str]:
    return [f"`{name}`: {choices.get(name, '')}" for name in names]


def named_list(title: str, items: list[str]) -> list[str]:
    if not items:
        return [f"- **{title}:** none"]
    return [f"- **{title}:** {len(items)}", *(f"    - {item}" for item in items)]
