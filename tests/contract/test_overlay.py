"""The 8.5.2 profile is what the overlay makes of the 8.5.0 one, and the overlay's actions each
change something: one whose target no longer selects anything is an error, not a silent no-op."""

from __future__ import annotations

import copy

import pytest

from . import overlay


def test_the_committed_852_document_is_up_to_date() -> None:
    committed = overlay.TARGET_PATH.read_text(encoding="utf-8")
    assert committed == overlay.generated(), "run `python -m tests.contract.overlay`"


def test_the_check_fails_on_a_stale_document(tmp_path, monkeypatch) -> None:
    stale = tmp_path / "devices-8.5.2.yaml"
    stale.write_text(overlay.generated().replace("8.5.2 and later", "8.5.3"), encoding="utf-8")
    monkeypatch.setattr(overlay, "TARGET_PATH", stale)
    monkeypatch.setattr(overlay, "ROOT", tmp_path)
    assert overlay.main(["--check"]) == 1


def test_an_action_that_selects_nothing_is_an_error() -> None:
    base = overlay.load(overlay.BASE_PATH)
    stale = {"actions": [{"target": "$.components.schemas.Gone", "remove": True}]}
    with pytest.raises(overlay.OverlayError, match="selects nothing"):
        overlay.apply(copy.deepcopy(base), stale)


def test_update_merges_objects_and_appends_to_arrays() -> None:
    document = {"a": {"b": {"c": 1, "d": 2}, "list": [1]}}
    actions = [
        {"target": "$.a", "update": {"b": {"d": 3, "e": 4}}},
        {"target": "$.a.list", "update": 2},
        {"target": "$.a.list[?@ == 1]", "remove": True},
    ]
    assert overlay.apply(document, {"actions": actions}) == {
        "a": {"b": {"c": 1, "d": 3, "e": 4}, "list": [2]}
    }


def test_the_852_profile_drops_the_flat_monitoring_attributes() -> None:
    generated = overlay.apply(overlay.load(overlay.BASE_PATH), overlay.load(overlay.OVERLAY_PATH))
    device = generated["components"]["schemas"]["Device"]["properties"]
    assert "supervisorMonitoringMode" not in device
    assert device["supervisorMonitoringState"]["$ref"].endswith("/SupervisorMonitoring")
