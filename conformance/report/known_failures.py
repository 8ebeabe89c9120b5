"""Known failures: a file the implementer commits, naming the requirements its server breaks
today, so that a run gates on "no new failure" before the server fully conforms.

A failing case that an entry covers is reported as *known* (pytest's xfail, with the entry's
reason) instead of failing the run. An entry no case fails under any more is reported as fixed,
so the file cannot outlive the bug: a warning, or a failed run under --strict. An entry that
can match no collected case (a typo, a removed requirement) is a usage error, and an entry past
its expiry date no longer covers anything. The file format is in
docs/how-to/known-failures.md.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from conformance.contract.contract import catalogue, operations
from conformance.contract.identities import IDENTITIES

TOP_KEY = "known_failures"
FIELDS = ("requirement", "reason", "issue", "expires", "identities", "operations", "cases")
NARROWING = ("identities", "operations", "cases")
# What crosses to xdist workers: the file's path and text, parsed there the same way.
WORKER_INPUT = "devices_api_known_failures"


@dataclass(frozen=True)
class Case:
    """What an entry is matched against: the same facts on a collected item and on the outcome
    the controller receives, so the verdict and the entry's status agree under xdist."""

    nodeid: str
    requirement: str  # the case's own requirement marker
    identity: str | None


@dataclass(frozen=True)
class Entry:
    number: int  # its position in the file, from 1: how messages name it
    requirement: str
    reason: str
    issue: str | None = None
    expires: datetime.date | None = None
    identities: tuple[str, ...] = ()
    operations: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        narrowing = [
            f"{name}: {', '.join(getattr(self, name))}" for name in NARROWING if getattr(self, name)
        ]
        return f"entry {self.number} ({'; '.join([self.requirement, *narrowing])})"

    def expired(self, today: datetime.date) -> bool:
        return self.expires is not None and today > self.expires

    def covers(self, case: Case) -> bool:
        """Whether the case lies within the entry's narrowing (any case, without one)."""
        if self.identities and case.identity not in self.identities:
            return False
        if self.operations and not set(self.operations) & case_operations(case.nodeid):
            return False
        return not self.cases or any(matches(p, case.nodeid) for p in self.cases)

    def own_cases(self, cases: Iterable[Case]) -> list[Case]:
        """The cases whose passing says the entry is fixed: those of its requirement within its
        narrowing; when the narrowing holds none (DEV-HTTP-002 met by another area's case),
        every case within it."""
        covered = [case for case in cases if self.covers(case)]
        own = [case for case in covered if case.requirement == self.requirement]
        return own or covered

    def describe(self) -> str:
        parts = [self.reason]
        if self.issue:
            parts.append(self.issue)
        if self.expires:
            parts.append(f"until {self.expires.isoformat()}")
        return "; ".join(parts)


def matches(pattern: str, nodeid: str) -> bool:
    """A case pattern: `*` matches anything, every other character itself (node ids hold
    brackets, which fnmatch would read as character classes)."""
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, nodeid) is not None


@cache
def case_operations(nodeid: str) -> set[str]:
    """The operations a case id names: an operationId in its parameters (permission cells,
    authentication cases) or `[METHOD /path]` (generated requests)."""
    params = nodeid.partition("[")[2]
    words = set(re.findall(r"[A-Za-z]+", params))
    found = set()
    for operation_id, (method, path, _) in operations().items():
        if operation_id in words or f"[{method} {path}]" in nodeid:
            found.add(operation_id)
    return found


# ---------------------------------------------------------------- reading the file


class KnownFailures:
    def __init__(self, path: str, entries: Sequence[Entry]) -> None:
        self.path = path
        self.entries = list(entries)
        self.today = datetime.datetime.now(datetime.UTC).date()

    def covering(self, case: Case, broken: str) -> tuple[Entry | None, Entry | None]:
        """The first live entry that covers a failure of `broken` in this case, and the first
        expired one that would have."""
        found = [e for e in self.entries if e.requirement == broken and e.covers(case)]
        live = next((e for e in found if not e.expired(self.today)), None)
        expired = next((e for e in found if e.expired(self.today)), None)
        return live, expired


