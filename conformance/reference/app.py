"""The reference server of the Devices API (GWS 8.5) as a plain WSGI application.

``ReferenceApp`` answers under ``/api/v2``: the device collections (``/devices``,
``/users/{userId}/devices``, ``/me/devices``), single devices (``/devices/{id}``,
``/me/devices/{id}``), device operations (``POST /me/devices/{id}``), the caller (``/me``) and
the contract (``/openapi.yaml``) and its HTML rendering (``/docs``), both without authentication.

Overridable seams
-----------------
Broken servers and correct variants are subclasses that override one method each, or WSGI
middleware that rewrites responses. The seams, in the order a request meets them:

- ``dispatch(request)``, ``route(request, user)``: the routing table ``ROUTES`` maps a path
  and method to a handler name; 404 for an unknown path, 405 with ``Allow`` for a missing method.
- ``authenticate(request) -> User``: HTTP Basic; raises ``ApiError`` 401.
- ``check_csrf(request, user)``: POSTs in CSRF mode; ``csrf_token(user)`` gives the token.
- permissions, one question each: ``may_list_all_devices(user)``, ``may_create_device(user)``,
  ``may_manage_user_devices(user)``, ``may_own_devices(user)``, ``may_use_own_devices(user)``,
  ``may_read_device(user, device)``, ``may_operate(user, device)``.
- handlers, one per operation: ``list_devices``, ``create_device``, ``get_device``,
  ``list_user_devices``, ``create_user_device``, ``list_my_devices``, ``create_my_device``,
  ``get_my_device``, ``operate_my_device``, ``get_me``, ``get_openapi``.
- rendering: ``render_device(device, viewer, origin, fields)`` built from
  ``device_attributes``, ``capabilities(device, viewer)``, ``user_state(device)`` and
  ``project(attributes, fields)``; ``render_user(user)``; ``device_uri(origin, id)``,
  ``phone_number_uri``, ``voice_environment_uri``, ``voice_service_uri``;
  ``profile_attributes(device, origin)`` (what the 8.5.0 and 8.5.2 profiles show differently);
  ``collection(call, devices)``.
- request parsing: ``json_body(request)``, ``requested_fields(request)``, ``origin(request)``.
- answers: ``ok(payload)``, ``error(status, code, message)``, ``http_status(code)``,
  ``method_not_allowed(allowed)``, ``unauthorized(message)``.

Handlers raise ``ApiError`` (HTTP status, statusCode, message) or let ``state.Rejected``
(statusCode, message) through; ``answer`` turns both into the error envelope. ``reset()``
restores the fixture state. The state rules themselves live in ``state.py``: overriding
``capabilities`` changes what devices show, while the operations a device accepts stay
decided by ``state.capabilities``.

Permission logic is written here by hand, not read from the contract, so that a mistake in
either shows up as a failing conformance test.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from werkzeug.wrappers import Request, Response

from conformance.contract.contract import DEFAULT_PROFILE, PROFILES, SPEC_PATHS

from .fixtures import ROLE_ADMIN, ROLE_AGENT, User, load_fixtures
from .state import (
    FORBIDDEN,
    INVALID_PARAMETER,
    Device,
    Rejected,
    Store,
    monitored_user_capabilities,
    parse_new_device,
    parse_operation,
)
from .state import capabilities as state_capabilities

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

BASE_PATH = "/api/v2"
OPENAPI_PATH = f"{BASE_PATH}/openapi.yaml"
OPENAPI_FILES = dict(SPEC_PATHS)
DOCS_PATH = f"{BASE_PATH}/docs"
# Built by `python -m conformance.report.docs`, one page per profile; absent until then.
DOCS_DIR = Path(__file__).resolve().parents[2] / "docs" / "build"
DOCS_FILES = {"8.5.0": DOCS_DIR / "devices.html", "8.5.2": DOCS_DIR / "devices-8.5.2.html"}
MAX_BODY_BYTES = 64 * 1024
REALM = "Genesys Web Services"
CSRF_HEADER = "X-CSRF-TOKEN"

OK = 0
MISSING_PARAMETER = 1
NO_PERMISSION = 5
NOT_FOUND = 6
INTERNAL_ERROR = 4
NOT_AUTHENTICATED = 20
# 8.5.2's "already in use" (vendor page "Return Values" 8.5.2); the reference answers 3, as 8.5.0.
ALREADY_IN_USE = 19

HTTP_STATUS_BY_CODE = {
    OK: 200,
    MISSING_PARAMETER: 400,
    INVALID_PARAMETER: 400,
    FORBIDDEN: 403,
    INTERNAL_ERROR: 500,
    NO_PERMISSION: 403,
    NOT_FOUND: 404,
    NOT_AUTHENTICATED: 401,
    ALREADY_IN_USE: 403,
}

Fields = frozenset[str] | None
Json = dict[str, object]
Handler = Callable[..., Response]


class ApiError(Exception):
    """An error answer: HTTP status, GWS statusCode, message and extra headers."""

    def __init__(
        self, status: int, code: int, message: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})


@dataclass(frozen=True)
class Call:
    """One authenticated request: who asks, from which origin, for which fields."""

    request: Request
    user: User
    origin: str
    fields: Fields


@dataclass(frozen=True)
class Route:
    pattern: re.Pattern[str]
    handlers: Mapping[str, str]  # HTTP method -> ReferenceApp method name


ROUTES = (
    Route(re.compile(r"/devices"), {"GET": "list_devices", "POST": "create_device"}),
    Route(re.compile(r"/devices/(?P<device_id>[^/]+)"), {"GET": "get_device"}),
    Route(
        re.compile(r"/users/(?P<user_id>[^/]+)/devices"),
        {"GET": "list_user_devices", "POST": "create_user_device"},
    ),
    Route(re.compile(r"/me/devices"), {"GET": "list_my_devices", "POST": "create_my_device"}),
    Route(
        re.compile(r"/me/devices/(?P<device_id>[^/]+)"),
        {"GET": "get_my_device", "POST": "operate_my_device"},
    ),
    Route(re.compile(r"/me"), {"GET": "get_me"}),
)

DEVICE_ATTRIBUTE_ORDER = (
    "id",
    "deviceState",
    "phoneNumber",
    "phoneNumberUri",
    "telephonyNetwork",
    "model",
    "vendor",
    "country",
    "location",
    "localNumber",
    "e164Number",
    "doNotDisturb",
    "forwardTo",
    "capabilities",
    "userState",
    "voiceEnvironmentUri",
    "voiceServiceUri",
    "type",
    "supervisorMonitoringState",
    "supervisorMonitoringMode",
    "supervisorMonitoringScope",
)


# 8.5.2's device type (vendor page "Devices attributes", latest); every fixture device is one.
DEVICE_TYPE = "ACDPosition"


class ReferenceApp:
    """The Devices API over WSGI, backed by an in-memory ``Store`` loaded from fixtures, in the
    shape of one profile: 8.5.0 (GWS 8.5.0 and 8.5.1) or 8.5.2 (8.5.2 and later)."""

    def __init__(
        self, fixtures_path: Path | None = None, *, csrf: bool = False, profile: str | None = None
    ) -> None:
        self.profile = profile or DEFAULT_PROFILE
        if self.profile not in PROFILES:
            raise ValueError(f"unknown profile {self.profile!r}: one of {', '.join(PROFILES)}")
        self.fixtures = load_fixtures(fixtures_path)
        self.store = Store(self.fixtures)
        self.csrf = csrf
        self._csrf_tokens = {user.id: secrets.token_urlsafe(24) for user in self.fixtures.users}
        # Compared against when the user name is unknown, so both paths take the same time.
        self._decoy_password = secrets.token_urlsafe(24)

    def reset(self) -> None:
        """Restores the devices the fixture file describes."""
        self.store.reset()

    # --- WSGI entry and dispatch ----------------------------------------------------------------

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        try:
            response = self.dispatch(request)
        except Exception:  # a bug must still answer with the envelope, never a traceback
            response = self.error(500, INTERNAL_ERROR, "Internal error")
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        if request.path == OPENAPI_PATH:
            return self.answer(lambda: self.route_openapi(request))
        if request.path == DOCS_PATH:
            return self.answer(lambda: self.get_docs(request))
        try:
            user = self.authenticate(request)
        except ApiError as exc:
            return self.error(exc.status, exc.code, exc.message, exc.headers)
        response = self.answer(lambda: self.route(request, user))
        if self.csrf and request.method == "GET":
            response.headers["X-CSRF-HEADER"] = CSRF_HEADER
            response.headers[CSRF_HEADER] = self.csrf_token(user)
        return response

    def answer(self, produce: Callable[[], Response]) -> Response:
        """Runs a handler, turning refusals into error envelopes."""
        try:
            return produce()
        except ApiError as exc:
            return self.error(exc.status, exc.code, exc.message, exc.headers)
        except Rejected as exc:
            return self.error(self.http_status(exc.code), exc.code, exc.message)

    def route(self, request: Request, user: User) -> Response:
        if not request.path.startswith(f"{BASE_PATH}/"):
            raise ApiError(404, NOT_FOUND, f"No resource at {request.path}")
        relative = request.path[len(BASE_PATH) :]
        for route in ROUTES:
            match = route.pattern.fullmatch(relative)
            if match is None:
                continue
            name = route.handlers.get(request.method)
            if name is None:
                return self.method_not_allowed(route.handlers)
            if request.method == "POST":
                self.check_csrf(request, user)
            call = Call(request, user, self.origin(request), self.requested_fields(request))
            handler: Handler = getattr(self, name)
            return handler(call, **match.groupdict())
        raise ApiError(404, NOT_FOUND, f"No resource at {request.path}")

    def route_openapi(self, request: Request) -> Response:
        if request.method != "GET":
            return self.method_not_allowed(["GET"])
        return self.get_openapi(request)

    # --- authentication and CSRF ----------------------------------------------------------------

    def authenticate(self, request: Request) -> User:
        """Finds the user named by HTTP Basic credentials; raises 401 otherwise."""
        credentials = self.basic_credentials(request.headers.get("Authorization", ""))
        if credentials is None:
            raise self.unauthorized("Basic credentials are required")
        user_name, password = credentials
        user = self.store.user_by_name(user_name)
        expected = user.password if user else self._decoy_password
        matches = hmac.compare_digest(password.encode(), expected.encode())
        if user is None or not matches:
            raise self.unauthorized("Access denied")
        return user

    @staticmethod
    def basic_credentials(header: str) -> tuple[str, str] | None:
        """Splits an ``Authorization: Basic`` value into user name and password."""
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            return None
        user_name, colon, password = decoded.partition(":")
        return (user_name, password) if colon else None

    def csrf_token(self, user: User) -> str:
        return self._csrf_tokens[user.id]

    def check_csrf(self, request: Request, user: User) -> None:
        if not self.csrf:
            return
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), self.csrf_token(user).encode()):
            raise ApiError(403, FORBIDDEN, f"Missing or wrong {CSRF_HEADER} header")

    # --- permissions, written by hand -----------------------------------------------------------

    def is_admin(self, user: User) -> bool:
        return user.has_role(ROLE_ADMIN)

    def may_list_all_devices(self, user: User) -> bool:
        return self.is_admin(user)

    def may_create_device(self, user: User) -> bool:
        return self.is_admin(user)

    def may_manage_user_devices(self, user: User) -> bool:
        """GET and POST /users/{userId}/devices."""
        return self.is_admin(user)

    def may_own_devices(self, user: User) -> bool:
        """Whether a device may be assigned to ``user``."""
        return user.has_role(ROLE_AGENT)

    def may_use_own_devices(self, user: User) -> bool:
        """The /me/devices paths are for agents (supervisors are agents too)."""
        return user.has_role(ROLE_AGENT)

    def may_read_device(self, user: User, device: Device) -> bool:
        return self.is_admin(user) or device.owner_id == user.id

    def may_operate(self, user: User, device: Device) -> bool:
        return device.owner_id == user.id

    def deny(self, message: str) -> ApiError:
        return ApiError(403, NO_PERMISSION, message)

    # --- handlers: /devices ---------------------------------------------------------------------

    def list_devices(self, call: Call) -> Response:
        if not self.may_list_all_devices(call.user):
            raise self.deny("Listing all devices requires the admin role")
        return self.collection(call, self.store.devices())

    def create_device(self, call: Call) -> Response:
        if not self.may_create_device(call.user):
            raise self.deny("Creating an unassigned device requires the admin role")
        return self.created(call, self.new_device(call, owner=None))

    def get_device(self, call: Call, device_id: str) -> Response:
        device = self.find_device(device_id)
        if not self.may_read_device(call.user, device):
            raise self.deny("This device belongs to another user")
        return self.single(call, device)

    # --- handlers: /users/{userId}/devices ------------------------------------------------------

    def list_user_devices(self, call: Call, user_id: str) -> Response:
        if not self.may_manage_user_devices(call.user):
            raise self.deny("Listing a user's devices requires the admin role")
        owner = self.find_user(user_id)
        return self.collection(call, self.store.devices_owned_by(owner.id))

    def create_user_device(self, call: Call, user_id: str) -> Response:
        if not self.may_manage_user_devices(call.user):
            raise self.deny("Creating a user's device requires the admin role")
        owner = self.find_user(user_id)
        if not self.may_own_devices(owner):
            raise ApiError(400, INVALID_PARAMETER, f"User {owner.id} does not hold {ROLE_AGENT}")
        return self.created(call, self.new_device(call, owner=owner))

    # --- handlers: /me/devices and /me ----------------------------------------------------------

    def list_my_devices(self, call: Call) -> Response:
        self.require_own_devices(call.user)
        return self.collection(call, self.store.devices_owned_by(call.user.id))

    def create_my_device(self, call: Call) -> Response:
        self.require_own_devices(call.user)
        return self.created(call, self.new_device(call, owner=call.user))

    def get_my_device(self, call: Call, device_id: str) -> Response:
        device = self.find_own_device(call.user, device_id)
        return self.single(call, device)

    def operate_my_device(self, call: Call, device_id: str) -> Response:
        device = self.find_own_device(call.user, device_id)
        operation = parse_operation(self.json_body(call.request))
        self.store.operate(device.id, call.user, operation)
        return self.ok({})

    def get_me(self, call: Call) -> Response:
        return self.ok({"user": self.render_user(call.user)})

    def get_openapi(self, request: Request) -> Response:
        try:
            document = OPENAPI_FILES[self.profile].read_bytes()
        except OSError:
            raise ApiError(404, NOT_FOUND, "The contract is not available") from None
        return Response(document, status=200, content_type="application/yaml")

    def get_docs(self, request: Request) -> Response:
        """The contract rendered as HTML, like the contract itself readable without credentials."""
        if request.method != "GET":
            return self.method_not_allowed(["GET"])
        try:
            page = DOCS_FILES[self.profile].read_bytes()
        except OSError:
            raise ApiError(404, NOT_FOUND, "The documentation is not built") from None
        return Response(page, status=200, content_type="text/html; charset=utf-8")

    # --- handler helpers ------------------------------------------------------------------------

    def require_own_devices(self, user: User) -> None:
        if not self.may_use_own_devices(user):
            raise self.deny(f"/me/devices requires {ROLE_AGENT}")

    def find_device(self, device_id: str) -> Device:
        device = self.store.device(device_id)
        if device is None:
            raise ApiError(404, NOT_FOUND, "No such device")
        return device

    def find_own_device(self, user: User, device_id: str) -> Device:
        self.require_own_devices(user)
        device = self.find_device(device_id)
        if not self.may_operate(user, device):
            raise self.deny("This device belongs to another user")
        return device

    def find_user(self, user_id: str) -> User:
        user = self.store.user_by_id(user_id)
        if user is None:
            raise ApiError(404, NOT_FOUND, "No such user")
        return user

    def new_device(self, call: Call, owner: User | None) -> Device:
        return self.store.create_device(parse_new_device(self.json_body(call.request)), owner)

    def json_body(self, request: Request) -> Json:
        """The request body as a JSON object; anything else is a 400."""
        if request.mimetype and not (
            request.mimetype == "application/json" or request.mimetype.endswith("+json")
        ):
            raise ApiError(400, INVALID_PARAMETER, "Content-Type must be application/json")
        if (request.content_length or 0) > MAX_BODY_BYTES:
            raise self.too_large()
        try:
            data = request.stream.read(MAX_BODY_BYTES + 1)
        except (OSError, ValueError):
            # A body the transport cannot decode (a malformed chunk header) is bad input too.
            raise ApiError(400, INVALID_PARAMETER, "The body could not be read") from None
        if len(data) > MAX_BODY_BYTES:
            raise self.too_large()
        try:
            body = json.loads(data, parse_constant=_reject_constant)
        except (ValueError, RecursionError):
            raise ApiError(400, INVALID_PARAMETER, "The body is not valid JSON") from None
        if not isinstance(body, dict):
            raise ApiError(400, INVALID_PARAMETER, "The body must be a JSON object")
        return body

    def too_large(self) -> ApiError:
        return ApiError(400, INVALID_PARAMETER, f"The body exceeds {MAX_BODY_BYTES} bytes")

    @staticmethod
    def requested_fields(request: Request) -> Fields:
        """The ``fields`` query parameter: None when absent or empty, else the names asked."""
        names = frozenset(
            name.strip()
            for value in request.args.getlist("fields")
            for name in value.split(",")
            if name.strip()
        )
        return names or None

    @staticmethod
    def origin(request: Request) -> str:
        # The scheme the request came in on: a server behind TLS gives https URIs.
        return f"{request.scheme}://{request.host or 'localhost'}"

    # --- rendering ------------------------------------------------------------------------------

    def collection(self, call: Call, devices: list[Device]) -> Response:
        """URIs without ``fields``; device objects with it."""
        if call.fields is None:
            return self.ok({"uris": [self.device_uri(call.origin, d.id) for d in devices]})
        rendered = [self.render_device(d, call.user, call.origin, call.fields) for d in devices]
        return self.ok({"devices": rendered})

    def single(self, call: Call, device: Device) -> Response:
        return self.ok({"device": self.render_device(device, call.user, call.origin, call.fields)})

    def created(self, call: Call, device: Device) -> Response:
        return self.ok({"id": device.id, "uri": self.device_uri(call.origin, device.id)})

    def render_device(self, device: Device, viewer: User, origin: str, fields: Fields) -> Json:
        return self.project(self.device_attributes(device, viewer, origin), fields)

    def device_attributes(self, device: Device, viewer: User, origin: str) -> Json:
        number = device.number
        attributes: Json = {
            "id": device.id,
            "deviceState": device.device_state,
            "phoneNumber": device.phone_number,
            "phoneNumberUri": self.phone_number_uri(origin, device.phone_number_id),
            "telephonyNetwork": device.telephony_network,
            "model": device.model,
            "vendor": device.vendor,
            "country": {
                "name": number.country_name,
                "code": number.country_code,
                "callingCode": number.calling_code,
            },
            "location": number.location,
            "localNumber": number.local,
            "e164Number": number.e164,
            "doNotDisturb": "On" if device.do_not_disturb else "Off",
            "capabilities": self.capabilities(device, viewer),
        }
        if device.forward_to is not None:
            attributes["forwardTo"] = device.forward_to
        user_state = self.user_state(device)
        if user_state is not None:
            attributes["userState"] = user_state
        attributes.update(self.profile_attributes(device, origin))
        return {key: attributes[key] for key in DEVICE_ATTRIBUTE_ORDER if key in attributes}

    def profile_attributes(self, device: Device, origin: str) -> Json:
        """What the profiles show differently: the voice link, the type and the monitoring
        (openapi/decisions.md#gws-852-and-later)."""
        watching = device.monitoring
        if self.profile == "8.5.0":
            flat: Json = {"voiceEnvironmentUri": self.voice_environment_uri(origin)}
            if watching is not None:
                flat["supervisorMonitoringState"] = watching.state
                flat["supervisorMonitoringMode"] = watching.mode
                flat["supervisorMonitoringScope"] = watching.scope
            return flat
        found: Json = {"voiceServiceUri": self.voice_service_uri(origin), "type": DEVICE_TYPE}
        if watching is not None:
            found["supervisorMonitoringState"] = {
                "state": watching.state,
                "mode": watching.mode,
                "scope": watching.scope,
                "targetDeviceUri": self.device_uri(origin, watching.target_device_id),
            }
        return found

    def capabilities(self, device: Device, viewer: User) -> list[str]:
        found = state_capabilities(device, viewer)
        if self.profile == "8.5.2":
            found += monitored_user_capabilities(device, viewer)
        return found

    def user_state(self, device: Device) -> Json | None:
        """The owner's agent state; None for an unassigned device."""
        owner = self.store.user_by_id(device.owner_id) if device.owner_id else None
        if owner is None or owner.agent_state is None:
            return None
        state = self.fixtures.agent_states[owner.agent_state]
        return {"id": state.id, "state": state.name, "displayName": state.display_name}

    @staticmethod
    def project(attributes: Json, fields: Fields) -> Json:
        """Keeps the asked attributes plus ``id``; ``*`` or no ``fields`` keeps all."""
        if fields is None or "*" in fields:
            return attributes
        return {key: value for key, value in attributes.items() if key == "id" or key in fields}

    def render_user(self, user: User) -> Json:
        return {
            "id": user.id,
            "userName": user.user_name,
            "firstName": user.first_name,
            "lastName": user.last_name,
            "emailAddress": user.email_address,
            "enabled": True,
            "roles": list(user.roles),
        }

    def device_uri(self, origin: str, device_id: str) -> str:
        return f"{origin}{BASE_PATH}/devices/{device_id}"

    def phone_number_uri(self, origin: str, phone_number_id: str) -> str:
        return f"{origin}{BASE_PATH}/phone-numbers/{phone_number_id}"

    def voice_environment_uri(self, origin: str) -> str:
        return f"{origin}{BASE_PATH}/voice-environments/{self.fixtures.voice_environment_id}"

    def voice_service_uri(self, origin: str) -> str:
        """8.5.2's voice link (vendor page "List devices", latest): the same id, as a service."""
        return f"{origin}{BASE_PATH}/services/{self.fixtures.voice_environment_id}"

    # --- answers --------------------------------------------------------------------------------

    def ok(self, payload: Json) -> Response:
        return self.json_response(200, {"statusCode": OK, **payload})

    def error(
        self, status: int, code: int, message: str, headers: Mapping[str, str] | None = None
    ) -> Response:
        """An error answer: the body is exactly ``statusCode`` and ``statusMessage``."""
        response = self.json_response(status, {"statusCode": code, "statusMessage": message})
        response.headers.update(headers or {})
        return response

    def http_status(self, code: int) -> int:
        return HTTP_STATUS_BY_CODE.get(code, 400)

    def method_not_allowed(self, allowed: Iterable[str]) -> Response:
        methods = ", ".join(allowed)
        response = self.error(405, INVALID_PARAMETER, f"Method not allowed; use {methods}")
        response.headers["Allow"] = methods
        return response

    def unauthorized(self, message: str) -> ApiError:
        challenge = {"WWW-Authenticate": f'Basic realm="{REALM}"'}
        return ApiError(401, NOT_AUTHENTICATED, message, challenge)

    @staticmethod
    def json_response(status: int, body: Json) -> Response:
        return Response(json.dumps(body), status=status, content_type="application/json")


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")
