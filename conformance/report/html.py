"""`conformance.html`: one self-contained page (inline CSS, no script, no external asset) a
person reads after a run: the summary, the failures first, the role x operation matrix, and the
coverage of every requirement in the catalogue. Everything it shows is in `conformance.json`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

STATUSES = ("pass", "fail", "known", "warning", "inconclusive", "skipped", "not tested")
PROBLEMS = ("fail", "error", "warning")
# The parts of a RequirementFailure (conformance/contract/failures.py) a case records, in order.
CASE_FIELDS = (("Expected", "expected"), ("Actual", "actual"), ("Request", "request"))

CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:1em 2em;
color:#1b1b1b}
h1{margin-bottom:.2em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.3em .6em;
text-align:left;vertical-align:top}th{background:#f3f3f3}
code,pre{font:12px/1.4 ui-monospace,monospace}pre{background:#f6f6f6;padding:.6em;
overflow-x:auto;white-space:pre-wrap;word-break:break-all}
.verdict{font-size:1.2em;font-weight:bold;padding:.5em 1em;border-radius:4px;display:inline-block}
.pass,.as-expected{background:#e3f4e1}.fail,.error,.unexpected{background:#fbe0e0}
.warning,.inconclusive,.partly-run,.expired{background:#fff3cd}
.known,.known-failure,.not-seen{background:#e8e4f5}.fixed{background:#d7ecfb}.skipped,.not-tested,.not-run{background:#eee}
.failure{border-left:4px solid #c62828;padding:.2em 1em;margin:1em 0}
.failure.warning{border-color:#e0a800;background:none}
.failure.known{border-color:#6a5acd;background:none}
dl.summary{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:bold}
dd{margin:0}.matrix td{min-width:9em}.muted{color:#666}a.docs{font-size:.8em;font-weight:normal}
"""


def e(value: object) -> str:
    return escape(str(value), quote=True)


def anchor(req_id: str) -> str:
    return f'<a href="#{e(req_id)}">{e(req_id)}</a>'


def site_link(req: Mapping[str, Any]) -> str:
    """A link to the requirement's page in the kit's documentation site, when the run knows one
    (--docs-url): what it rests on, its cases, the faults that usually break it."""
    if not req.get("docs"):
        return ""
    return f' <a class="docs" href="{e(req["docs"])}">requirement page</a>'


def css_class(word: str) -> str:
    return e(word.replace(" ", "-"))


def render(document: Mapping[str, Any]) -> str:
    """The whole page."""
    requirements = {r["id"]: r for r in document.get("requirements", [])}
    body = [
        "<h1>Devices API conformance</h1>",
        verdict_banner(document),
        summary(document),
        failures(document.get("cases", []), requirements),
        known_failures(document.get("known_failures"), document.get("cases", []), requirements),
        not_run(document.get("cases", [])),
        matrix(document.get("matrix", {})),
        coverage(document.get("requirements", [])),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Devices API conformance: {e(document['target']['base_url'])}</title>"
        f"<style>{CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def verdict_banner(document: Mapping[str, Any]) -> str:
    """The gate's answer: a broken MUST fails the run; a broken SHOULD only warns; a known
    failure is counted apart, and a fixed known-failure entry fails the run under --strict."""
    broken = count_status(document, "fail")
    warned = count_status(document, "warning")
    known = count_status(document, "known")
    fixed = fixed_entries(document)
    if broken:
        text, kind = f"FAIL: {broken} requirement(s) broken", "fail"
    elif fixed and document["target"].get("strict"):
        text, kind = f"FAIL (--strict): {fixed} known-failure entry(ies) fixed", "fail"
    elif warned:
        text, kind = f"PASS with {warned} warning(s)", "warning"
    elif known:
        text, kind = "PASS: no new failure", "pass"
    else:
        text, kind = "PASS: no requirement broken", "pass"
    if known:
        text += f"; {known} requirement(s) broken as known, listed apart"
    if fixed:
        text += f"; {fixed} known-failure entry(ies) fixed: remove them"
    return f'<p id="verdict" class="verdict {kind}">{e(text)}</p>'


def fixed_entries(document: Mapping[str, Any]) -> int:
    known = document.get("known_failures") or {}
    return sum(1 for entry in known.get("entries", []) if entry["status"] == "fixed")


def count_status(document: Mapping[str, Any], status: str) -> int:
    return sum(1 for r in document.get("requirements", []) if r["status"] == status)


def summary(document: Mapping[str, Any]) -> str:
    target = document["target"]
    facts = [
        ("Target", target.get("base_url")),
        ("Profile", target.get("api_version")),
        ("Writes", target.get("writes")),
        ("Strict", "yes" if target.get("strict") else "no"),
        ("Contract SHA-256", document.get("spec_sha256")),
        ("Kit version", document.get("kit_version")),
        ("Started", document.get("started")),
        ("Cases", case_counts(document.get("cases", []))),
        ("Writes made on the target", len(document.get("writes") or [])),
    ]
    rows = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in facts)
    stopped = document.get("aborted")
    note = f'<p class="verdict fail">The run stopped: {e(stopped)}</p>' if stopped else ""
    return (
        f'<section id="summary"><h2>Summary</h2>{note}<dl class="summary">{rows}</dl>'
        f"{totals(document)}{writes(document.get('writes') or [])}</section>"
    )


