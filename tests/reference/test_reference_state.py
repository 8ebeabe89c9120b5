"""State rules of the reference server: capabilities, operations, monitoring, creation."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from conformance.reference.fixtures import (
    DEFAULT_FIXTURES,
    ROLE_AGENT,
    ROLE_SUPERVISOR,
    DeviceSeed,
    FixtureError,
    Fixtures,
    User,
    load_fixtures,
)
from conformance.reference.numbers import InvalidNumber, describe
from conformance.reference.state import (
    Device,
    OperationRequest,
    Rejected,
    Store,
    capabilities,
    parse_new_device,
    parse_operation,
    target_device_id,
)

AGENT_PUBLIC = "0c754c1f-7a65-4a7f-9a2b-c5bb5c983653"
AGENT_EXTENSION = "1fd21300-303d-401f-9b4c-0d9c2801433e"
OTHER_AGENT_PUBLIC = "383c6d40-3582-43cb-ab61-da49d6cd939f"
OTHER_AGENT_EXTENSION = "a037a11b-2a4d-4cdb-8c7f-12791d036766"
SUPERVISOR_DEVICE = "7534920b-ff4c-4c38-8014-6f2b82465747"
UNASSIGNED = "bfa7bf3e-ab27-4596-aa03-9385613f40fa"
SUPERVISOR_ONLY = ("ListenIn", "BargeIn", "Coach", "CancelSupervisorMonitoring")


@pytest.fixture
def fixtures() -> Fixtures:
    return load_fixtures()


@pytest.fixture
def store(fixtures: Fixtures) -> Store:
    return Store(fixtures)


def user(fixtures: Fixtures, persona: str) -> User:
    return fixtures.user(persona)


def device(store: Store, device_id: str) -> Device:
    found = store.device(device_id)
    assert found is not None, f"fixture device {device_id} is missing"
    return found


def operate(store: Store, device_id: str, actor: User, **body: object) -> Device:
    return store.operate(device_id, actor, parse_operation(body))


def uri(device_id: str) -> str:
    return f"http://127.0.0.1:8080/api/v2/devices/{device_id}"


def listen_in(store: Store, fixtures: Fixtures, target: str = AGENT_PUBLIC) -> Device:
    supervisor = user(fixtures, "supervisor")
    return operate(
        store, SUPERVISOR_DEVICE, supervisor, operationName="ListenIn", targetDeviceUri=uri(target)
    )


# --- capabilities ----------------------------------------------------------------------------


def test_fresh_agent_device_offers_do_not_disturb_on_and_forward_on(
    store: Store, fixtures: Fixtures
) -> None:
    """An agent's device with DND off and no forwarding offers exactly the two On operations."""
    agent = user(fixtures, "agent")
    assert capabilities(device(store, AGENT_PUBLIC), agent) == ["DoNotDisturbOn", "ForwardCallsOn"]


def test_do_not_disturb_on_swaps_the_capability(store: Store, fixtures: Fixtures) -> None:
    """DoNotDisturbOn turns DND on; the device then offers DoNotDisturbOff instead."""
    agent = user(fixtures, "agent")
    after = operate(store, AGENT_PUBLIC, agent, operationName="DoNotDisturbOn")
    assert after.do_not_disturb
    assert "DoNotDisturbOff" in capabilities(after, agent)
    assert "DoNotDisturbOn" not in capabilities(after, agent)


def test_do_not_disturb_off_swaps_it_back(store: Store, fixtures: Fixtures) -> None:
    """DoNotDisturbOff after DoNotDisturbOn restores DND off and the On capability."""
    agent = user(fixtures, "agent")
    operate(store, AGENT_PUBLIC, agent, operationName="DoNotDisturbOn")
    after = operate(store, AGENT_PUBLIC, agent, operationName="DoNotDisturbOff")
    assert not after.do_not_disturb
    assert capabilities(after, agent) == ["DoNotDisturbOn", "ForwardCallsOn"]


def test_forward_to_is_set_only_while_forwarding(store: Store, fixtures: Fixtures) -> None:
    """ForwardCallsOn records the destination; ForwardCallsOff removes it."""
    agent = user(fixtures, "agent")
    forwarding = operate(
        store, AGENT_PUBLIC, agent, operationName="ForwardCallsOn", destination="+16509870001"
    )
    assert forwarding.forward_to == "+16509870001"
    assert capabilities(forwarding, agent) == ["DoNotDisturbOn", "ForwardCallsOff"]
    stopped = operate(store, AGENT_PUBLIC, agent, operationName="ForwardCallsOff")
    assert stopped.forward_to is None
    assert "ForwardCallsOn" in capabilities(stopped, agent)


