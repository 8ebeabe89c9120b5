"""The HTML writer and the matrix on small documents: each shape both ways."""

from __future__ import annotations

import re
from typing import Any

from conformance.report import html, matrix

NODE = "conformance/cases/test_permissions.py::test_policy_cell[{}]"
# The object a label names, as conformance.contract.policy.describe names it.
OBJECTS = {"own device": "own", "a missing id": "missing", "own user": "self"}
LABEL = re.compile(r"(?P<operation>\w+)\[(?P<identity>[\w-]+)(->(?P<object>[^\]]+))?\]")


def case(label: str, verdict: str, message: str = "") -> dict[str, Any]:
    """A permission case as conformance.json holds it; its cell from its label."""
    place = LABEL.fullmatch(label)
    assert place, label
    obj = place.group("object")
    return {
        "nodeid": NODE.format(label),
        "requirement": "DEV-PERM-001",
        "verdict": verdict,
        "broken": "DEV-PERM-001" if verdict == "fail" else None,
        "identity": None,
        "message": message,
        "curl": None,
        "cell": {
            "operation": place.group("operation"),
            "identity": place.group("identity"),
            "object": OBJECTS.get(obj, obj) if obj else "none",
        },
        "duration": 0.0,
    }


def cell_of(data: dict[str, Any], operation_id: str, identity: str) -> dict[str, Any]:
    row = next(r for r in data["rows"] if r["operation_id"] == operation_id)
    return next(c for c in row["cells"] if c["identity"] == identity)


def test_a_passing_denial_reads_denied_as_expected() -> None:
    cell = cell_of(matrix.build([case("listDevices[agent]", "pass")]), "listDevices", "agent")
    assert (cell["expected"], cell["outcome"]) == ("denied", "as expected")


def test_a_failing_case_makes_its_cell_unexpected() -> None:
    cell = cell_of(matrix.build([case("listDevices[agent]", "fail")]), "listDevices", "agent")
    assert cell["outcome"] == "unexpected"


def test_a_cell_without_cases_is_not_run() -> None:
    assert cell_of(matrix.build([]), "getMe", "admin")["outcome"] == "not run"


def test_a_cell_with_skipped_objects_is_partly_run() -> None:
    cases = [
        case("getDevice[admin->own device]", "skip"),
        case("getDevice[admin->a missing id]", "pass"),
    ]
    assert cell_of(matrix.build(cases), "getDevice", "admin")["outcome"] == "partly run"


def failed(label: str, **facts: str) -> dict[str, Any]:
    return {**case(label, "fail"), **facts}


def test_a_failure_shows_what_its_case_recorded() -> None:
    found = failed(
        "listDevices[agent]",
        expected="HTTP 403",
        actual='HTTP 200\n{"a": 1}',
        request="GET http://x/api/v2/devices",
        curl='curl -u "$DEVICES_API_AGENT" http://x',
        message="Expected: ignored, the page reads the recorded parts",
    )
    shown = html.failed_case(found)
    assert "<b>Expected:</b></p><pre>HTTP 403</pre>" in shown
    assert "<pre>HTTP 200\n{&quot;a&quot;: 1}</pre>" in shown
    assert "<b>Request:</b></p><pre>GET http://x/api/v2/devices</pre>" in shown
    assert (
        "<b>Reproduce:</b></p><pre>curl -u &quot;$DEVICES_API_AGENT&quot; http://x</pre>" in shown
    )
    assert "ignored" not in shown


def test_a_failure_without_recorded_parts_is_shown_whole() -> None:
    shown = html.failed_case(failed("listDevices[agent]", message="Traceback: boom"))
    assert "<b>Message:</b></p><pre>Traceback: boom</pre>" in shown


def test_the_failures_of_one_requirement_are_one_card() -> None:
    cases = [failed("listDevices[agent]"), failed("listDevices[supervisor]")]
    cases.append({**failed("getMe[agent]"), "broken": "DEV-ME-001"})
    requirements = {"DEV-PERM-001": {"level": "MUST", "text": "t", "source": "seed: Devices"}}
    section = html.failures(cases, requirements)
    assert "Failures (2 requirement(s), 3 case(s))" in section
    assert section.count("<article") == 2
    assert '<a href="#DEV-PERM-001">DEV-PERM-001</a> (MUST, fail): 2 case(s)' in section
    assert "Source: seed: Devices" in section