def writes(made: list[str]) -> str:
    if not made:
        return ""
    listed = "".join(f"<li><code>{e(w)}</code></li>" for w in made)
    return f"<details><summary>{len(made)} write(s) made</summary><ul>{listed}</ul></details>"


def case_counts(cases: Iterable[Mapping[str, Any]]) -> str:
    counts: dict[str, int] = {}
    for case in cases:
        counts[case["verdict"]] = counts.get(case["verdict"], 0) + 1
    return ", ".join(f"{n} {verdict}" for verdict, n in sorted(counts.items())) or "none"


def totals(document: Mapping[str, Any]) -> str:
    head = "".join(f"<th>{e(s)}</th>" for s in STATUSES)
    rows = []
    for level, counts in document.get("totals", {}).items():
        cells = "".join(f"<td>{counts.get(s, 0)}</td>" for s in STATUSES)
        rows.append(f"<tr><th>{e(level)}</th>{cells}</tr>")
    return (
        '<table id="totals"><caption>Requirements by level</caption>'
        f"<tr><th>level</th>{head}</tr>{''.join(rows)}</table>"
    )


def failures(cases: Iterable[Mapping[str, Any]], requirements: Mapping[str, Any]) -> str:
    found = [c for c in cases if c["verdict"] in PROBLEMS]
    cards = cards_by_requirement(found, requirements)
    content = "".join(cards) if cards else '<p class="muted">No case failed.</p>'
    return (
        f'<section id="failures"><h2>Failures ({len(cards)} requirement(s), '
        f"{len(found)} case(s))</h2>{content}</section>"
    )


def cards_by_requirement(
    found: list[Mapping[str, Any]], requirements: Mapping[str, Any]
) -> list[str]:
    """One card per broken requirement, the cases that broke it inside: eleven cases of one
    fault read as one fault."""
    by_requirement: dict[str, list[Mapping[str, Any]]] = {}
    for case in found:
        by_requirement.setdefault(case.get("broken") or case["requirement"], []).append(case)
    # MUST failures and errors before warnings, so the gate's reasons come first.
    ordered = sorted(by_requirement.items(), key=lambda item: card_verdict(item[1]) == "warning")
    return [broken_requirement(req_id, group, requirements) for req_id, group in ordered]


def card_verdict(group: list[Mapping[str, Any]]) -> str:
    """The worst verdict among a requirement's cases."""
    verdicts = {c["verdict"] for c in group}
    return next((v for v in ("fail", "error", "known") if v in verdicts), "warning")