def test_supervisor_sees_monitoring_capabilities_on_its_own_device(
    store: Store, fixtures: Fixtures
) -> None:
    """A supervisor's own device, DND on, not monitoring, offers the vendor sample's list."""
    supervisor = user(fixtures, "supervisor")
    assert capabilities(device(store, SUPERVISOR_DEVICE), supervisor) == [
        "DoNotDisturbOff",
        "ForwardCallsOn",
        "ListenIn",
        "BargeIn",
        "Coach",
    ]


@pytest.mark.parametrize("viewer", ["admin", "agent", "other-agent"])
def test_viewer_without_supervisor_role_sees_no_supervisor_capability(
    store: Store, fixtures: Fixtures, viewer: str
) -> None:
    """Nobody without ROLE_SUPERVISOR sees a supervisor capability, even while monitoring."""
    monitoring = listen_in(store, fixtures)
    shown = capabilities(monitoring, user(fixtures, viewer))
    assert not set(shown) & set(SUPERVISOR_ONLY), shown


def test_supervisor_sees_no_monitoring_capability_on_an_agents_device(
    store: Store, fixtures: Fixtures
) -> None:
    """Supervisor capabilities belong to the supervisor's own device only."""
    supervisor = user(fixtures, "supervisor")
    shown = capabilities(device(store, AGENT_PUBLIC), supervisor)
    assert not set(shown) & set(SUPERVISOR_ONLY), shown


# --- monitoring ------------------------------------------------------------------------------


def test_listen_in_records_monitoring_with_defaults(store: Store, fixtures: Fixtures) -> None:
    """ListenIn without scope or mode monitors with scope Call and mode AllCalls."""
    monitoring = listen_in(store, fixtures).monitoring
    assert monitoring is not None
    assert (monitoring.state, monitoring.scope, monitoring.mode) == ("ListenIn", "Call", "AllCalls")
    assert monitoring.target_device_id == AGENT_PUBLIC


def test_monitoring_adds_cancel_beside_the_monitoring_capabilities(
    store: Store, fixtures: Fixtures
) -> None:
    """While monitoring, CancelSupervisorMonitoring appears and ListenIn, BargeIn, Coach stay."""
    shown = capabilities(listen_in(store, fixtures), user(fixtures, "supervisor"))
    assert {"ListenIn", "BargeIn", "Coach", "CancelSupervisorMonitoring"} <= set(shown)


def test_cancel_ends_monitoring(store: Store, fixtures: Fixtures) -> None:
    """CancelSupervisorMonitoring clears the monitoring state and the Cancel capability."""
    supervisor = user(fixtures, "supervisor")
    listen_in(store, fixtures)
    after = operate(
        store, SUPERVISOR_DEVICE, supervisor, operationName="CancelSupervisorMonitoring"
    )
    assert after.monitoring is None
    assert "CancelSupervisorMonitoring" not in capabilities(after, supervisor)


def test_monitoring_mode_and_scope_are_kept(store: Store, fixtures: Fixtures) -> None:
    """Coach with scope Agent and mode NextCall records both."""
    supervisor = user(fixtures, "supervisor")
    after = operate(
        store,
        SUPERVISOR_DEVICE,
        supervisor,
        operationName="Coach",
        targetDeviceUri=uri(OTHER_AGENT_PUBLIC),
        supervisorMonitoringScope="Agent",
        supervisorMonitoringMode="NextCall",
    )
    assert after.monitoring is not None
    assert (after.monitoring.state, after.monitoring.scope, after.monitoring.mode) == (
        "Coach",
        "Agent",
        "NextCall",
    )


@pytest.mark.parametrize(
    "target",
    [SUPERVISOR_DEVICE, UNASSIGNED, "no-such-device"],
    ids=["own-device", "unassigned", "unknown"],
)
def test_monitoring_target_must_be_another_users_device(
    store: Store, fixtures: Fixtures, target: str
) -> None:
    """ListenIn on the caller's own, an unassigned or an unknown device is refused."""
    with pytest.raises(Rejected) as refused:
        listen_in(store, fixtures, target=target)
    assert refused.value.code == 2
    assert device(store, SUPERVISOR_DEVICE).monitoring is None


def test_a_device_monitored_by_another_supervisor_is_refused(fixtures: Fixtures) -> None:
    """Only one supervisor at a time monitors a device."""
    second = replace(fixtures.user("supervisor"), persona="second", id="f" * 32, user_name="s2")
    second_device = DeviceSeed(
        "11111111-2222-4333-8444-555555555555",
        "second",
        "+33142685301",
        "Public",
        "CloudDevice",
        "Active",
        False,
        None,
    )
    store = Store(
        replace(
            fixtures,
            users=(*fixtures.users, second),
            devices=(*fixtures.devices, second_device),
        )
    )
    listen_in(store, fixtures)
    with pytest.raises(Rejected) as refused:
        operate(
            store,
            second_device.id,
            second,
            operationName="BargeIn",
            targetDeviceUri=uri(AGENT_PUBLIC),
        )
    assert refused.value.code == 2
    assert device(store, second_device.id).monitoring is None


