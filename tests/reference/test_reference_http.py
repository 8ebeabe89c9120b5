"""The reference server over HTTP, in process: envelopes, auth, routing, fields, URIs, CSRF."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import pytest
from werkzeug.test import Client, TestResponse

from conformance.reference import ReferenceApp, credentials
from conformance.reference import app as app_module
from conformance.reference.fixtures import User
from conformance.reference.state import Device

CREDENTIALS = credentials()
AGENT_PUBLIC = "0c754c1f-7a65-4a7f-9a2b-c5bb5c983653"
OTHER_AGENT_PUBLIC = "383c6d40-3582-43cb-ab61-da49d6cd939f"
SUPERVISOR_DEVICE = "7534920b-ff4c-4c38-8014-6f2b82465747"
ADMIN_ID = "4bef7e3478484a9bb9135eed95308f9f"
AGENT_ID = "33254e93b91644238d28f036ef831823"


@pytest.fixture
def app() -> ReferenceApp:
    return ReferenceApp()


@pytest.fixture
def client(app: ReferenceApp) -> Client:
    return Client(app)


def call(
    client: Client, method: str, path: str, persona: str | None = "admin", **options: Any
) -> TestResponse:
    auth = CREDENTIALS[persona] if persona else None
    return client.open(f"/api/v2{path}", method=method, auth=auth, **options)


def body(response: TestResponse) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(response.get_data())
    return data


def assert_error(response: TestResponse, status: int, code: int) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    payload = body(response)
    assert set(payload) == {"statusCode", "statusMessage"}, payload
    assert payload["statusCode"] == code, payload
    assert isinstance(payload["statusMessage"], str)


# --- authentication --------------------------------------------------------------------------


def basic(raw: bytes) -> str:
    return "Basic " + base64.b64encode(raw).decode()


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer abc",
        "Basic !!!not-base64!!!",
        basic(b"admin"),
        basic(b"admin:wrong"),
        basic(b"nobody:admin-pass-7b1c"),
        basic(b"\xff\xfe:\xff"),
    ],
    ids=[
        "missing",
        "not-basic",
        "bad-base64",
        "no-colon",
        "wrong-password",
        "unknown-user",
        "bad-utf8",
    ],
)
def test_bad_credentials_get_401_with_a_basic_challenge(
    client: Client, authorization: str | None
) -> None:
    """Missing, malformed or wrong credentials are answered 401, statusCode 20, with a challenge."""
    headers = {"Authorization": authorization} if authorization else {}
    response = client.get("/api/v2/me", headers=headers)
    assert_error(response, 401, 20)
    assert response.headers["WWW-Authenticate"].startswith("Basic realm=")


def test_me_returns_the_caller(client: Client) -> None:
    """GET /me returns the caller's user record with a 32-hex id and its roles."""
    user = body(call(client, "GET", "/me", "supervisor"))["user"]
    assert re.fullmatch(r"[0-9a-f]{32}", user["id"])
    assert user["userName"] == "supervisor"
    assert user["roles"] == ["ROLE_SUPERVISOR", "ROLE_AGENT"]
    assert user["enabled"] is True


# --- routing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/devices", "GET, POST"),
        ("PUT", f"/devices/{AGENT_PUBLIC}", "GET"),
        ("PATCH", f"/me/devices/{AGENT_PUBLIC}", "GET, POST"),
        ("POST", "/me", "GET"),
        ("HEAD", "/me/devices", "GET, POST"),
        ("OPTIONS", f"/users/{AGENT_ID}/devices", "GET, POST"),
    ],
)
def test_method_a_path_lacks_gets_405_with_allow(
    client: Client, method: str, path: str, allow: str
) -> None:
    """A method the path does not have is answered 405 listing the path's methods in Allow."""
    response = call(client, method, path)
    assert response.status_code == 405
    assert response.headers["Allow"] == allow
    if method != "HEAD":
        assert_error(response, 405, 2)


@pytest.mark.parametrize(
    "path", ["/nothing", "/devices/", "/me/devices/x/y", "//devices", "/DEVICES"]
)
def test_unknown_path_gets_404(client: Client, path: str) -> None:
    """A path the API does not have is answered 404, statusCode 6."""
    assert_error(call(client, "GET", path), 404, 6)


def test_path_outside_the_base_gets_404(client: Client) -> None:
    """Nothing is served outside /api/v2."""
    assert_error(client.get("/devices", auth=CREDENTIALS["admin"]), 404, 6)