def broken_requirement(
    req_id: str, group: list[Mapping[str, Any]], requirements: Mapping[str, Any]
) -> str:
    req = requirements.get(req_id, {})
    verdict = card_verdict(group)
    parts = [
        f"<h3>{anchor(req_id)} ({e(req.get('level', '?'))}, {e(verdict)}): "
        f"{len(group)} case(s){site_link(req)}</h3>",
        f"<p>{e(req.get('text', ''))}</p>",
        f'<p class="muted">Source: {e(req.get("source", ""))}</p>',
        f'<p class="muted">Basis: {e(req.get("basis", ""))}</p>',
        "".join(failed_case(case) for case in group),
    ]
    return f'<article class="failure {css_class(verdict)}">{"".join(parts)}</article>'


def failed_case(case: Mapping[str, Any]) -> str:
    """What the case gave: expected, actual, request and its curl line; a failure that is not
    a requirement's (an error in the suite, schemathesis's account) is shown whole."""
    fields = [(label, case.get(key)) for label, key in CASE_FIELDS if case.get(key)]
    if not fields:
        fields = [("Message", case.get("message", ""))]
    if case.get("curl"):
        fields.append(("Reproduce", case["curl"]))
    shown = "".join(f"<p><b>{e(label)}:</b></p><pre>{e(value)}</pre>" for label, value in fields)
    who = f" as {e(case['identity'])}" if case.get("identity") else ""
    return (
        f"<details open><summary><code>{e(case['nodeid'])}</code>{who} "
        f"({e(case['verdict'])})</summary>{shown}</details>"
    )


def known_failures(
    known: Mapping[str, Any] | None,
    cases: Iterable[Mapping[str, Any]],
    requirements: Mapping[str, Any],
) -> str:
    """The entries of the known-failures file, what became of each, and the cases that failed
    under them: apart from the new failures, which alone decide the verdict."""
    if not known:
        return ""
    rows = "".join(known_entry_row(entry) for entry in known["entries"])
    found = [c for c in cases if c["verdict"] == "known"]
    cards = cards_by_requirement(found, requirements)
    listed = "".join(cards) if cards else '<p class="muted">No case failed under an entry.</p>'
    return (
        f'<section id="known-failures"><h2>Known failures ({len(found)})</h2>'
        f"<p>From <code>{e(known['file'])}</code>. A case failing under an entry does not fail "
        "the run; an entry whose cases pass now is fixed: remove it.</p>"
        "<table><tr><th>entry</th><th>requirement</th><th>status</th><th>reason</th>"
        f"<th>narrowed to</th></tr>{rows}</table>"
        f"<details><summary>{len(found)} case(s) failing under an entry</summary>{listed}"
        "</details></section>"
    )


def known_entry_row(entry: Mapping[str, Any]) -> str:
    reason = e(entry["reason"])
    if entry.get("issue"):
        reason += f'<br><a href="{e(entry["issue"])}">{e(entry["issue"])}</a>'
    if entry.get("expires"):
        reason += f'<br><span class="muted">expires {e(entry["expires"])}</span>'
    narrowing = "; ".join(f"{k}: {', '.join(v)}" for k, v in entry["narrowing"].items())
    return (
        f'<tr data-entry="{e(entry["number"])}"><td>{e(entry["number"])}</td>'
        f"<td>{anchor(entry['requirement'])}</td>"
        f'<td class="{css_class(entry["status"])}"><b>{e(entry["status"])}</b><br>'
        f"{e(entry['note'])}</td><td>{reason}</td><td>{e(narrowing or 'no narrowing')}</td></tr>"
    )


def not_run(cases: Iterable[Mapping[str, Any]]) -> str:
    """The cases that could not run, grouped by why: what discovery could not learn, an
    operation the breaker closed, a write level, missing credentials."""
    by_reason: dict[str, list[str]] = {}
    for case in cases:
        if case["verdict"] == "skip":
            by_reason.setdefault(str(case.get("message", "")), []).append(str(case["nodeid"]))
    if not by_reason:
        return ""
    groups = "".join(
        f"<details><summary>{len(ids)} case(s): {e(reason)}</summary><ul>"
        + "".join(f"<li><code>{e(i)}</code></li>" for i in ids)
        + "</ul></details>"
        for reason, ids in sorted(by_reason.items(), key=lambda item: -len(item[1]))
    )
    count = sum(len(ids) for ids in by_reason.values())
    return f'<section id="not-run"><h2>Not run ({count})</h2>{groups}</section>'