# --- refused operations change nothing -------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "device_id", "body"),
    [
        ("agent", AGENT_PUBLIC, {"operationName": "DoNotDisturbOff"}),
        ("agent", AGENT_PUBLIC, {"operationName": "ForwardCallsOff"}),
        ("supervisor", SUPERVISOR_DEVICE, {"operationName": "DoNotDisturbOn"}),
        ("supervisor", SUPERVISOR_DEVICE, {"operationName": "CancelSupervisorMonitoring"}),
        ("agent", AGENT_PUBLIC, {"operationName": "ListenIn", "targetDeviceUri": uri(UNASSIGNED)}),
        (
            "other-agent",
            OTHER_AGENT_EXTENSION,
            {"operationName": "ForwardCallsOn", "destination": "1"},
        ),
    ],
    ids=[
        "dnd-off-while-off",
        "forward-off-while-not-forwarding",
        "dnd-on-while-on",
        "cancel-while-not-monitoring",
        "listen-in-by-agent",
        "forward-on-while-forwarding",
    ],
)
def test_operation_outside_capabilities_is_refused_and_changes_nothing(
    store: Store, fixtures: Fixtures, persona: str, device_id: str, body: dict[str, object]
) -> None:
    """An operation the device does not offer now is refused with statusCode 2."""
    before = device(store, device_id)
    with pytest.raises(Rejected) as refused:
        store.operate(device_id, user(fixtures, persona), parse_operation(body))
    assert refused.value.code == 2
    assert device(store, device_id) == before


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, 1),
        ({"operationName": "Teleport"}, 2),
        ({"operationName": ["DoNotDisturbOn"]}, 2),
        ({"operationName": "ForwardCallsOn"}, 1),
        ({"operationName": "ForwardCallsOn", "destination": "call me"}, 2),
        ({"operationName": "ForwardCallsOn", "destination": 5551234}, 2),
        ({"operationName": "ListenIn"}, 1),
        (
            {
                "operationName": "Coach",
                "targetDeviceUri": uri(AGENT_PUBLIC),
                "supervisorMonitoringMode": "Sometimes",
            },
            2,
        ),
        (
            {
                "operationName": "BargeIn",
                "targetDeviceUri": uri(AGENT_PUBLIC),
                "supervisorMonitoringScope": "call",
            },
            2,
        ),
    ],
    ids=[
        "no-name",
        "unknown-name",
        "name-not-string",
        "forward-without-destination",
        "destination-not-a-number",
        "destination-not-string",
        "listen-in-without-target",
        "bad-mode",
        "scope-case-sensitive",
    ],
)
def test_operation_body_is_checked(body: dict[str, object], code: int) -> None:
    """A missing member is statusCode 1; an invalid one is statusCode 2."""
    with pytest.raises(Rejected) as refused:
        parse_operation(body)
    assert refused.value.code == code


def test_operation_ignores_unknown_members() -> None:
    """Members an operation does not use are ignored."""
    assert parse_operation({"operationName": "DoNotDisturbOn", "colour": "red"}) == (
        OperationRequest("DoNotDisturbOn")
    )


def test_target_device_id_is_the_last_path_segment_after_devices() -> None:
    """Any URI whose path ends with /devices/<id> names device <id>."""
    assert target_device_id("https://gws.example/api/v2/devices/abc?x=1") == "abc"
    assert target_device_id("/api/v2/me/devices/abc") == "abc"
    assert target_device_id("http://gws.example/api/v2/users/abc") is None
    assert target_device_id("http://[::1") is None


# --- creation --------------------------------------------------------------------------------


def test_telephony_network_defaults_to_private() -> None:
    """A creation body without telephonyNetwork gets Private, and model CloudDevice."""
    new = parse_new_device({"phoneNumber": "+14155550123"})
    assert (new.telephony_network, new.model) == ("Private", "CloudDevice")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, 1),
        ({"phoneNumber": 16509870000}, 2),
        ({"phoneNumber": None}, 2),
        ({"phoneNumber": ""}, 2),
        ({"phoneNumber": "+1 650 987 0000"}, 2),
        ({"phoneNumber": "+10000000000"}, 2),
        ({"phoneNumber": "12345678901"}, 2),
        ({"phoneNumber": "+80012345678"}, 2),
        ({"phoneNumber": "3009", "telephonyNetwork": "public"}, 2),
        ({"phoneNumber": "3009", "model": 7}, 2),
        ({"phoneNumber": "3009", "model": "m" * 65}, 2),
    ],
    ids=[
        "missing",
        "number-not-string",
        "null",
        "empty",
        "spaces",
        "invalid-number",
        "extension-too-long",
        "non-geographic",
        "network-case-sensitive",
        "model-not-string",
        "model-too-long",
    ],
)
def test_creation_body_is_checked(body: dict[str, object], code: int) -> None:
    """A missing phoneNumber is statusCode 1; an invalid value is statusCode 2."""
    with pytest.raises(Rejected) as refused:
        parse_new_device(body)
    assert refused.value.code == code


