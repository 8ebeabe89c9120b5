"""The pieces correct variants are made of: subclasses of ``ReferenceApp`` that override one
seam, WSGI middleware that rewrites what goes over the wire, and other fixture data. Each piece
says which section of openapi/decisions.md allows the choice it makes."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

import phonenumbers
from werkzeug.wrappers import Request, Response

from conformance.reference.app import (
    ALREADY_IN_USE,
    BASE_PATH,
    DEVICE_ATTRIBUTE_ORDER,
    NOT_FOUND,
    ROUTES,
    ApiError,
    Call,
    Fields,
    Json,
    ReferenceApp,
)
from conformance.reference.fixtures import Fixtures, User
from conformance.reference.state import (
    FORBIDDEN,
    INVALID_PARAMETER,
    Device,
    NewDevice,
    OperationRequest,
    Rejected,
    Store,
    parse_new_device,
)
from conformance.reference.state import capabilities as state_capabilities

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

# ---------------------------------------------------------------- permissions and errors


class HidesOthersDevices(ReferenceApp):
    """Another user's device is answered 404, as if it did not exist
    (openapi/decisions.md#foreign-devices: 403 or 404, never the data)."""

    def get_device(self, call: Call, device_id: str) -> Response:
        device = self.find_device(device_id)
        if not self.may_read_device(call.user, device):
            raise ApiError(404, NOT_FOUND, "No such device")
        return self.single(call, device)

    def find_own_device(self, user: User, device_id: str) -> Device:
        self.require_own_devices(user)
        device = self.find_device(device_id)
        if not self.may_operate(user, device):
            raise ApiError(404, NOT_FOUND, "No such device")
        return device


class AdminOwnsNothing(ReferenceApp):
    """An admin-only user's GET /me/devices is 200 with an empty list
    (openapi/decisions.md#users-without-the-agent-role: 403, or 200 with only the devices it
    owns, here none). POST stays 403:
    a device is assigned only to a user with the agent role."""

    def list_my_devices(self, call: Call) -> Response:
        if self.may_use_own_devices(call.user):
            return super().list_my_devices(call)
        return self.collection(call, [])


class AdminOwnsDevicesToo(ReferenceApp):
    """An admin-only user uses /me/devices as an agent does: it lists the devices it owns and a
    POST assigns the new device to itself (openapi/decisions.md#users-without-the-agent-role:
    403, or treated as the owner of its own devices; DEV-PERM-007: "or gets a device assigned to
    itself"). POST /users/{userId}/devices still assigns only to users with the agent role."""

    def __init__(self) -> None:
        super().__init__()
        self.store = AnyoneMayOwnStore(self.fixtures)

    def may_use_own_devices(self, user: User) -> bool:
        return True


class AnyoneMayOwnStore(Store):
    """Assigns a device to whoever the app names; the app decides who may ask."""

    def may_own(self, user: User) -> bool:
        return True


class ForbiddenIsCode3(ReferenceApp):
    """Permission refusals carry statusCode 3, not 5 (openapi/decisions.md#status-codes: 403
    with 3 or 5)."""

    def deny(self, message: str) -> ApiError:
        return ApiError(403, FORBIDDEN, message)


class InvalidIsCode10(ReferenceApp):
    """Bodies that are not valid get statusCode 10, not 2 (openapi/decisions.md#status-codes).
    An
    operation the device does not offer keeps 2, which DEV-OPS-005 names."""

    def json_body(self, request: Request) -> Json:
        try:
            return super().json_body(request)
        except ApiError as exc:
            raise as_code_10(exc) from None

    def new_device(self, call: Call, owner: User | None) -> Device:
        try:
            return super().new_device(call, owner)
        except Rejected as exc:
            if exc.code != INVALID_PARAMETER:
                raise
            raise ApiError(400, 10, exc.message) from None


def as_code_10(exc: ApiError) -> ApiError:
    code = 10 if exc.code == INVALID_PARAMETER else exc.code
    return ApiError(exc.status, code, exc.message, exc.headers)


class ChallengeWithoutRealm(ReferenceApp):
    """The 401 challenge is a bare ``Basic`` (RFC 7617 asks for a realm;
    openapi/decisions.md#authentication accepts a challenge with or without one)."""

    def unauthorized(self, message: str) -> ApiError:
        return ApiError(401, 20, message, {"WWW-Authenticate": "Basic"})


UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


class MalformedIdIs400(ReferenceApp):
    """A device id that is not a UUID is answered 400
    (openapi/decisions.md#unknown-and-malformed-ids: 404, or 400 for a malformed one)."""

    def find_device(self, device_id: str) -> Device:
        if not UUID.fullmatch(device_id):
            raise ApiError(400, INVALID_PARAMETER, f"{device_id[:40]!r} is not a device id")
        return super().find_device(device_id)


class RefusesUnknownFields(ReferenceApp):
    """Unknown names in ``fields`` on a device path are answered 400
    (openapi/decisions.md#fields: ignored or 400, never 5xx)."""

    KNOWN = frozenset({"*", *DEVICE_ATTRIBUTE_ORDER})

    @staticmethod
    def requested_fields(request: Request) -> Fields:
        names = ReferenceApp.requested_fields(request)
        unknown = sorted((names or frozenset()) - RefusesUnknownFields.KNOWN)
        if unknown and "/devices" in request.path:
            raise ApiError(400, INVALID_PARAMETER, f"Unknown fields: {', '.join(unknown)[:200]}")
        return names


class BareUserRecord(ReferenceApp):
    """GET /me shows only what DEV-ME-001 asks for: id, userName and roles
    (openapi/decisions.md#the-callers-user-record)."""

    def render_user(self, user: User) -> Json:
        shown = ReferenceApp.render_user(self, user)
        return {key: shown[key] for key in ("id", "userName", "roles")}


# ---------------------------------------------------------------- what a device shows

# The attributes of the seed's own sample devices
# (openapi/decisions.md#optional-and-extra-attributes: every attribute but id may be absent; a
# value, when present, must be right).
SEED_ATTRIBUTES = (
    "id",
    "deviceState",
    "phoneNumberUri",
    "telephonyNetwork",
    "model",
    "vendor",
    "phoneNumber",
    "country",
    "location",
    "e164Number",
    "voiceEnvironmentUri",
)


class SeedAttributesOnly(ReferenceApp):
    """Devices show only what the seed's sample shows: no doNotDisturb, capabilities,
    forwarding, monitoring, userState or localNumber."""

    def device_attributes(self, device: Device, viewer: User, origin: str) -> Json:
        full = super().device_attributes(device, viewer, origin)
        return {key: full[key] for key in SEED_ATTRIBUTES if key in full}


class IdOnly(ReferenceApp):
    """Devices show nothing but their id, the one attribute the contract requires
    (openapi/decisions.md#optional-and-extra-attributes)."""

    def device_attributes(self, device: Device, viewer: User, origin: str) -> Json:
        return {"id": device.id}


OTHER_DEFAULT_MODEL = "Generic SIP Phone"


class DoNotDisturbAtFirstStore(Store):
    """Creates every device with do-not-disturb on."""

    def create_device(self, new: NewDevice, owner: User | None = None) -> Device:
        device = replace(super().create_device(new, owner), do_not_disturb=True)
        with self._lock:
            self._devices[device.id] = device
        return device


class OtherDefaultModel(ReferenceApp):
    """A created device shows the server's own defaults: a model of its own when the create
    sent none, not CloudDevice, and do-not-disturb on
    (openapi/decisions.md#defaults-of-a-created-device)."""

    def __init__(self) -> None:
        super().__init__()
        self.store = DoNotDisturbAtFirstStore(self.fixtures)

    def new_device(self, call: Call, owner: User | None) -> Device:
        body = {"model": OTHER_DEFAULT_MODEL, **self.json_body(call.request)}
        return self.store.create_device(parse_new_device(body), owner)


class LaterVersionAttributes(ReferenceApp):
    """Devices also carry attributes a later version adds
    (openapi/decisions.md#optional-and-extra-attributes: a device may carry attributes the
    contract does not list, such as type, voiceServiceUri)."""

    def device_attributes(self, device: Device, viewer: User, origin: str) -> Json:
        attributes = super().device_attributes(device, viewer, origin)
        attributes["type"] = "SIP"
        attributes["voiceServiceUri"] = self.voice_environment_uri(origin)
        return attributes


class PunctuatedLocalNumber(ReferenceApp):
    """localNumber in the home country's written form, trunk prefix and spaces included
    (openapi/decisions.md#local-numbers: how it is punctuated is not fixed)."""

    def device_attributes(self, device: Device, viewer: User, origin: str) -> Json:
        attributes = super().device_attributes(device, viewer, origin)
        if device.number.calling_code:
            parsed = phonenumbers.parse(device.number.e164, None)
            national = phonenumbers.PhoneNumberFormat.NATIONAL
            attributes["localNumber"] = phonenumbers.format_number(parsed, national)
        return attributes


# ---------------------------------------------------------------- capabilities


class OfferedOnlyStore(Store):
    """A store that refuses, with ``code``, every operation ``offered`` does not list
    (openapi/decisions.md#unoffered-operations: 400 with statusCode 2, or 403)."""

    def __init__(
        self, fixtures: Fixtures, offered: Callable[[Device, User], list[str]], code: int
    ) -> None:
        super().__init__(fixtures)
        self.offered = offered
        self.code = code

    def operate(self, device_id: str, actor: User, request: OperationRequest) -> Device:
        device = self.device(device_id)
        if device is not None and request.name not in self.offered(device, actor):
            raise Rejected(self.code, f"{request.name} is not available on this device now")
        return super().operate(device_id, actor, request)


FORWARDING = frozenset({"ForwardCallsOn", "ForwardCallsOff"})


class NoForwardingConfigured(ReferenceApp):
    """Call forwarding is not configured: capabilities never offer it, list the rest in reverse
    order, and a forwarding operation is refused (openapi/decisions.md#capabilities: they depend on
    configuration and state; the contract constrains only what must not appear)."""

    def __init__(self) -> None:
        super().__init__()
        self.store = OfferedOnlyStore(self.fixtures, self.capabilities, INVALID_PARAMETER)

    def capabilities(self, device: Device, viewer: User) -> list[str]:
        offered = super().capabilities(device, viewer)
        return [name for name in reversed(offered) if name not in FORWARDING]


class RefusesUnofferedWith403(ReferenceApp):
    """An operation the device does not offer now is answered 403 with statusCode 3 rather than
    400 with statusCode 2 (openapi/decisions.md#unoffered-operations: 400 with 2, or 403;
    nothing changes)."""

    def __init__(self) -> None:
        super().__init__()
        self.store = OfferedOnlyStore(self.fixtures, self.capabilities, FORBIDDEN)


# ---------------------------------------------------------------- request bodies

# The bound of OtherBodyReader: far above every body the contract describes with sensible values.
SMALL_BODY_BYTES = 1024


class OtherBodyReader(ReferenceApp):
    """Reads a body as JSON whatever media type it is labelled with, refuses one labelled with
    none, and bounds bodies at 1 KiB (openapi/decisions.md#request-bodies: how a server reads
    what is not its contract's is its own)."""

    def json_body(self, request: Request) -> Json:
        if not request.mimetype:
            raise ApiError(400, INVALID_PARAMETER, "Content-Type is required")
        if (request.content_length or 0) > SMALL_BODY_BYTES:
            raise ApiError(400, INVALID_PARAMETER, f"The body exceeds {SMALL_BODY_BYTES} bytes")
        as_json = Request({**request.environ, "CONTENT_TYPE": "application/json"})
        return ReferenceApp.json_body(self, as_json)


# ---------------------------------------------------------------- deployment


class PrefixAwareApp(ReferenceApp):
    """Builds its URIs from the host and the deployment prefix (SCRIPT_NAME) it is served at."""

    @staticmethod
    def origin(request: Request) -> str:
        return f"http://{request.host or 'localhost'}{request.script_root}"


class NoDevicesYet(ReferenceApp):
    """A deployment where no device exists yet: every list is empty until a client creates one
    (openapi/decisions.md#the-target: the suite assumes nothing about a server's data)."""

    def __init__(self) -> None:
        super().__init__()
        self.fixtures = replace(self.fixtures, devices=())
        self.store = Store(self.fixtures)


def under_prefix(app: WSGIApplication, prefix: str) -> WSGIApplication:
    """Serves ``app`` under ``prefix`` (e.g. /cloud-web), as a servlet container mounts a web
    application; any other path is a 404 envelope."""

    def dispatch(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not path.startswith(prefix + "/"):
            missing = ReferenceApp.json_response(404, {"statusCode": 6, "statusMessage": "No app"})
            return missing(environ, start_response)
        environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + prefix
        environ["PATH_INFO"] = path[len(prefix) :]
        return app(environ, start_response)

    return dispatch


CONTAINER_404 = b"<html><head><title>404 Not Found</title></head><body>Not Found</body></html>"


def container_404_elsewhere(app: WSGIApplication) -> WSGIApplication:
    """``app`` inside a container that answers every path the API lacks with its own HTML 404
    page, the reference server's own extras (the contract and its page) included
    (openapi/decisions.md#the-target: paths the contract does not describe are not the API's)."""

    def dispatch(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        # The path as sent: an id may hold an encoded slash, which PATH_INFO has decoded.
        path = str(environ.get("REQUEST_URI") or environ.get("PATH_INFO", "")).split("?")[0]
        relative = path.removeprefix(BASE_PATH) if path.startswith(f"{BASE_PATH}/") else ""
        if any(route.pattern.fullmatch(relative) for route in ROUTES):
            return app(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/html")])
        return [CONTAINER_404]

    return dispatch


def seen_as_host(app: WSGIApplication, host: str) -> WSGIApplication:
    """``app`` behind a proxy that passes on its own public host name and port, so every URI
    the app builds names that host (openapi/decisions.md#uris: device URIs are absolute; the
    suite follows them on the target it was given)."""

    def forward(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        environ["HTTP_HOST"] = host
        return app(environ, start_response)

    return forward


def with_headers(
    app: WSGIApplication, rewrite: Callable[[list[tuple[str, str]]], list[tuple[str, str]]]
) -> WSGIApplication:
    """``app`` with its response headers passed through ``rewrite``."""

    def wrapped(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], exc_info=None):  # type: ignore[no-untyped-def]
            return start_response(status, rewrite(headers), exc_info)

        return app(environ, start)

    return wrapped


def session_cookie(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Adds a JSESSIONID cookie (openapi/decisions.md#authentication: a server may also set one)."""
    cookie = f"JSESSIONID={secrets.token_hex(16).upper()}; Path=/; HttpOnly"
    return [*headers, ("Set-Cookie", cookie)]


def json_with_charset(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``application/json;charset=UTF-8``, as Java servers write it (still application/json)."""
    return [
        (name, "application/json;charset=UTF-8")
        if name.lower() == "content-type" and value == "application/json"
        else (name, value)
        for name, value in headers
    ]


class VoiceEnvironmentLink852(ReferenceApp):
    """The 8.5.2 profile with the 8.5.0 voice link, as the latest notification samples show it
    (openapi/decisions.md#gws-852-and-later: `voiceServiceUri` or `voiceEnvironmentUri`)."""

    def __init__(self) -> None:
        super().__init__(profile="8.5.2")

    def profile_attributes(self, device: Device, origin: str) -> Json:
        attributes = super().profile_attributes(device, origin)
        del attributes["voiceServiceUri"]
        attributes["voiceEnvironmentUri"] = self.voice_environment_uri(origin)
        return attributes


class NumberInUseIs19(ReferenceApp):
    """The 8.5.2 profile saying "already in use" with its own code
    (openapi/decisions.md#gws-852-and-later: 403 with statusCode 3 or 19)."""

    def __init__(self) -> None:
        super().__init__(profile="8.5.2")

    def new_device(self, call: Call, owner: User | None) -> Device:
        try:
            return super().new_device(call, owner)
        except Rejected as refused:
            if refused.code != FORBIDDEN:
                raise
            raise ApiError(403, ALREADY_IN_USE, refused.message) from None


class NoMuteOffered852(ReferenceApp):
    """The 8.5.2 profile on a deployment that offers no muting: a monitoring supervisor's device
    lists no MuteMonitoredUser (openapi/decisions.md#capabilities: what a device offers is its
    configuration's; DEV-CAP-004 only forbids showing it outside monitoring)."""

    def __init__(self) -> None:
        super().__init__(profile="8.5.2")

    def capabilities(self, device: Device, viewer: User) -> list[str]:
        return state_capabilities(device, viewer)
