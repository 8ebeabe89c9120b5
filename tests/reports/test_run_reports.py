"""The reports of a run against a server with planted faults: what a CI gate and a person read."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

from conformance.contract.contract import catalogue, operations
from conformance.report.docs_site import CHECKOUT_SITE, REQUIREMENT_PAGE
from tests.reports.conftest import Run

REPORTS = ("conformance.json", "conformance.md", "conformance.html", "junit.xml")


def document(run: Run) -> dict[str, Any]:
    return json.loads((run.report_dir / "conformance.json").read_text(encoding="utf-8"))


def page(run: Run) -> str:
    return (run.report_dir / "conformance.html").read_text(encoding="utf-8")


def leaks(texts: dict[str, str], secrets: list[str]) -> list[str]:
    """Where any of the secrets appears."""
    return sorted({where for where, text in texts.items() for s in secrets if s in text})


def test_the_run_fails_on_the_planted_faults(faulty_run: Run) -> None:
    failed = {r["id"] for r in document(faulty_run)["requirements"] if r["status"] == "fail"}
    assert faulty_run.returncode != 0, faulty_run.output[-2000:]
    # DEV-FUZZ-001: schemathesis's own failure text, with its reproduction, is in the reports too.
    assert {"DEV-PERM-003", "DEV-HTTP-002", "DEV-FUZZ-001"} <= failed, failed


def test_every_report_is_written(faulty_run: Run) -> None:
    missing = [name for name in REPORTS if not (faulty_run.report_dir / name).is_file()]
    assert not missing, f"not written: {missing}"


def test_no_credential_in_any_report_or_the_console(faulty_run: Run) -> None:
    files = [p for p in faulty_run.report_dir.rglob("*") if p.is_file()]
    texts = {p.name: p.read_text(encoding="utf-8", errors="replace") for p in files}
    texts |= {"output": faulty_run.output}
    assert len(files) >= len(REPORTS)
    assert not leaks(texts, faulty_run.secrets()), "credentials found in those"


def test_a_leaked_credential_would_be_found(faulty_run: Run) -> None:
    """The scan above can fail: a password or Basic token planted in a report is reported."""
    password, token = faulty_run.secrets()[:2]
    assert leaks(
        {"a.json": f'"x": "{password}"', "b.xml": f"Basic {token}"}, [password, token]
    ) == [
        "a.json",
        "b.xml",
    ]


def test_junit_cases_carry_requirement_level_and_identity(faulty_run: Run) -> None:
    root = ET.parse(faulty_run.report_dir / "junit.xml").getroot()
    cases = root.findall(".//testcase")
    props = [
        {p.get("name"): p.get("value") for p in c.findall("properties/property")} for c in cases
    ]
    assert cases
    assert all(p.get("requirement") in catalogue() for p in props), "a case without its requirement"
    assert all(p.get("level") == catalogue()[p["requirement"]].level for p in props)
    cells = [
        (c, p) for c, p in zip(cases, props, strict=True) if "test_policy_cell" in c.get("name", "")
    ]
    assert cells
    assert all(p.get("identity") for _, p in cells), "a permission case without identity"


def test_failures_come_first_with_requirement_expected_actual_and_curl(faulty_run: Run) -> None:
    html = page(faulty_run)
    failures = html[html.index('id="failures"') : html.index('id="matrix"')]
    assert html.index('id="failures"') < html.index('id="matrix"') < html.index('id="coverage"')
    assert 'href="#DEV-PERM-003"' in failures
    assert catalogue()["DEV-PERM-003"].text.split("`")[0][:40] in failures.replace("&#x27;", "'")
    assert "<b>Expected:</b>" in failures
    assert "<b>Actual:</b>" in failures
    assert re.search(r"<pre>curl [^<]*/devices/", failures), "no curl line in the failures"


def test_a_generated_request_that_failed_keeps_its_curl_line(faulty_run: Run) -> None:
    """The fuzz case records the request it failed on; the reports read it, not the text."""
    fuzzed = [
        c
        for c in document(faulty_run)["cases"]
        if c["nodeid"].split("::")[-1].startswith("test_generated_requests_conform")
        and c["verdict"] == "fail"
    ]
    assert fuzzed
    assert all(re.match(r'curl -X \w+ -u "\$DEVICES_API_\w+" ', c["curl"] or "") for c in fuzzed)


def test_each_report_links_a_broken_requirement_to_its_page_in_the_site(faulty_run: Run) -> None:
    """Without --docs-url, a checkout's run links to the site `make docs` builds beside it,
    relative to the report directory, at the anchor of the requirement's ID."""
    page_url = f"{REQUIREMENT_PAGE}#DEV-PERM-003"
    html = page(faulty_run)
    failures = html[html.index('id="failures"') : html.index('id="matrix"')]
    links = re.findall(rf'<a class="docs" href="([^"]*{re.escape(page_url)})">', failures)
    assert links, "the failure card of DEV-PERM-003 links to no requirement page"
    site = (faulty_run.report_dir / links[0].removesuffix(page_url)).resolve()
    assert site == CHECKOUT_SITE
    markdown = (faulty_run.report_dir / "conformance.md").read_text(encoding="utf-8")
    assert f"**[DEV-PERM-003]({links[0]})**" in markdown
    statuses = {r["id"]: r for r in document(faulty_run)["requirements"]}
    assert statuses["DEV-PERM-003"]["docs"] == links[0]
    root = ET.parse(faulty_run.report_dir / "junit.xml").getroot()
    docs = {
        p.get("value")
        for c in root.findall(".//testcase")
        for p in c.findall("properties/property")
        if p.get("name") == "docs"
    }
    assert links[0] in docs


def test_one_card_per_broken_requirement(faulty_run: Run) -> None:
    html = page(faulty_run)
    failures = html[html.index('id="failures"') : html.index('id="matrix"')]
    broken = {r["id"] for r in document(faulty_run)["requirements"] if r["status"] == "fail"}
    cards = re.findall(r'<article class="failure[^"]*"><h3><a href="#([\w-]+)"', failures)
    assert sorted(cards) == sorted(broken)


def test_matrix_marks_the_broken_cells_unexpected(faulty_run: Run) -> None:
    rows = {r["operation_id"]: r for r in document(faulty_run)["matrix"]["rows"]}
    assert list(rows) == list(operations())
    outcome = {c["identity"]: c["outcome"] for c in rows["getDevice"]["cells"]}
    assert outcome["agent"] == "unexpected"
    assert outcome["supervisor"] == "unexpected"
    assert {c["outcome"] for c in rows["listDevices"]["cells"]} == {"as expected"}
    html = page(faulty_run)
    assert re.search(
        r'<tr data-operation="getDevice">.*?class="unexpected" data-identity="agent"', html
    )


def test_coverage_lists_every_requirement_of_the_catalogue(faulty_run: Run) -> None:
    html = page(faulty_run)
    coverage = html[html.index('id="coverage"') :]
    missing = [req_id for req_id in catalogue() if f'<tr id="{req_id}">' not in coverage]
    assert not missing, f"not in the coverage table: {missing}"
    untested = [r for r in document(faulty_run)["requirements"] if r["status"] == "not tested"]
    assert all(r["reason"] and r["reason"] in coverage for r in untested)