def parse(path: str, text: str) -> KnownFailures:
    """The entries of a known-failures file; anything wrong is a usage error naming the entry."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise pytest.UsageError(f"--known-failures {path}: not YAML: {error}") from None
    if data is None or data == {TOP_KEY: None}:  # an empty file, or `known_failures:` alone
        data = {TOP_KEY: []}
    if not isinstance(data, dict) or not isinstance(data.get(TOP_KEY), list):
        raise pytest.UsageError(f"--known-failures {path}: must hold a list `{TOP_KEY}:`")
    return KnownFailures(path, [entry(path, n, row) for n, row in enumerate(data[TOP_KEY], 1)])


def entry(path: str, number: int, row: object) -> Entry:
    def refuse(problem: str) -> pytest.UsageError:
        return pytest.UsageError(f"--known-failures {path}: entry {number}: {problem}")

    if not isinstance(row, dict):
        raise refuse("must be a mapping with `requirement` and `reason`")
    unknown = sorted(set(row) - set(FIELDS))
    if unknown:
        raise refuse(f"unknown key(s) {', '.join(map(str, unknown))} (known: {', '.join(FIELDS)})")
    req_id = row.get("requirement")
    if not isinstance(req_id, str) or req_id not in catalogue():
        raise refuse(f"requirement {req_id!r} is not in the catalogue (openapi/requirements.yaml)")
    reason = row.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise refuse(f"{req_id} needs a `reason`: why the server breaks it")
    found = Entry(
        number=number,
        requirement=str(req_id),
        reason=" ".join(reason.split()),
        issue=None if row.get("issue") is None else str(row["issue"]),
        expires=expiry(row.get("expires"), refuse),
        identities=names(row, "identities", refuse),
        operations=names(row, "operations", refuse),
        cases=names(row, "cases", refuse),
    )
    wrong_identity = sorted(set(found.identities) - set(IDENTITIES))
    if wrong_identity:
        raise refuse(f"identity {wrong_identity[0]!r} is none of {', '.join(IDENTITIES)}")
    wrong_operation = sorted(set(found.operations) - set(operations()))
    if wrong_operation:
        raise refuse(f"operation {wrong_operation[0]!r} is not an operationId of the contract")
    return found


def names(row: dict[str, Any], key: str, refuse: Any) -> tuple[str, ...]:
    value = row.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise refuse(f"`{key}` must be a list of names")
    return tuple(value)


def expiry(value: object, refuse: Any) -> datetime.date | None:
    if value is None or (
        isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)
    ):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise refuse(f"`expires` must be a date, YYYY-MM-DD, not {value!r}") from None


# ---------------------------------------------------------------- the plugin's hooks


def add_options(group: Any) -> None:
    group.addoption(
        "--known-failures",
        metavar="FILE",
        default=None,
        help="a YAML file of known failures: a case failing only under one of its entries is "
        "reported as known, and the run passes if nothing else broke",
    )
    group.addoption(
        "--update-known-failures",
        metavar="FILE",
        default=None,
        help="write this run's failures to FILE as known failures (keeping the reasons of "
        "entries that still match); read FILE first when it exists",
    )


def source(config: pytest.Config) -> str | None:
    """The file this run reads: --known-failures, else an existing --update-known-failures."""
    chosen = config.getoption("known_failures", None)
    update = config.getoption("update_known_failures", None)
    if chosen is None and update is not None and Path(update).is_file():
        chosen = update
    return None if chosen is None else str(chosen)


def load(config: pytest.Config) -> KnownFailures | None:
    """On the controller from the file; on an xdist worker from what the controller sent."""
    sent = getattr(config, "workerinput", {}).get(WORKER_INPUT)
    if sent is not None:
        return parse(*sent)
    path = source(config)
    if path is None:
        return None
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise pytest.UsageError(f"--known-failures: cannot read {path}: {error}") from None
    return parse(path, text)


def send(workerinput: dict[str, Any], known: KnownFailures | None) -> None:
    if known is not None:
        entries = [entry_data(e) for e in known.entries]
        workerinput[WORKER_INPUT] = [known.path, yaml.safe_dump({TOP_KEY: entries})]


def entry_data(found: Entry) -> dict[str, Any]:
    """An entry as the file holds it."""
    data: dict[str, Any] = {"requirement": found.requirement, "reason": found.reason}
    if found.issue:
        data["issue"] = found.issue
    if found.expires:
        data["expires"] = found.expires
    for name in NARROWING:
        if getattr(found, name):
            data[name] = list(getattr(found, name))
    return data


def check_collection(known: KnownFailures | None, cases: Sequence[Case]) -> None:
    """Every entry must be able to match a collected case (before -k deselects any): an entry
    that cannot is a typo or names what the suite no longer checks."""
    if known is None:
        return
    for found in known.entries:
        dead = [p for p in found.cases if not any(matches(p, c.nodeid) for c in cases)]
        if dead:
            problem = f"case pattern {dead[0]!r} matches no case of the suite"
        elif not any(found.covers(c) for c in cases):
            problem = "its narrowing matches no case of the suite"
        else:
            continue
        raise pytest.UsageError(f"--known-failures {known.path}: {found.label}: {problem}")


def classify(
    known: KnownFailures | None, case: Case, report: pytest.TestReport, broken: str, verdict: str
) -> str:
    """On the failing case's report (so it crosses from xdist workers): "known" when a live
    entry covers the failure, which then reads as pytest's xfail with the entry's reason; the
    verdict unchanged otherwise, saying so when only an expired entry covered it."""
    if known is None:
        return verdict
    live, expired = known.covering(case, broken)
    if live is not None:
        report.user_properties.append(("known_entry", live.number))
        if verdict != "warning":  # a warning's report carries its message already
            report.user_properties.append(("message", report.longreprtext))
        report.outcome = "skipped"
        report.wasxfail = f"known failure ({known.path}, {live.label}): {live.describe()}"
        return "known"
    if expired is not None and expired.expires is not None:
        report.user_properties.append(("expired_entry", expired.number))
        report.longrepr = (
            f"{report.longreprtext}\nKnown failure {expired.label} of {known.path} expired on "
            f"{expired.expires.isoformat()}: this failure counts again."
        )
    return verdict


# ---------------------------------------------------------------- after the run, on the controller


@dataclass
class EntryStatus:
    """What became of one entry in a run."""

    number: int
    requirement: str
    reason: str
    issue: str | None
    expires: str | None
    narrowing: dict[str, list[str]]
    status: str  # known, fixed, expired, not seen
    note: str
    cases: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Ran:
    """One case's outcome as this module reads it (results.Outcome has these fields)."""

    case: Case
    verdict: str
    broken: str | None
    known_entry: int | None
    expired_entry: int | None