def test_creation_ignores_unknown_members() -> None:
    """Unknown members of a creation body are ignored."""
    new = parse_new_device({"phoneNumber": "3009", "telephonyNetwork": "Public", "extra": [1]})
    assert (new.phone_number, new.telephony_network) == ("3009", "Public")


def test_created_device_is_active_unassigned_and_derived(store: Store) -> None:
    """A device created without owner is Active, vendor Genesys, with derived number facts."""
    created = store.create_device(parse_new_device({"phoneNumber": "+442079460124"}))
    assert (created.device_state, created.vendor, created.owner_id) == ("Active", "Genesys", None)
    assert created.number.country_code == "GB"
    assert created.number.calling_code == "44"
    assert created.number.e164 == "+442079460124"
    assert store.device(created.id) == created


def test_number_in_use_is_forbidden_and_adds_nothing(store: Store) -> None:
    """A phone number any device already has is refused with statusCode 3."""
    before = store.devices()
    with pytest.raises(Rejected) as refused:
        store.create_device(parse_new_device({"phoneNumber": "3001"}))
    assert refused.value.code == 3
    assert store.devices() == before


def test_device_is_assigned_only_to_an_agent(store: Store, fixtures: Fixtures) -> None:
    """Assigning a device to a user without ROLE_AGENT is refused with statusCode 2."""
    admin = user(fixtures, "admin")
    assert ROLE_AGENT not in admin.roles
    with pytest.raises(Rejected) as refused:
        store.create_device(parse_new_device({"phoneNumber": "3009"}), admin)
    assert refused.value.code == 2


def test_reset_restores_the_fixture_devices(store: Store, fixtures: Fixtures) -> None:
    """reset() drops created devices and undoes operations."""
    before = store.devices()
    store.create_device(parse_new_device({"phoneNumber": "3009"}))
    operate(store, AGENT_PUBLIC, user(fixtures, "agent"), operationName="DoNotDisturbOn")
    store.reset()
    assert store.devices() == before


# --- numbers and fixtures --------------------------------------------------------------------


def test_extension_has_empty_country_and_is_its_own_e164() -> None:
    """An internal extension has an all-empty country; e164Number and localNumber are itself."""
    facts = describe("3001")
    assert (facts.country_name, facts.country_code, facts.calling_code) == ("", "", "")
    assert (facts.e164, facts.local) == ("3001", "3001")


def test_public_number_facts_match_the_seed_sample() -> None:
    """+16509870000 is United States, US, 1, California, local 6509870000."""
    facts = describe("+16509870000")
    assert (facts.country_name, facts.country_code, facts.calling_code) == (
        "United States",
        "US",
        "1",
    )
    assert (facts.location, facts.local, facts.e164) == ("California", "6509870000", "+16509870000")


def test_number_not_in_e164_form_is_invalid() -> None:
    """A number with a trunk prefix after the country code is not accepted as written."""
    with pytest.raises(InvalidNumber):
        describe("+4402079460123")


def test_fixture_devices_cover_the_roles(fixtures: Fixtures) -> None:
    """Agent and other-agent own two devices each, supervisor one, and one is unassigned."""
    owners = [seed.owner for seed in fixtures.devices]
    assert sorted(owners, key=str) == sorted(
        ["agent", "agent", "other-agent", "other-agent", "supervisor", None], key=str
    )
    assert ROLE_SUPERVISOR in fixtures.user("supervisor").roles
    assert all(len(u.id) == 32 and u.id == u.id.lower() for u in fixtures.users)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("owner: agent", "owner: nobody"), "unknown owner"),
        (("owner: supervisor", "owner: admin"), "lacks ROLE_AGENT"),
        (('phoneNumber: "3002"', 'phoneNumber: "3001"'), "repeated phoneNumber"),
        (("agentState: NotReady", "agentState: Away"), "unknown 'Away'"),
        (("telephonyNetwork: Public", "telephonyNetwork: PSTN"), "telephonyNetwork"),
    ],
    ids=["unknown-owner", "owner-not-agent", "repeated-number", "unknown-state", "bad-network"],
)
def test_inconsistent_fixture_file_is_refused(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    """A fixture file with a broken reference or value stops loading with a message naming it."""
    text = DEFAULT_FIXTURES.read_text(encoding="utf-8")
    assert change[0] in text
    broken = tmp_path / "fixtures.yaml"
    broken.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(FixtureError, match=message):
        load_fixtures(broken)