def test_a_card_of_warnings_only_comes_after_the_failures() -> None:
    warned = {**failed("getMe[admin]"), "verdict": "warning", "broken": "DEV-ME-002"}
    section = html.failures([warned, failed("listDevices[agent]")], {})
    assert section.index("DEV-PERM-001") < section.index("DEV-ME-002")
    assert 'class="failure warning"' in section


def document(cases: list[dict[str, Any]]) -> dict[str, Any]:
    requirement = {
        "id": "DEV-PERM-001",
        "level": "MUST",
        "text": "Only admins list.",
        "cases": [],
        "reason": "",
    }
    status = "fail" if any(c["verdict"] == "fail" for c in cases) else "pass"
    return {
        "target": {"base_url": "http://x/<b>", "writes": "none", "strict": False},
        "totals": {"MUST": {status: 1}},
        "requirements": [{**requirement, "status": status}],
        "cases": cases,
        "matrix": matrix.build(cases),
    }


def test_the_page_says_fail_and_lists_the_failure_first() -> None:
    page = html.render(
        document([case("listDevices[agent]", "fail", "Expected: 403\nActual: <200>")])
    )
    assert "FAIL: 1 requirement(s) broken" in page
    assert page.index('id="failures"') < page.index('id="matrix"')
    assert "&lt;200&gt;" in page
    assert "<200>" not in page


def test_the_page_says_pass_when_nothing_broke() -> None:
    page = html.render(document([case("listDevices[agent]", "pass")]))
    assert "PASS: no requirement broken" in page
    assert "No case failed." in page


def test_the_page_loads_nothing_from_elsewhere() -> None:
    page = html.render(document([case("listDevices[agent]", "pass")]))
    assert "<script" not in page
    assert "<link" not in page
    assert "http://x/&lt;b&gt;" in page


def test_cases_not_run_are_grouped_by_reason() -> None:
    why = (
        "needs the supervisor's devices: GET /me/devices?fields=* answered HTTP 403 (DEV-PERM-006)"
    )
    cases = [
        case("listDevices[admin]", "skip", why),
        case("getDevice[admin->own device]", "skip", why),
        case("getMe[agent]", "skip", "no credentials for agent"),
        case("getMe[admin]", "pass"),
    ]
    page = html.not_run(cases)
    assert "Not run (3)" in page
    assert f"2 case(s): {html.e(why)}" in page
    assert page.index("2 case(s)") < page.index("1 case(s): no credentials for agent")
    assert "getMe[admin]" not in page


def test_a_run_that_skipped_nothing_has_no_not_run_section() -> None:
    assert html.not_run([case("getMe[admin]", "pass")]) == ""


def discovery_case(operation: str, identity: str, verdict: str) -> dict[str, Any]:
    found = case(f"{operation}[{identity}]", verdict)
    found["cell"]["object"] = "discovery"
    found["nodeid"] = "conformance/cases/test_discovery.py::test_a_discovery_answer_conforms[x]"
    return found


def test_a_refusal_met_in_discovery_makes_its_cell_unexpected() -> None:
    cases = [
        case("listMyDevices[supervisor]", "pass"),
        discovery_case("listMyDevices", "supervisor", "fail"),
    ]
    cell = cell_of(matrix.build(cases), "listMyDevices", "supervisor")
    assert cell["outcome"] == "unexpected"
    assert cell["cases"][0]["object"] == "discovery"


def test_a_discovery_answer_counts_in_its_own_cell_only() -> None:
    cases = [case("getMe[agent]", "pass"), discovery_case("getMe", "agent", "pass")]
    data = matrix.build(cases)
    assert cell_of(data, "getMe", "agent")["outcome"] == "as expected"
    assert all(c["object"] != "discovery" for c in cell_of(data, "getMe", "admin")["cases"])


def test_a_case_without_a_cell_counts_in_none() -> None:
    """The matrix reads the cell a case recorded, not its node id."""
    unplaced = {**case("listDevices[agent]", "fail"), "cell": None}
    assert cell_of(matrix.build([unplaced]), "listDevices", "agent")["outcome"] == "not run"
