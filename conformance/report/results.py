"""The verdicts of a run, by case and by requirement, and the files they are written to."""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from conformance.contract.contract import catalogue, requirement, spec_digest
from conformance.report import html, known_failures, matrix
from conformance.report.docs_site import requirement_link


def installed_version() -> str:
    """The one version number: the package's metadata (pyproject.toml)."""
    try:
        return metadata.version("devices-api-conformance")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


KIT_VERSION = installed_version()
MARKDOWN_STATUSES = ("pass", "fail", "known", "warning", "skipped", "not tested")


@dataclass
class Outcome:
    """The verdict of one case."""

    nodeid: str
    requirement: str
    verdict: str  # pass, fail, error, warning, skip, known
    broken: str | None = None  # the requirement a failure broke, when it names one
    identity: str | None = None
    message: str = ""
    curl: str | None = None
    # A RequirementFailure's parts, as it gave them (conformance/contract/failures.py).
    expected: str | None = None
    actual: str | None = None
    request: str | None = None
    # The matrix cell it judges: operation, identity, object (conformance/report/matrix.py).
    cell: dict[str, str] | None = None
    duration: float = 0.0
    known_entry: int | None = None  # the known-failures entry it failed under
    expired_entry: int | None = None  # an expired entry that no longer covers its failure


@dataclass
class RequirementStatus:
    id: str
    level: str
    text: str
    status: str  # pass, fail, known, warning, skipped, not tested, inconclusive
    cases: list[str] = field(default_factory=list)
    reason: str = ""
    source: str = ""  # the catalogue's source: a vendor page, an RFC, a decision's section
    basis: str = ""  # what it rests on, and what a client feels (Requirement.basis_text)
    docs: str | None = None  # its entry in the documentation site's catalogue (--docs-url)


def from_report(report: pytest.TestReport) -> Outcome | None:
    props = dict(report.user_properties)
    if "verdict" not in props:
        return None
    verdict = str(props["verdict"])
    message = str(props.get("message", ""))
    if verdict == "skip" and isinstance(report.longrepr, tuple):
        message = str(report.longrepr[2]).removeprefix("Skipped: ")
    elif verdict in {"fail", "error", "known"} and not message:
        message = report.longreprtext[-4000:]
    return Outcome(
        nodeid=report.nodeid,
        requirement=str(props["requirement"]),
        verdict=verdict,
        broken=optional_text(props.get("broken")),
        identity=optional_text(props.get("identity")),
        message=message,
        curl=optional_text(props.get("curl")),
        expected=optional_text(props.get("expected")),
        actual=optional_text(props.get("actual")),
        request=optional_text(props.get("request")),
        cell=optional_cell(props.get("cell")),
        duration=report.duration,
        known_entry=optional_number(props.get("known_entry")),
        expired_entry=optional_number(props.get("expired_entry")),
    )


def optional_text(value: object) -> str | None:
    return None if value is None else str(value)


def optional_cell(value: object) -> dict[str, str] | None:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else None


def optional_number(value: object) -> int | None:
    return None if value is None else int(str(value))


