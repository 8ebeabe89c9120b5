"""A known-failures file as an implementer adopts it, run by run: against a server that breaks
two requirements (DEV-ME-001 and DEV-OPS-003), the gate fails without the file, passes with one
naming both, and fails on the one a file leaves out; against the reference server both entries
are reported fixed (a failure under --strict); an entry that cannot match, or has expired, is
caught; one command writes the file. Each run is `pytest conformance --base-url ...` in a
subprocess, its reports read back."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from conformance.plugin import EXIT_USAGE
from conformance.reference import ReferenceApp
from conformance.report.known_failures import (
    Case,
    Entry,
    case_operations,
    matches,
    parse,
    unseen_or_fixed,
)
from tests.broken.catalogue import by_name
from tests.broken.faults import layered, rewrite_json, route
from tests.broken.replacements import user_field
from tests.harness import ROOT, SuiteRun, run_suite, served, suite_environment

BROKEN = ("DEV-ME-001", "DEV-OPS-003")
# The forwarding fault of the catalogue with /me's userName upper-cased on top.
TWO_FAULTS = layered(
    rewrite_json(user_field("userName", str.upper), route("/me")),
    base=by_name("forward-without-destination").build,
)
# Both requirements' cases and their neighbours, which must keep passing: a few seconds a run.
SELECTION = ("-k", "DEV-ME or DEV-OPS")
REASONS = {
    "DEV-ME-001": "The directory connector upper-cases user names.",
    "DEV-OPS-003": "ForwardCallsOn falls back to the voicemail number.",
}


@pytest.fixture(scope="module")
def broken_url() -> Iterator[str]:
    with served(TWO_FAULTS()) as url:
        yield url


@pytest.fixture(scope="module")
def reference_url() -> Iterator[str]:
    with served(ReferenceApp()) as url:
        yield url


def known_file(directory: Path, *entries: dict[str, Any]) -> str:
    path = directory / "known-failures.yaml"
    path.write_text(yaml.safe_dump({"known_failures": list(entries)}), encoding="utf-8")
    return str(path)


def entry(req_id: str, **more: Any) -> dict[str, Any]:
    return {"requirement": req_id, "reason": REASONS[req_id], **more}


def statuses(run: SuiteRun) -> dict[str, str]:
    return {r["id"]: r["status"] for r in run.report["requirements"] if r["id"] in BROKEN}


def entry_statuses(run: SuiteRun) -> dict[str, str]:
    return {e["requirement"]: e["status"] for e in run.report["known_failures"]["entries"]}


def suite(url: str, reports: Path, *args: str) -> SuiteRun:
    """The run, its reports kept in `reports` for a test to read."""
    return run_suite(url, *SELECTION, *args, "-rx", report_dir=reports)


def test_without_the_file_the_run_fails_and_one_command_writes_it(
    broken_url: str, tmp_path: Path
) -> None:
    """Adoption: one run writes the file (judged without it, so it fails); the gate run with
    the file passes, under xdist too, where the verdict is made on the workers and the exit
    status on the controller."""
    path = tmp_path / "known-failures.yaml"
    adopt = suite(broken_url, tmp_path / "adopt", "--update-known-failures", str(path))
    assert adopt.returncode == 1, adopt.output[-3000:]
    assert statuses(adopt) == dict.fromkeys(BROKEN, "fail"), adopt.output[-3000:]
    assert f"Known failures written to {path}" in adopt.output
    written = yaml.safe_load(path.read_text(encoding="utf-8"))["known_failures"]
    assert [e["requirement"] for e in written] == list(BROKEN)
    assert all("say why" in e["reason"] for e in written)
    gate = suite(broken_url, tmp_path / "gate", "--known-failures", str(path), "-n", "2")
    assert gate.returncode == 0, gate.output[-3000:]
    assert statuses(gate) == dict.fromkeys(BROKEN, "known"), gate.output[-3000:]
    assert "5 xfailed" in gate.output, gate.output[-3000:]


def test_a_file_naming_both_passes_and_every_report_shows_them_known(
    broken_url: str, tmp_path: Path
) -> None:
    path = known_file(tmp_path, *(entry(req_id) for req_id in BROKEN))
    report_dir = tmp_path / "reports"
    run = suite(broken_url, report_dir, "--known-failures", path)
    assert run.returncode == 0, run.output[-3000:]
    assert statuses(run) == dict.fromkeys(BROKEN, "known"), run.output[-3000:]
    assert entry_statuses(run) == dict.fromkeys(BROKEN, "known")
    for reason in REASONS.values():
        assert reason in run.output, run.output[-3000:]
    check_reports(report_dir)


def check_reports(report_dir: Path) -> None:
    """Known failures apart from new ones, with their reasons, in every report."""
    markdown = (report_dir / "conformance.md").read_text(encoding="utf-8")
    assert "## Known failures" in markdown
    assert "## Failures" not in markdown
    page = (report_dir / "conformance.html").read_text(encoding="utf-8")
    assert "PASS: no new failure" in page
    assert (
        "No case failed." in page[page.index('id="failures"') : page.index('id="known-failures"')]
    )
    known = page[page.index('id="known-failures"') : page.index('id="matrix"')]
    for req_id, reason in REASONS.items():
        assert reason in markdown
        assert reason in known
        assert f'href="#{req_id}"' in known
    assert "<b>Actual:</b>" in known, "the failure itself is not shown"
    junit = ET.parse(report_dir / "junit.xml").getroot()
    skipped = {
        str(case.get("name")): case.find("skipped")
        for case in junit.iter("testcase")
        if case.find("skipped") is not None
    }
    forwarding = skipped["test_forwarding_without_destination_is_refused"]
    assert forwarding is not None
    assert REASONS["DEV-OPS-003"] in str(forwarding.get("message"))
    assert not list(junit.iter("failure")), "a known failure reads as a failure in junit.xml"
    cases = json.loads((report_dir / "conformance.json").read_text(encoding="utf-8"))["cases"]
    known_cases = [c for c in cases if c["verdict"] == "known"]
    assert {c["broken"] for c in known_cases} == set(BROKEN)
    assert all("Expected:" in c["message"] for c in known_cases)


def test_a_file_naming_one_fails_on_the_other_and_the_update_keeps_its_reason(
    broken_url: str, tmp_path: Path
) -> None:
    """--update-known-failures keeps an entry that still matches as it was and adds the
    requirement failing outside the file; its own run is judged by the file as it was."""
    kept = entry("DEV-ME-001", issue="https://tracker.example/DEV-12")
    path = known_file(tmp_path, kept)
    run = suite(broken_url, tmp_path / "reports", "--update-known-failures", path)
    assert run.returncode == 1, run.output[-3000:]
    assert statuses(run) == {"DEV-ME-001": "known", "DEV-OPS-003": "fail"}
    assert "FAIL    DEV-OPS-003" in run.output
    written = yaml.safe_load(Path(path).read_text(encoding="utf-8"))["known_failures"]
    assert [e["requirement"] for e in written] == list(BROKEN)
    assert written[0] == kept


def test_against_a_correct_server_both_entries_are_fixed(
    reference_url: str, tmp_path: Path
) -> None:
    """Fixed entries fail the run under --strict (the next test shows the warning without)."""
    path = known_file(tmp_path, *(entry(req_id) for req_id in BROKEN))
    run = suite(reference_url, tmp_path / "reports", "--known-failures", path, "--strict")
    assert run.returncode == 1, run.output[-3000:]
    assert entry_statuses(run) == dict.fromkeys(BROKEN, "fixed")
    assert run.output.count("pass now: remove the entry (--strict: the run fails)") == 2
    page = (tmp_path / "reports" / "conformance.html").read_text(encoding="utf-8")
    assert "FAIL (--strict): 2 known-failure entry(ies) fixed" in page


def test_an_entry_whose_cases_were_skipped_is_not_called_fixed(
    reference_url: str, tmp_path: Path
) -> None:
    """A read-only run skips the forwarding case: that entry is neither fixed nor known; the
    other is fixed, which without --strict is a warning."""
    path = known_file(tmp_path, *(entry(req_id) for req_id in BROKEN))
    run = suite(reference_url, tmp_path / "reports", "--known-failures", path, "--writes", "none")
    assert run.returncode == 0, run.output[-3000:]
    assert entry_statuses(run) == {"DEV-ME-001": "fixed", "DEV-OPS-003": "not seen"}
    assert "remove the entry (a warning; --strict fails)" in run.output, run.output[-3000:]
    assert "NOT SEEN DEV-OPS-003" in run.output, run.output[-3000:]


def test_an_expired_entry_fails_again(broken_url: str, tmp_path: Path) -> None:
    path = known_file(
        tmp_path,
        entry("DEV-ME-001", expires="2099-12-31"),
        entry("DEV-OPS-003", expires="2020-01-31"),
    )
    run = suite(broken_url, tmp_path / "reports", "--known-failures", path)
    assert run.returncode == 1, run.output[-3000:]
    assert statuses(run) == {"DEV-ME-001": "known", "DEV-OPS-003": "fail"}
    assert entry_statuses(run) == {"DEV-ME-001": "known", "DEV-OPS-003": "expired"}
    assert "expired on 2020-01-31: this failure counts again" in run.output


@pytest.mark.parametrize(
    ("stale", "says", "workers"),
    [
        (
            {"requirement": "DEV-OPS-03", "reason": "typo"},
            "'DEV-OPS-03' is not in the catalogue",
            "0",
        ),
        (
            entry("DEV-OPS-003", cases=["conformance/cases/test_operations.py::test_forward_to*"]),
            "case pattern 'conformance/cases/test_operations.py::test_forward_to*' matches no case",
            "0",
        ),
        # Found at collection, which xdist leaves to its workers (one is enough to show it).
        (
            entry("DEV-ME-001", operations=["getMe"], cases=["*test_linked_sequences_conform*"]),
            "its narrowing matches no case of the suite",
            "1",
        ),
    ],
    ids=["requirement", "case-pattern", "narrowing-under-xdist"],
)
def test_an_entry_that_matches_no_case_is_a_usage_error(
    broken_url: str, tmp_path: Path, stale: dict[str, Any], says: str, workers: str
) -> None:
    path = known_file(tmp_path, entry("DEV-ME-001"), stale)
    run = suite(broken_url, tmp_path / "reports", "--known-failures", path, "-n", workers)
    assert run.returncode == EXIT_USAGE, run.output[-3000:]
    assert f"{path}: entry 2" in run.output, run.output[-3000:]
    assert says in run.output, run.output[-3000:]
    assert "Traceback" not in run.output
    assert "INTERNALERROR" not in run.output


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("known_failures: [", "not YAML"),
        ("- requirement: DEV-ME-001", "must hold a list `known_failures:`"),
        ("known_failures:\n- requirement: DEV-ME-001", "DEV-ME-001 needs a `reason`"),
        (
            "known_failures:\n- {requirement: DEV-ME-001, reason: r, identity: agent}",
            "unknown key(s) identity",
        ),
        (
            "known_failures:\n- {requirement: DEV-ME-001, reason: r, expires: next week}",
            "`expires` must be a date, YYYY-MM-DD, not 'next week'",
        ),
        (
            "known_failures:\n- {requirement: DEV-ME-001, reason: r, identities: [agnet]}",
            "entry 1: identity 'agnet' is none of admin, supervisor, agent, other-agent",
        ),
        (
            "known_failures:\n- {requirement: DEV-ME-001, reason: r, operations: [getMee]}",
            "entry 1: operation 'getMee' is not an operationId of the contract",
        ),
    ],
)
def test_a_malformed_file_is_refused_with_its_reason(text: str, says: str) -> None:
    with pytest.raises(pytest.UsageError, match=r"known-failures\.yaml") as refused:
        parse("known-failures.yaml", text)
    assert says in str(refused.value)


def test_a_missing_file_is_a_usage_error() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "conformance", "--known-failures", "no-such.yaml",
         "-p", "no:cacheprovider"],
        cwd=ROOT, capture_output=True, text=True, check=False, env=suite_environment(),
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == EXIT_USAGE, output
    assert "cannot read no-such.yaml" in output
    assert "Traceback" not in output


# ---------------------------------------------------------------- the matching rules, in process

CELL = "conformance/cases/test_permissions.py::test_policy_cell[getDevice[agent->own device]]"
FIELDS_CASE = "conformance/cases/test_fields.py::test_id_is_always_returned[agent]"


def one_entry(**fields: Any) -> Entry:
    return parse("f.yaml", yaml.safe_dump({"known_failures": [fields]})).entries[0]


def test_a_case_pattern_takes_brackets_literally() -> None:
    assert matches("conformance/cases/test_permissions.py::test_policy_cell[getDevice[agent*", CELL)
    assert matches("*[getDevice[agent->own device]]", CELL)
    assert not matches("*[getDevice[a]*", CELL), "a bracket read as a character class"
    assert not matches("test_policy_cell*", CELL), "a pattern matches the whole node id"


def test_operations_are_read_from_the_case_id() -> None:
    assert case_operations(CELL) == {"getDevice"}
    fuzz = "conformance/cases/test_fuzz.py::test_generated_requests_conform[GET /devices/{id}]"
    assert case_operations(fuzz) == {"getDevice"}
    assert case_operations(FIELDS_CASE) == set()


def test_a_narrowed_general_requirement_is_judged_on_every_case_within_it() -> None:
    """DEV-HTTP-002 narrowed to the fields cases has no case of its own there: those cases
    decide whether it is fixed; without narrowing, its own cases do."""
    fields_case = Case(FIELDS_CASE, "DEV-FLD-004", "agent")
    own_case = Case(
        "conformance/cases/test_envelope.py::test_odd_reads[long-id]", "DEV-HTTP-002", None
    )
    narrowed = one_entry(requirement="DEV-HTTP-002", reason="r", cases=["*test_fields.py*"])
    assert narrowed.own_cases([fields_case, own_case]) == [fields_case]
    plain = one_entry(requirement="DEV-HTTP-002", reason="r")
    assert plain.own_cases([fields_case, own_case]) == [own_case]


@pytest.mark.parametrize(
    ("verdicts", "status", "note"),
    [
        (["pass", "pass"], "fixed", "pass now: remove the entry"),
        (["pass", "skip"], "not seen", "1 of its 2 case(s) were skipped"),
        ([], "not seen", "no case of it ran"),
        (["pass", "fail"], "not seen", "stopped on another requirement"),
    ],
)
def test_an_entry_is_fixed_only_when_every_case_of_it_ran_and_passed(
    verdicts: list[str], status: str, note: str
) -> None:
    found, said = unseen_or_fixed(verdicts)
    assert found == status
    assert note in said