# --- permissions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "method", "path", "status", "code"),
    [
        ("agent", "GET", "/devices", 403, 5),
        ("supervisor", "GET", "/devices", 403, 5),
        ("agent", "POST", "/devices", 403, 5),
        ("supervisor", "GET", f"/users/{AGENT_ID}/devices", 403, 5),
        ("agent", "POST", f"/users/{AGENT_ID}/devices", 403, 5),
        ("admin", "GET", "/users/ffffffffffffffffffffffffffffffff/devices", 404, 6),
        ("admin", "GET", "/me/devices", 403, 5),
        ("admin", "POST", "/me/devices", 403, 5),
        ("agent", "GET", f"/devices/{OTHER_AGENT_PUBLIC}", 403, 5),
        ("agent", "GET", "/devices/00000000-0000-4000-8000-000000000000", 404, 6),
        ("agent", "GET", f"/me/devices/{OTHER_AGENT_PUBLIC}", 403, 5),
        ("agent", "GET", "/me/devices/unknown", 404, 6),
        ("admin", "GET", f"/me/devices/{AGENT_PUBLIC}", 403, 5),
        ("other-agent", "POST", f"/me/devices/{AGENT_PUBLIC}", 403, 5),
    ],
)
def test_access_is_refused(
    client: Client, persona: str, method: str, path: str, status: int, code: int
) -> None:
    """Callers outside an operation's permission get 403; unknown resources get 404."""
    response = call(client, method, path, persona, json={"operationName": "DoNotDisturbOn"})
    assert_error(response, status, code)


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("admin", f"/devices/{AGENT_PUBLIC}"),
        ("agent", f"/devices/{AGENT_PUBLIC}"),
        ("agent", f"/me/devices/{AGENT_PUBLIC}"),
        ("admin", f"/users/{AGENT_ID}/devices"),
        ("supervisor", "/me/devices"),
        ("other-agent", "/me"),
    ],
)
def test_access_is_granted(client: Client, persona: str, path: str) -> None:
    """Admins read any device; owners read their own."""
    response = call(client, "GET", path, persona)
    assert response.status_code == 200
    assert body(response)["statusCode"] == 0


# --- collections, fields and URIs ------------------------------------------------------------


def test_collection_without_fields_lists_absolute_uris_that_resolve(client: Client) -> None:
    """GET /devices lists absolute device URIs, each answering 200 with that device."""
    uris = body(call(client, "GET", "/devices"))["uris"]
    assert len(uris) == 6
    for uri in uris:
        assert uri.startswith("http://localhost/api/v2/devices/")
        response = client.get(uri, auth=CREDENTIALS["admin"])
        assert body(response)["device"]["id"] == uri.rsplit("/", 1)[1]


def test_uris_follow_the_host_header(app: ReferenceApp) -> None:
    """URIs are built from the request's Host, so they work on any port."""
    client = Client(app)
    response = client.get(
        "/api/v2/me/devices", base_url="http://gws.test:8123", auth=CREDENTIALS["agent"]
    )
    assert body(response)["uris"] == [
        f"http://gws.test:8123/api/v2/devices/{AGENT_PUBLIC}",
        "http://gws.test:8123/api/v2/devices/1fd21300-303d-401f-9b4c-0d9c2801433e",
    ]


def test_fields_star_returns_whole_devices(client: Client) -> None:
    """fields=* returns device objects under devices, phone facts included."""
    devices = body(call(client, "GET", "/me/devices?fields=*", "agent"))["devices"]
    first = devices[0]
    assert first["id"] == AGENT_PUBLIC
    assert first["country"] == {"name": "United States", "code": "US", "callingCode": "1"}
    assert first["e164Number"] == "+16509870000"
    assert first["phoneNumberUri"].startswith("http://localhost/api/v2/phone-numbers/")
    assert first["userState"]["state"] == "Ready"
    assert "forwardTo" not in first
    assert "supervisorMonitoringState" not in first


def test_fields_list_keeps_only_those_attributes_and_id(client: Client) -> None:
    """fields=a,b returns only a, b and id; unknown names are ignored."""
    response = call(client, "GET", "/devices?fields=phoneNumber,doNotDisturb,noSuchThing")
    for device in body(response)["devices"]:
        assert set(device) == {"id", "phoneNumber", "doNotDisturb"}


def test_fields_apply_to_a_single_device(client: Client) -> None:
    """A single GET honours fields too."""
    response = call(client, "GET", f"/devices/{AGENT_PUBLIC}?fields=model")
    assert body(response)["device"] == {"id": AGENT_PUBLIC, "model": "CloudDevice"}