class Results:
    def __init__(self, report_dir: Path, target: dict[str, Any]) -> None:
        self.report_dir = report_dir
        self.target = target
        self.started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        self.outcomes: list[Outcome] = []
        self.aborted: str | None = None
        self.writes: list[str] = []
        self.phases_started: set[str] = set()
        self.config: Any = None
        self.known: known_failures.KnownFailures | None = None
        self.updated_file: str | None = None
        # The documentation site the reports link each requirement to (report/docs_site.py).
        self.docs_url: str | None = None

    def add(self, report: pytest.TestReport) -> None:
        for name, value in report.user_properties:
            if name == "writes" and isinstance(value, list):
                self.writes.extend(str(write) for write in value)
        outcome = from_report(report)
        if outcome is not None:
            self.outcomes.append(outcome)

    def requirement_statuses(self) -> list[RequirementStatus]:
        by_requirement: dict[str, list[Outcome]] = {}
        broken: dict[str, list[Outcome]] = {}
        for outcome in self.outcomes:
            by_requirement.setdefault(outcome.requirement, []).append(outcome)
            if outcome.verdict in {"fail", "warning", "known"}:
                broken.setdefault(outcome.broken or outcome.requirement, []).append(outcome)
        statuses = [
            self._status(req_id, by_requirement.get(req_id, []), broken.get(req_id, []))
            for req_id in catalogue()
        ]
        for status in statuses:
            status.docs = requirement_link(self.docs_url, status.id)
        return statuses

    @staticmethod
    def _status(req_id: str, own: list[Outcome], broken: list[Outcome]) -> RequirementStatus:
        req = requirement(req_id)
        status = RequirementStatus(
            req.id, req.level, req.text, "not tested", source=req.source, basis=req.basis_text
        )
        status.cases = [o.nodeid for o in own]
        verdicts = Counter(o.verdict for o in own)
        if broken:
            status.status = broken_status({o.verdict for o in broken})
            status.cases = sorted({*status.cases, *(o.nodeid for o in broken)})
        elif verdicts["pass"]:
            status.status = "pass"
        elif verdicts["fail"] or verdicts["error"] or verdicts["known"]:
            status.status = "inconclusive"
            status.reason = "its cases stopped on another requirement"
        elif verdicts["skip"]:
            status.status = "skipped"
            status.reason = sorted({o.message for o in own if o.verdict == "skip"})[0]
        else:
            status.reason = req.not_tested or "no case ran (deselected or not written)"
        return status

    def ran(self) -> list[known_failures.Ran]:
        return [known_failures.as_ran(o) for o in self.outcomes]

    def failed_requirements(self) -> list[str]:
        return [s.id for s in self.requirement_statuses() if s.status == "fail"]

    def summary_lines(self) -> list[str]:
        statuses = self.requirement_statuses()
        lines = []
        for level in ("MUST", "SHOULD", "MAY"):
            counts = Counter(s.status for s in statuses if s.level == level)
            if counts:
                parts = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
                lines.append(f"{level:<6} {parts}")
        for status in statuses:
            if status.status in {"fail", "warning"}:
                lines.append(
                    f"{status.status.upper():<7} {status.id} ({status.level}): {status.text}"
                )
        if self.known is not None:
            strict = bool(self.target.get("strict"))
            lines += known_failures.summary_lines(self.known, self.ran(), strict)
        if self.updated_file:
            lines.append(f"Known failures written to {self.updated_file}")
        lines.append(f"Reports: {self.report_dir}/conformance.{{html,json,md}}, junit.xml")
        return lines

    def document(self) -> dict[str, Any]:
        statuses = self.requirement_statuses()
        totals: dict[str, dict[str, int]] = {}
        for status in statuses:
            totals.setdefault(status.level, Counter())[status.status] += 1
        return {
            "kit_version": KIT_VERSION,
            "target": self.target,
            "spec_sha256": spec_digest(),
            "started": self.started,
            "docs_url": self.docs_url,
            "aborted": self.aborted,
            "writes": self.writes,
            "totals": {level: dict(counts) for level, counts in totals.items()},
            "requirements": [asdict(s) for s in statuses],
            "cases": [asdict(o) for o in self.outcomes],
            # Added for the HTML page; the fields above keep their names and shapes.
            "case_totals": dict(Counter(o.verdict for o in self.outcomes)),
            "matrix": matrix.build(asdict(o) for o in self.outcomes),
            "known_failures": (
                known_failures.document(self.known, self.ran()) if self.known else None
            ),
        }

    def write(self) -> None:
        self.report_dir.mkdir(parents=True, exist_ok=True)
        document = self.document()
        (self.report_dir / "conformance.json").write_text(
            json.dumps(document, indent=2), encoding="utf-8"
        )
        summary = markdown(document)
        (self.report_dir / "conformance.md").write_text(summary, encoding="utf-8")
        # GitHub Actions shows what a step appends to this file on the run's page.
        step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if step_summary:
            with open(step_summary, "a", encoding="utf-8") as stream:
                stream.write(summary)
        (self.report_dir / "conformance.html").write_text(html.render(document), encoding="utf-8")


def broken_status(verdicts: set[str]) -> str:
    """A requirement's status from the verdicts of the cases that broke it: a new failure
    outweighs a known one, which outweighs a warning."""
    if "fail" in verdicts:
        return "fail"
    return "known" if "known" in verdicts else "warning"


def markdown(document: dict[str, Any]) -> str:
    lines = [
        "# Devices API conformance",
        "",
        f"Target: {document['target']['base_url']} (writes: {document['target']['writes']})",
        "",
        "| level | " + " | ".join(MARKDOWN_STATUSES) + " |",
        "|---" * (len(MARKDOWN_STATUSES) + 1) + "|",
    ]
    for level, counts in document["totals"].items():
        cells = [str(counts.get(k, 0)) for k in MARKDOWN_STATUSES]
        lines.append(f"| {level} | " + " | ".join(cells) + " |")
    if document.get("aborted"):
        lines += ["", f"**The run stopped:** {document['aborted']}"]
    failing = [r for r in document["requirements"] if r["status"] in {"fail", "warning"}]
    writes = document.get("writes") or []
    lines += ["", f"Writes made on the target: {len(writes)} (listed in conformance.json)"]
    if failing:
        lines += ["", "## Failures", ""]
        lines += [
            f"- **{linked_id(r['id'], document.get('docs_url'))}** ({r['level']}, {r['status']}):"
            f" {r['text']}"
            for r in failing
        ]
    lines += known_failures_markdown(document.get("known_failures"), document.get("docs_url"))
    return "\n".join(lines) + "\n"


def linked_id(req_id: str, site: str | None) -> str:
    """The requirement's ID, a link to its page in the documentation site when there is one."""
    link = requirement_link(site, req_id)
    return f"[{req_id}]({link})" if link else req_id


def known_failures_markdown(known: dict[str, Any] | None, site: str | None) -> list[str]:
    """The entries of the known-failures file, apart from the new failures above."""
    if not known:
        return []
    lines = ["", f"## Known failures ({known['file']})", ""]
    for entry in known["entries"]:
        issue = f" ({entry['issue']})" if entry["issue"] else ""
        lines.append(
            f"- **{linked_id(entry['requirement'], site)}**, entry {entry['number']}: "
            f"**{entry['status']}**, {entry['note']}. Reason: {entry['reason']}{issue}"
        )
    return lines
