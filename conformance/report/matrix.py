"""The role x operation matrix of a run: for each operation and identity, what the contract's
policy expects (allowed, denied, own only) and whether the permission cases agreed.

Built from the cases' node IDs (`test_policy_cell[getDevice[agent->own device]]`) matched to the
cells of `conformance.policy`, so it works from a finished `conformance.json` as well. The
answers discovery got (`test_a_discovery_answer_conforms[supervisor:my-devices]`) count in
their cell too: a refusal met there makes the cell unexpected."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from conformance.discovery import STEPS
from conformance.policy import Cell, PolicyError, cells, describe
from conformance.target import IDENTITIES

CELL_NODE = re.compile(r"::test_policy_cell\[(?P<label>.+)\]$")
DISCOVERY_NODE = re.compile(
    r"::test_a_discovery_answer_conforms\[(?P<identity>[^:]+):(?P<step>.+)\]$"
)
STEP_OPERATIONS = {step.name: step.operation_id for step in STEPS}

# What each verdict of `x-access` means to a reader of the matrix.
EXPECTED_LABEL = {
    "allow": "allowed",
    "deny": "denied",
    "owner": "own devices only",
    "self": "own only, or denied",
}
FAILED = {"fail", "error"}


def policy_cases(cases: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """The permission cases of a run, by the label of the cell they checked."""
    found = {}
    for case in cases:
        match = CELL_NODE.search(str(case.get("nodeid", "")))
        if match:
            found[match.group("label")] = case
    return found


def discovery_cases(cases: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str], Mapping[str, Any]]:
    """The discovery cases of a run, by (operationId, identity)."""
    found = {}
    for case in cases:
        match = DISCOVERY_NODE.search(str(case.get("nodeid", "")))
        if match and match.group("step") in STEP_OPERATIONS:
            found[(STEP_OPERATIONS[match.group("step")], match.group("identity"))] = case
    return found


def outcome(verdicts: list[str]) -> str:
    """One word for a matrix cell: a single wrong answer makes it unexpected."""
    if any(v in FAILED for v in verdicts):
        return "unexpected"
    if "known" in verdicts:
        return "known failure"
    ran = [v for v in verdicts if v in {"pass", "warning"}]
    if not ran:
        return "not run"
    return "as expected" if len(ran) == len(verdicts) else "partly run"


def matrix_cell(
    identity: str,
    group: list[Cell],
    run: Mapping[str, Mapping[str, Any]],
    discovered: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    first = group[0]
    checked: list[dict[str, Any]] = []
    if discovered is not None:
        found = {"verdict": str(discovered["verdict"]), "nodeid": str(discovered["nodeid"])}
        checked.append({"object": "discovery", **found})
    for cell in group:
        case = run.get(cell.label)
        checked.append(
            {
                "object": "none" if cell.obj == "none" else describe(cell.obj),
                "verdict": str(case["verdict"]) if case else "not run",
                "nodeid": str(case["nodeid"]) if case else None,
            }
        )
    return {
        "identity": identity,
        "policy": first.verdict,
        "expected": EXPECTED_LABEL[first.verdict],
        "outcome": outcome([c["verdict"] for c in checked]),
        "requirement": first.requirement,
        "cases": checked,
    }


def build(cases: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The matrix as plain data: rows in contract order, one cell per identity."""
    cases = list(cases)
    run = policy_cases(cases)
    discovered = discovery_cases(cases)
    try:
        policy = cells()
    except PolicyError as error:  # the run reported it already; the report still gets written
        return {"identities": list(IDENTITIES), "rows": [], "error": str(error)}
    grouped: dict[str, dict[str, list[Cell]]] = {}
    for cell in policy:
        grouped.setdefault(cell.operation_id, {}).setdefault(cell.identity, []).append(cell)
    rows = []
    for operation_id, by_identity in grouped.items():
        first = next(iter(by_identity.values()))[0]
        rows.append(
            {
                "operation_id": operation_id,
                "method": first.method,
                "path": first.path,
                "requirement": first.requirement,
                "cells": [
                    matrix_cell(i, by_identity[i], run, discovered.get((operation_id, i)))
                    for i in IDENTITIES
                ],
            }
        )
    return {"identities": list(IDENTITIES), "rows": rows}