def entry_status(found: Entry, ran: Sequence[Ran], today: datetime.date) -> EntryStatus:
    known = [r.case.nodeid for r in ran if r.known_entry == found.number]
    counted = [r.case.nodeid for r in ran if r.expired_entry == found.number]
    status = EntryStatus(
        number=found.number,
        requirement=found.requirement,
        reason=found.reason,
        issue=found.issue,
        expires=found.expires.isoformat() if found.expires else None,
        narrowing={n: list(getattr(found, n)) for n in NARROWING if getattr(found, n)},
        status="known",
        note=f"{len(known)} case(s) fail under it",
        cases=known,
    )
    if counted:
        status.status, status.cases = "expired", counted
        status.note = f"expired on {status.expires}: its {len(counted)} failure(s) count again"
        return status
    if known:
        return status
    own = {c.nodeid for c in found.own_cases(r.case for r in ran)}
    verdicts = {r.case.nodeid: r.verdict for r in ran if r.case.nodeid in own}
    status.cases = sorted(verdicts)
    status.status, status.note = unseen_or_fixed(list(verdicts.values()))
    if status.status == "fixed" and found.expired(today):
        status.note += f" (it also expired on {status.expires})"
    return status


def unseen_or_fixed(verdicts: list[str]) -> tuple[str, str]:
    """An entry no failure fell under: fixed only when every case of it ran and passed; a
    case skipped could still hide the failure, so that is not called fixed."""
    passed = sum(v in {"pass", "warning"} for v in verdicts)
    skipped = verdicts.count("skip")
    if not verdicts:
        return "not seen", "no case of it ran in this selection"
    if passed == len(verdicts):
        return "fixed", f"its {passed} case(s) pass now: remove the entry"
    if passed + skipped == len(verdicts):
        return "not seen", f"{skipped} of its {len(verdicts)} case(s) were skipped"
    return "not seen", "its cases stopped on another requirement"


