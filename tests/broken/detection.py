"""Runs the conformance suite against broken servers, as a user would, and writes the detection
table: broken server -> expected IDs -> failed IDs -> caught or missed."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from conformance.contract.contract import requirement
from tests.harness import ROOT, run_suite, served, suite_environment

from . import until_caught
from .catalogue import Broken

REPORT_DIR = ROOT / "reports"
# Fuzzing costs more than the rest of the suite together; only faults that no fixed case can see
# need it. Skipping the module and the two plugins that serve it halves each run's start-up.
WITHOUT_FUZZING = (
    "--ignore", "conformance/cases/test_fuzz.py",
    "-p", "no:schemathesis", "-p", "no:hypothesispytest",
)  # fmt: skip
# Rows that need fuzzing run with the gate's own budget: a stateful fault (a create, then the
# linked read) is found within 15 examples whatever seed the derandomized run draws, but within
# 5 only by luck (the seed follows the state machine's source, so any edit could lose it).
WITH_FUZZING: tuple[str, ...] = ()
UNTIL_CAUGHT = ("-p", "tests.broken.until_caught")


@dataclass(frozen=True)
class Detection:
    name: str
    fault: str
    expected: tuple[str, ...]
    failed: tuple[str, ...]
    returncode: int
    seconds: float
    gap: str | None
    output: str
    case_totals: dict[str, int]  # cases by verdict: pass, fail, skip, ...
    aborted: str | None

    @property
    def missed(self) -> tuple[str, ...]:
        return tuple(req_id for req_id in self.expected if req_id not in self.failed)

    @property
    def caught(self) -> bool:
        return self.returncode != 0 and not self.missed

    @property
    def verdict(self) -> str:
        if self.caught:
            return "caught" if self.gap is None else "caught (gap closed: drop `gap`)"
        return "missed" if self.gap is None else "missed (known gap)"


def suite_args(row: Broken) -> tuple[str, ...]:
    """Fuzzing only where the fault needs it; --strict where it breaks a SHOULD, which fails
    the run only then (without, it is a warning: tests/suite/test_plugin.py); the run ends once
    the row is caught, unless it is of an unfinished server (whose verdict asks what else
    failed) or a known gap (which is never caught)."""
    fuzzing = WITH_FUZZING if row.fuzz else WITHOUT_FUZZING
    breaks_should = any(requirement(req_id).level != "MUST" for req_id in row.breaks)
    stopping = () if row.unfinished or row.gap else UNTIL_CAUGHT
    return (*fuzzing, *stopping, *(("--strict",) if breaks_should else ()))


def suite_env(row: Broken) -> dict[str, str]:
    env = suite_environment()
    env[until_caught.ENV] = ",".join(row.breaks)
    return env


def detect(row: Broken) -> Detection:
    """Serves a fresh app in this process and runs the suite against it in a subprocess."""
    started = time.monotonic()
    with served(row.build()) as url:
        run = run_suite(url, "--api-version", row.profile, *suite_args(row), env=suite_env(row))
    return Detection(
        name=row.name,
        fault=row.fault,
        expected=row.breaks,
        failed=tuple(sorted(run.failed)),
        returncode=run.returncode,
        seconds=round(time.monotonic() - started, 1),
        gap=row.gap,
        output=run.output[-3000:],
        case_totals=dict(run.report.get("case_totals", {})),
        aborted=run.report.get("aborted"),
    )


def write_reports(
    detections: Iterable[Detection], wall: float, workers: int, directory: Path = REPORT_DIR
) -> Path:
    """The detection table, in the order given, as Markdown and JSON."""
    found = list(detections)
    directory.mkdir(parents=True, exist_ok=True)
    rows = [{k: v for k, v in asdict(d).items() if k != "output"} for d in found]
    for row, detection in zip(rows, found, strict=True):
        row["verdict"] = detection.verdict
    summary = {"wall_seconds": round(wall, 1), "workers": workers, "runs": rows}
    (directory / "broken-servers.json").write_text(json.dumps(summary, indent=2) + "\n")
    path = directory / "broken-servers.md"
    path.write_text(markdown(found, wall, workers))
    return path


def markdown(found: list[Detection], wall: float, workers: int) -> str:
    caught = sum(d.caught for d in found)
    gaps = [d for d in found if d.gap]
    lines = [
        "# Broken servers: does the suite catch each planted fault?",
        "",
        f"{caught} of {len(found)} broken servers caught under the requirements they break; "
        f"{len(gaps)} known gap{'' if len(gaps) == 1 else 's'}. That the unbroken reference "
        "server passes is in variants.md (its controls).",
        f"{len(found)} runs in {wall:.0f} s, {workers} at a time "
        f"(their own times add up to {sum(d.seconds for d in found):.0f} s). A run ends once "
        "what its server breaks has failed (but for unfinished servers and known gaps): "
        "`failed` lists what failed until then.",
        "",
        "| broken server | fault | expected to fail | failed | exit | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for d in found:
        others = [req_id for req_id in d.failed if req_id not in d.expected]
        shown = ", ".join([*(i for i in d.expected if i in d.failed), *others]) or "(none)"
        lines.append(
            f"| {d.name} | {d.fault} | {', '.join(d.expected) or '(none)'} | {shown} "
            f"| {d.returncode} | {d.verdict} |"
        )
    if gaps:
        lines += ["", "## Known gaps", ""]
        lines += [f"- **{d.name}**: {d.gap}" for d in gaps]
    return "\n".join(lines) + "\n"