def matrix(data: Mapping[str, Any]) -> str:
    identities = data.get("identities", [])
    head = "".join(f"<th>{e(i)}</th>" for i in identities)
    rows = [matrix_row(row) for row in data.get("rows", [])]
    note = f'<p class="fail">{e(data["error"])}</p>' if data.get("error") else ""
    return (
        '<section id="matrix"><h2>Who may call what</h2>'
        '<p class="muted">Each cell: what the contract\'s <code>x-access</code> policy expects '
        "for the identity, and whether the target answered so on every object tried.</p>"
        f'{note}<table class="matrix"><tr><th>operation</th>{head}</tr>{"".join(rows)}</table>'
        "</section>"
    )


def matrix_row(row: Mapping[str, Any]) -> str:
    label = (
        f"<code>{e(row['operation_id'])}</code><br>"
        f'<span class="muted">{e(row["method"])} {e(row["path"])}</span>'
    )
    cells = "".join(matrix_cell(cell) for cell in row["cells"])
    return f'<tr data-operation="{e(row["operation_id"])}"><th>{label}</th>{cells}</tr>'


def matrix_cell(cell: Mapping[str, Any]) -> str:
    word = "unexpected" if cell["outcome"] == "unexpected" else cell["expected"]
    tried = "; ".join(f"{c['object']}: {c['verdict']}" for c in cell["cases"])
    return (
        f'<td class="{css_class(cell["outcome"])}" data-identity="{e(cell["identity"])}" '
        f'title="{e(tried)}"><b>{e(word)}</b><br>{anchor(cell["requirement"])}'
        f'<br><span class="muted">{e(outcome_text(cell))}</span></td>'
    )


def outcome_text(cell: Mapping[str, Any]) -> str:
    """The outcome, naming the objects not tried (a target without an admin's own device)."""
    skipped = [c["object"] for c in cell["cases"] if c["verdict"] in {"skip", "not run"}]
    if cell["outcome"] != "partly run":
        return str(cell["outcome"])
    return f"as expected; not run on {', '.join(skipped)}"


def coverage(requirements: Iterable[Mapping[str, Any]]) -> str:
    rows = [coverage_row(r) for r in requirements]
    return (
        '<section id="coverage"><h2>Coverage of the catalogue</h2><table>'
        "<tr><th>requirement</th><th>level</th><th>status</th><th>sentence</th>"
        f"<th>cases, or why not tested</th></tr>{''.join(rows)}</table></section>"
    )


def basis_kind(req: Mapping[str, Any]) -> str:
    """vendor, rfc, decision or reading: the first word of the requirement's basis."""
    return str(req.get("basis", "")).partition(":")[0]


def coverage_row(req: Mapping[str, Any]) -> str:
    cases = req.get("cases", [])
    if cases:
        listed = "".join(f"<li><code>{e(c)}</code></li>" for c in cases)
        detail = f"<details><summary>{len(cases)} case(s)</summary><ul>{listed}</ul></details>"
    else:
        detail = ""
    if req.get("reason"):
        detail += f"<p>{e(req['reason'])}</p>"
    return (
        f'<tr id="{e(req["id"])}"><td>{e(req["id"])}{site_link(req)}</td>'
        f"<td>{e(req['level'])}"
        f'<br><span class="muted">{e(basis_kind(req))}</span></td>'
        f'<td class="{css_class(req["status"])}">{e(req["status"])}</td>'
        f"<td>{e(req['text'])}"
        f'<br><span class="muted">Source: {e(req.get("source", ""))}</span>'
        f'<br><span class="muted">Basis: {e(req.get("basis", ""))}</span></td>'
        f"<td>{detail}</td></tr>"
    )
