"""The role x operation matrix of a run: for each operation and identity, what the contract's
policy expects (allowed, denied, own only) and whether the permission cases agreed.

Each permission case names the cell it judges (its `cell` marker: operation, identity, object,
recorded with its verdict), so the matrix is built from the cases' data, from a finished
`conformance.json` as well. The answers discovery got count in their cell too (object
`discovery`): a refusal met there makes the cell unexpected."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from conformance.contract.identities import IDENTITIES
from conformance.contract.policy import MEANING, Cell, PolicyError, cells, describe

Place = tuple[str, str, str]  # operation, identity, object

FAILED = {"fail", "error"}


def by_cell(cases: Iterable[Mapping[str, Any]]) -> dict[Place, Mapping[str, Any]]:
    """The cases of a run that judge a matrix cell, by the place they name."""
    found = {}
    for case in cases:
        cell = case.get("cell")
        if cell:
            found[(str(cell["operation"]), str(cell["identity"]), str(cell["object"]))] = case
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
    identity: str, group: list[Cell], run: Mapping[Place, Mapping[str, Any]]
) -> dict[str, Any]:
    first = group[0]
    checked: list[dict[str, Any]] = []
    discovered = run.get((first.operation_id, identity, "discovery"))
    if discovered is not None:
        found = {"verdict": str(discovered["verdict"]), "nodeid": str(discovered["nodeid"])}
        checked.append({"object": "discovery", **found})
    for cell in group:
        case = run.get((cell.operation_id, cell.identity, cell.obj))
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
        "expected": MEANING[first.verdict],
        "outcome": outcome([c["verdict"] for c in checked]),
        "requirement": first.requirement,
        "cases": checked,
    }


def build(cases: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The matrix as plain data: rows in contract order, one cell per identity."""
    run = by_cell(cases)
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
                "cells": [matrix_cell(i, by_identity[i], run) for i in IDENTITIES],
            }
        )
    return {"identities": list(IDENTITIES), "rows": rows}