def test_unknown_query_parameters_and_get_bodies_are_ignored(client: Client) -> None:
    """Unknown query parameters and a body on a GET change nothing."""
    plain = body(call(client, "GET", "/devices"))
    odd = body(call(client, "GET", "/devices?status=&sort=up", data=b"{not json"))
    assert odd == plain


# --- creation and operations -----------------------------------------------------------------


def test_created_device_is_reachable_at_its_uri(client: Client) -> None:
    """POST /devices answers id and uri; the uri serves the device, telephonyNetwork Private."""
    created = body(call(client, "POST", "/devices", json={"phoneNumber": "+14155550123"}))
    assert created["statusCode"] == 0
    assert created["uri"] == f"http://localhost/api/v2/devices/{created['id']}"
    device = body(client.get(created["uri"], auth=CREDENTIALS["admin"]))["device"]
    assert device["telephonyNetwork"] == "Private"
    assert device["deviceState"] == "Active"
    assert "userState" not in device


def test_device_created_for_a_user_belongs_to_that_user(client: Client) -> None:
    """POST /users/{id}/devices assigns the new device to that user."""
    created = body(call(client, "POST", f"/users/{AGENT_ID}/devices", json={"phoneNumber": "3009"}))
    mine = body(call(client, "GET", "/me/devices", "agent"))["uris"]
    assert created["uri"] in mine


def test_device_for_a_user_without_agent_role_is_refused(client: Client) -> None:
    """A device is not assigned to a user without ROLE_AGENT: 400, statusCode 2."""
    response = call(client, "POST", f"/users/{ADMIN_ID}/devices", json={"phoneNumber": "3009"})
    assert_error(response, 400, 2)


def test_number_in_use_is_refused_and_nothing_is_added(client: Client) -> None:
    """Creating a device with a number in use answers 403, statusCode 3, and adds nothing."""
    before = body(call(client, "GET", "/devices"))
    response = call(client, "POST", "/me/devices", "agent", json={"phoneNumber": "+493012345678"})
    assert_error(response, 403, 3)
    assert body(call(client, "GET", "/devices")) == before


def test_listen_in_shows_on_the_supervisors_own_device(client: Client) -> None:
    """After ListenIn, the supervisor's device shows the monitoring state; admins see no caps."""
    operation = {
        "operationName": "ListenIn",
        "targetDeviceUri": f"http://elsewhere:1/api/v2/devices/{AGENT_PUBLIC}",
    }
    done = call(client, "POST", f"/me/devices/{SUPERVISOR_DEVICE}", "supervisor", json=operation)
    assert body(done) == {"statusCode": 0}
    own = body(call(client, "GET", f"/me/devices/{SUPERVISOR_DEVICE}", "supervisor"))["device"]
    assert own["supervisorMonitoringState"] == "ListenIn"
    assert own["supervisorMonitoringMode"] == "AllCalls"
    assert own["supervisorMonitoringScope"] == "Call"
    assert "CancelSupervisorMonitoring" in own["capabilities"]
    seen = body(call(client, "GET", f"/devices/{SUPERVISOR_DEVICE}", "admin"))["device"]
    assert seen["capabilities"] == ["DoNotDisturbOff", "ForwardCallsOn"]


def test_refused_operation_changes_nothing(client: Client) -> None:
    """DoNotDisturbOn while already on is 400, statusCode 2, and the device stays as it was."""
    path = f"/me/devices/{SUPERVISOR_DEVICE}"
    before = body(call(client, "GET", path, "supervisor"))
    response = call(client, "POST", path, "supervisor", json={"operationName": "DoNotDisturbOn"})
    assert_error(response, 400, 2)
    assert body(call(client, "GET", path, "supervisor")) == before


# --- odd input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "data", "content_type"),
    [
        ("/devices", b"{", "application/json"),
        ("/devices", b"[]", "application/json"),
        ("/devices", b"null", "application/json"),
        ("/devices", b'{"phoneNumber": NaN}', "application/json"),
        ("/devices", b"\xff\xfe\x00", "application/json"),
        ("/devices", b"[" * 20_000 + b"]" * 20_000, "application/json"),
        ("/devices", b'{"phoneNumber": "' + b"9" * 70_000 + b'"}', "application/json"),
        ("/devices", b'{"phoneNumber": 1' + b"0" * 5000 + b"}", "application/json"),
        ("/devices", b'{"phoneNumber": "3009"}', "text/plain"),
        ("/devices", b"", None),
        (f"/me/devices/{AGENT_PUBLIC}", b'{"operationName": {}}', "application/json"),
        (f"/me/devices/{AGENT_PUBLIC}", b'"DoNotDisturbOn"', "application/json"),
    ],
    ids=[
        "truncated",
        "array",
        "null",
        "nan",
        "not-utf8",
        "deep-nesting",
        "huge-body",
        "huge-integer",
        "wrong-content-type",
        "empty",
        "operation-name-object",
        "operation-body-string",
    ],
)
def test_odd_bodies_get_400_with_the_bare_envelope(
    client: Client, path: str, data: bytes, content_type: str | None
) -> None:
    """Malformed, oversized or non-object bodies are answered 400, statusCode 2, no traceback."""
    persona = "admin" if path == "/devices" else "agent"
    response = call(client, "POST", path, persona, data=data, content_type=content_type)
    assert_error(response, 400, 2)


