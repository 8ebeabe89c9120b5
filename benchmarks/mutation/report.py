"""reports/mutation.json and .md: every mutant run, its outcome and what killed it; the score.

The score counts, over the mutants run, the killed (a timeout is killed too: the suite bounds
every request, so a mutant that makes it wait is a slow server it reports) among those the
suite ought to kill: not the survivors the triage file calls equivalent (no client can tell)
or allowed (a correct server, which the suite must pass). The raw share of killed mutants is
given beside it.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from .population import Mutant
from .runner import Outcome
from .triage import Entry

KILLED = ("killed", "timeout")


def summary(
    mutants: dict[str, Mutant], outcomes: dict[str, Outcome], triage: dict[str, Entry]
) -> dict[str, object]:
    run = [outcomes[key] for key in mutants if key in outcomes]
    statuses = Counter(outcome.status for outcome in run)
    survivors = [o.id for o in run if o.status == "survived"]
    verdicts = Counter(_verdict(triage, key) for key in survivors)
    # A `mode` verdict stands only once its mode killed the mutant, when it is no survivor.
    untriaged = [key for key in survivors if _verdict(triage, key) in {None, "mode"}]
    killed = sum(statuses[status] for status in KILLED)
    judged = len(run) - verdicts["equivalent"] - verdicts["allowed"]
    seconds = sum(outcome.seconds for outcome in run)
    return {
        "population": len(mutants),
        "run": len(run),
        "statuses": dict(statuses),
        "equivalent": verdicts["equivalent"],
        "allowed": verdicts["allowed"],
        "untriaged": untriaged,
        "score": round(100 * killed / judged, 1) if judged else None,
        "killed_share": round(100 * killed / len(run), 1) if run else None,
        "seconds": round(seconds, 1),
        "seconds_per_mutant": round(seconds / len(run), 2) if run else None,
    }


def write(
    folder: Path,
    mutants: dict[str, Mutant],
    outcomes: dict[str, Outcome],
    triage: dict[str, Entry],
) -> dict[str, object]:
    """Writes both reports; returns the summary."""
    totals = summary(mutants, outcomes, triage)
    rows = [
        _row(mutants[key], outcomes[key], triage.get(key)) for key in mutants if key in outcomes
    ]
    folder.mkdir(parents=True, exist_ok=True)
    document = {"summary": totals, "mutants": rows}
    (folder / "mutation.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    (folder / "mutation.md").write_text(_markdown(totals, rows), encoding="utf-8")
    return totals


def _row(mutant: Mutant, outcome: Outcome, entry: Entry | None) -> dict[str, object]:
    return {
        **mutant.as_dict(),
        **{key: value for key, value in outcome.as_dict().items() if key != "id"},
        "triage": entry.verdict if entry else None,
    }


def _verdict(triage: dict[str, Entry], key: str) -> str | None:
    entry = triage.get(key)
    return entry.verdict if entry else None


def _markdown(totals: dict[str, object], rows: list[dict[str, object]]) -> str:
    lines = [
        "# Mutation testing of the reference server",
        "",
        f"Mutants: {totals['population']} in all, {totals['run']} run; "
        f"outcomes {totals['statuses']}; survivors equivalent by triage {totals['equivalent']}, "
        f"allowed {totals['allowed']}.",
        f"Score (killed among the run that are neither equivalent nor allowed): "
        f"**{totals['score']}%**; killed among all run: {totals['killed_share']}%. "
        f"Time: {totals['seconds']} s, {totals['seconds_per_mutant']} s per mutant.",
        f"Untriaged survivors: {len(totals['untriaged'])}."  # type: ignore[arg-type]
        if totals["untriaged"]
        else "Every survivor is triaged (tests/mutation/survivors.yaml).",
        "",
        "| file | line | mutant | change | outcome | mode | killed by | triage |",
        "|---|---:|---|---|---|---|---|---|",
    ]
    for row in rows:
        change = str(row["change"]).replace("|", "\\|")
        killed_by = ", ".join(row["killed_by"]) or str(row["case"])  # type: ignore[arg-type]
        lines.append(
            f"| {row['file']} | {row['line']} | `{row['id']}` | `{change}` | {row['status']} "
            f"| {row['mode']} | {killed_by.replace('|', '/')} | {row['triage'] or ''} |"
        )
    return "\n".join(lines) + "\n"