def as_ran(outcome: Any) -> Ran:
    """A results.Outcome, read by its fields."""
    return Ran(
        Case(outcome.nodeid, outcome.requirement, outcome.identity),
        outcome.verdict,
        outcome.broken or outcome.requirement,
        outcome.known_entry,
        outcome.expired_entry,
    )


def statuses(known: KnownFailures, ran: Sequence[Ran]) -> list[EntryStatus]:
    return [entry_status(found, ran, known.today) for found in known.entries]


def document(known: KnownFailures, ran: Sequence[Ran]) -> dict[str, Any]:
    return {"file": known.path, "entries": [vars(s) for s in statuses(known, ran)]}


def summary_lines(known: KnownFailures, ran: Sequence[Ran], strict: bool) -> list[str]:
    lines = []
    for status in statuses(known, ran):
        note = status.note
        if status.status == "fixed":
            note += " (--strict: the run fails)" if strict else " (a warning; --strict fails)"
        lines.append(
            f"{status.status.upper():<8} {status.requirement} ({known.path} entry "
            f"{status.number}): {note}. Reason given: {status.reason}"
        )
    return lines


def fails_the_run(known: KnownFailures, ran: Sequence[Ran], strict: bool) -> bool:
    """A fixed entry fails the run under --strict (expired entries fail through their cases)."""
    return strict and any(s.status == "fixed" for s in statuses(known, ran))


# ---------------------------------------------------------------- --update-known-failures

HEADER = """\
# Known failures of the server under test, for `pytest conformance --known-failures FILE`.
# Each entry: a requirement the server breaks today, why, and optionally an issue link, an
# expiry date (YYYY-MM-DD) and a narrowing (identities, operations, cases). Remove an entry
# when the run reports it fixed.
"""


def updated(known: KnownFailures | None, ran: Sequence[Ran], today: datetime.date) -> str:
    """The file after this run: entries still failing or not seen are kept as they are, fixed
    ones dropped, and each requirement failing outside every entry gets a new one."""
    kept = []
    if known is not None:
        for status, found in zip(statuses(known, ran), known.entries, strict=True):
            if status.status != "fixed":
                kept.append(entry_data(found))
    new: dict[str, list[Ran]] = {}
    for r in ran:
        if r.verdict == "fail" and r.broken and r.expired_entry is None:
            new.setdefault(r.broken, []).append(r)
    order = list(catalogue())
    for req_id, failures in sorted(new.items(), key=lambda item: order.index(item[0])):
        data: dict[str, Any] = {
            "requirement": req_id,
            "reason": f"Found failing on {today.isoformat()}: say why, and link its issue.",
        }
        identities = {r.case.identity for r in failures}
        if None not in identities and len(identities) < len(IDENTITIES):
            data["identities"] = [i for i in IDENTITIES if i in identities]
        kept.append(data)
    return HEADER + yaml.safe_dump({TOP_KEY: kept}, sort_keys=False, allow_unicode=True)


def finish(session: pytest.Session, results: Any) -> None:
    """On the controller, after the reports: --strict fails a run that holds a fixed entry,
    and --update-known-failures writes the file."""
    ran = [as_ran(o) for o in results.outcomes]
    known = results.known
    strict = bool(session.config.getoption("strict"))
    if known is not None and fails_the_run(known, ran, strict) and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    target = session.config.getoption("update_known_failures", None)
    if target is not None and ran and not results.aborted:
        today = known.today if known else datetime.datetime.now(datetime.UTC).date()
        Path(target).write_text(updated(known, ran, today), encoding="utf-8")
        results.updated_file = str(target)