@pytest.mark.parametrize(
    "path",
    [
        "/devices/" + "a" * 5000,
        "/devices/%00",
        "/devices/..%2F..%2Fetc",
        "/devices/%F0%9F%93%9E",
        "/users/%ZZ/devices",
        "/devices?fields=" + "," * 3000,
        "/devices?fields=%00*",
    ],
)
def test_odd_paths_never_get_500(client: Client, path: str) -> None:
    """Odd ids and queries get a JSON envelope: 200 or 404, never 500."""
    response = call(client, "GET", path)
    assert response.status_code in (200, 404)
    assert body(response)["statusCode"] in (0, 6)


def test_handler_failure_answers_the_bare_envelope() -> None:
    """An unexpected exception becomes 500, statusCode 4, with no detail in the body."""

    class Failing(ReferenceApp):
        def capabilities(self, device: Device, viewer: User) -> list[str]:
            raise RuntimeError("secret detail")

    response = Client(Failing()).get("/api/v2/devices?fields=*", auth=CREDENTIALS["admin"])
    assert_error(response, 500, 4)
    assert "secret" not in response.get_data(as_text=True)


def test_one_overridden_seam_changes_one_behaviour() -> None:
    """A subclass overriding may_list_all_devices lets an agent list every device."""

    class Lenient(ReferenceApp):
        def may_list_all_devices(self, user: User) -> bool:
            return True

    response = Client(Lenient()).get("/api/v2/devices", auth=CREDENTIALS["agent"])
    assert response.status_code == 200


# --- CSRF and the contract -------------------------------------------------------------------


def test_csrf_mode_hands_out_a_token_and_requires_it_on_posts() -> None:
    """In CSRF mode GETs carry the token; a POST without it is 403, with it 200."""
    client = Client(ReferenceApp(csrf=True))
    got = call(client, "GET", "/me/devices", "agent")
    assert got.headers["X-CSRF-HEADER"] == "X-CSRF-TOKEN"
    token = got.headers["X-CSRF-TOKEN"]
    operation = {"operationName": "DoNotDisturbOn"}
    path = f"/me/devices/{AGENT_PUBLIC}"
    assert_error(call(client, "POST", path, "agent", json=operation), 403, 3)
    wrong = {"X-CSRF-TOKEN": token + "x"}
    assert_error(call(client, "POST", path, "agent", json=operation, headers=wrong), 403, 3)
    right = {"X-CSRF-TOKEN": token}
    assert call(client, "POST", path, "agent", json=operation, headers=right).status_code == 200


def test_no_csrf_headers_without_csrf_mode(client: Client) -> None:
    """Without CSRF mode, responses carry no CSRF headers."""
    assert "X-CSRF-TOKEN" not in call(client, "GET", "/me").headers


def test_contract_is_served_without_credentials(
    client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GET /openapi.yaml needs no credentials and serves the contract file as YAML."""
    contract = tmp_path / "devices.yaml"
    contract.write_text("openapi: 3.1.0\n", encoding="utf-8")
    monkeypatch.setitem(app_module.OPENAPI_FILES, "8.5.0", contract)
    response = client.get("/api/v2/openapi.yaml")
    assert response.status_code == 200
    assert response.mimetype == "application/yaml"
    assert response.get_data() == b"openapi: 3.1.0\n"


def test_missing_contract_gets_404(
    client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the contract file, /openapi.yaml is a 404 envelope."""
    monkeypatch.setitem(app_module.OPENAPI_FILES, "8.5.0", tmp_path / "absent.yaml")
    assert_error(client.get("/api/v2/openapi.yaml"), 404, 6)


def test_reset_restores_the_fixture_devices(app: ReferenceApp, client: Client) -> None:
    """reset() forgets created devices."""
    before = body(call(client, "GET", "/devices"))
    call(client, "POST", "/devices", json={"phoneNumber": "3009"})
    app.reset()
    assert body(call(client, "GET", "/devices")) == before
