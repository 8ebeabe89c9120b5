"""The reference server in each profile, in process: what a device shows while monitoring, the
voice link, Mute while monitoring, and the contract it serves (openapi/decisions.md#profiles)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from werkzeug.test import Client

from conformance.reference import ReferenceApp, credentials

CREDENTIALS = credentials()
AGENT_DEVICE = "0c754c1f-7a65-4a7f-9a2b-c5bb5c983653"
SUPERVISOR_DEVICE = "7534920b-ff4c-4c38-8014-6f2b82465747"
TARGET = f"http://localhost/api/v2/devices/{AGENT_DEVICE}"


def supervisors_device(profile: str, *, listening: bool) -> dict[str, Any]:
    client = Client(ReferenceApp(profile=profile))
    path = f"/api/v2/me/devices/{SUPERVISOR_DEVICE}"
    auth = CREDENTIALS["supervisor"]
    if listening:
        operation = {"operationName": "Coach", "targetDeviceUri": TARGET}
        done = client.post(
            path, json={**operation, "supervisorMonitoringScope": "Agent"}, auth=auth
        )
        assert done.status_code == 200, done.get_data(as_text=True)
    found: dict[str, Any] = json.loads(client.get(f"{path}?fields=*", auth=auth).get_data())
    return dict(found["device"])


def test_the_852_profile_shows_one_monitoring_object() -> None:
    device = supervisors_device("8.5.2", listening=True)
    assert device["supervisorMonitoringState"] == {
        "state": "Coach",
        "mode": "AllCalls",
        "scope": "Agent",
        "targetDeviceUri": TARGET,
    }
    assert "supervisorMonitoringMode" not in device
    assert "supervisorMonitoringScope" not in device
    assert "MuteMonitoredUser" in device["capabilities"]


def test_the_850_profile_shows_three_flat_strings() -> None:
    device = supervisors_device("8.5.0", listening=True)
    shown = [device.get(f"supervisorMonitoring{n}") for n in ("State", "Mode", "Scope")]
    assert shown == ["Coach", "AllCalls", "Agent"]
    assert "MuteMonitoredUser" not in device["capabilities"]


@pytest.mark.parametrize(
    ("profile", "link", "other"),
    [
        ("8.5.0", "voiceEnvironmentUri", "voiceServiceUri"),
        ("8.5.2", "voiceServiceUri", "voiceEnvironmentUri"),
    ],
)
def test_each_profile_has_its_voice_link(profile: str, link: str, other: str) -> None:
    device = supervisors_device(profile, listening=False)
    assert link in device
    assert other not in device
    assert "MuteMonitoredUser" not in device["capabilities"], "not monitoring"
    assert ("type" in device) == (profile == "8.5.2")


@pytest.mark.parametrize("profile", ["8.5.0", "8.5.2"])
def test_it_serves_its_profiles_contract(profile: str) -> None:
    response = Client(ReferenceApp(profile=profile)).get("/api/v2/openapi.yaml")
    assert response.status_code == 200
    assert yaml.safe_load(response.get_data())["info"]["x-profile"] == profile


def test_an_unknown_profile_is_refused() -> None:
    with pytest.raises(ValueError, match=r"unknown profile '8\.6'"):
        ReferenceApp(profile="8.6")
