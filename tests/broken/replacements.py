"""Replacement methods, predicates and JSON changes that the catalogue's rows use when a lambda
would not read well. Each plants one fault; the row that uses it says which."""

from __future__ import annotations

import io
import re
import socket
from dataclasses import replace
from typing import Any

from werkzeug.wrappers import Request

from conformance.reference import ReferenceApp
from conformance.reference.app import DEVICE_ATTRIBUTE_ORDER, ApiError, Call
from conformance.reference.fixtures import ROLE_ADMIN, ROLE_SUPERVISOR, User, load_fixtures
from conformance.reference.state import Device, Store, target_device_id

from .faults import COLLECTIONS, DEVICE, Build, Json, Seen, route

FIXTURES = load_fixtures()
ALL = frozenset({"*"})
AGENT_DEVICE = next(d.id for d in FIXTURES.devices if d.owner == "agent")
FIXTURE_DEVICES = frozenset(d.id for d in FIXTURES.devices)


def anonymous_is_admin(self: ReferenceApp, request: Any) -> User:
    if "Authorization" not in request.headers:
        return next(u for u in self.fixtures.users if u.has_role(ROLE_ADMIN))
    return ReferenceApp.authenticate(self, request)


def malformed_is_400(self: ReferenceApp, request: Any) -> User:
    header = request.headers.get("Authorization")
    if header is not None and self.basic_credentials(header) is None:
        raise ApiError(400, 2, "Malformed Authorization header")
    return ReferenceApp.authenticate(self, request)


def any_password(self: ReferenceApp, request: Any) -> User:
    credentials = self.basic_credentials(request.headers.get("Authorization", ""))
    user = self.store.user_by_name(credentials[0]) if credentials else None
    if user is None:
        raise self.unauthorized("Access denied")
    return user


def any_scheme(header: str) -> tuple[str, str] | None:
    """Decodes the token of any scheme as Basic credentials."""
    _, _, token = header.strip().partition(" ")
    return ReferenceApp.basic_credentials(f"Basic {token}")


def lenient_base64(header: str) -> tuple[str, str] | None:
    """Decodes a Basic token skipping characters outside the base64 alphabet."""
    scheme, _, token = header.strip().partition(" ")
    return ReferenceApp.basic_credentials(f"{scheme} {re.sub(r'[^A-Za-z0-9+/=]', '', token)}")


def as_supervisor(self: ReferenceApp, call: Call, device_id: str) -> Any:
    """Runs the operation as if the caller held ROLE_SUPERVISOR."""
    promoted = replace(call.user, roles=(*call.user.roles, ROLE_SUPERVISOR))
    return ReferenceApp.operate_my_device(self, replace(call, user=promoted), device_id)


def me_devices_all_for_admin(self: ReferenceApp, call: Call) -> Any:
    if self.is_admin(call.user):
        return self.collection(call, self.store.devices())
    return ReferenceApp.list_my_devices(self, call)


def refuse_supervisors(handler: str) -> Any:
    def refuse(self: ReferenceApp, call: Call, **ids: str) -> Any:
        if call.user.has_role(ROLE_SUPERVISOR):
            raise self.deny("Supervisors may not do this")
        return getattr(ReferenceApp, handler)(self, call, **ids)

    return refuse


def deny_naming_devices(self: ReferenceApp, message: str) -> ApiError:
    ids = ", ".join(d.id for d in self.store.devices())
    return ApiError(403, 5, f"{message} (devices: {ids})")


def stand_in_user(self: ReferenceApp, user_id: str) -> User:
    """An unknown user id gets an empty user instead of a 404."""
    found = self.store.user_by_id(user_id)
    return found or replace(self.fixtures.users[0], id=user_id, roles=())


def objects_without_fields(self: ReferenceApp, call: Call, devices: list[Device]) -> Any:
    return ReferenceApp.collection(self, replace(call, fields=call.fields or ALL), devices)


def capabilities_as_first_shown(self: ReferenceApp, device: Device, viewer: User) -> Any:
    """Each device keeps, for each viewer, the capabilities of its state when first shown."""
    first: dict[tuple[str, str], list[str]] = self.__dict__.setdefault("first_shown", {})
    return first.setdefault((device.id, viewer.id), ReferenceApp.capabilities(self, device, viewer))


def ignore_fields(handler: str) -> Any:
    """The collection handler answers as if no `fields` was asked: URIs."""

    def answer(self: ReferenceApp, call: Call, **ids: str) -> Any:
        return getattr(ReferenceApp, handler)(self, replace(call, fields=None), **ids)

    return answer


def next_own_device(self: ReferenceApp, call: Call, device_id: str) -> Any:
    owned = self.store.devices_owned_by(call.user.id)
    ids = [device.id for device in owned]
    if device_id not in ids:
        return ReferenceApp.get_my_device(self, call, device_id)
    return self.single(call, owned[(ids.index(device_id) + 1) % len(owned)])


def unknown_field_named(seen: Seen) -> bool:
    names = {n for value in seen.query.get("fields", []) for n in value.split(",") if n}
    return bool(names - {"*", *DEVICE_ATTRIBUTE_ORDER})


def capabilities_plus(*extra: str, when_offered: str | None = None) -> Any:
    def capabilities(self: ReferenceApp, device: Device, viewer: User) -> list[str]:
        found = ReferenceApp.capabilities(self, device, viewer)
        if when_offered is None or when_offered in found:
            found += [name for name in extra if name not in found]
        return found

    return capabilities


def drop_last_uri(body: Json) -> None:
    if body.get("uris"):
        body["uris"].pop()


def mode_without_state(device: Json) -> None:
    if "supervisorMonitoringState" not in device and "ListenIn" in device.get("capabilities", []):
        device["supervisorMonitoringMode"] = "AllCalls"


def next_call_by_default(body: Json) -> None:
    """A monitoring operation without a mode records NextCall instead of AllCalls."""
    if body.get("operationName") in ("ListenIn", "BargeIn", "Coach"):
        body.setdefault("supervisorMonitoringMode", "NextCall")


def lower_mode(monitoring: Any) -> Any:
    """8.5.2's monitoring object with its mode in lower case."""
    return {**monitoring, "mode": str(monitoring.get("mode")).lower()}


def flat_mode_too(device: Json) -> None:
    """8.5.2's monitoring object, and the 8.5.0 flat mode beside it."""
    shown = device.get("supervisorMonitoringState")
    if isinstance(shown, dict):
        device["supervisorMonitoringMode"] = shown.get("mode")


def target_is_own_device(device: Json) -> None:
    """The monitoring object names the device that monitors instead of the monitored one."""
    shown = device.get("supervisorMonitoringState")
    if isinstance(shown, dict) and "targetDeviceUri" in shown:
        head = str(shown["targetDeviceUri"]).rsplit("/", 1)[0]
        shown["targetDeviceUri"] = f"{head}/{device['id']}"


def relative_uri(uri: Any) -> Any:
    return "/" + str(uri).split("/", 3)[-1]


def unknown_operation(seen: Seen) -> bool:
    body = seen.body if isinstance(seen.body, dict) else {}
    known = ("DoNotDisturbOn", "DoNotDisturbOff", "ForwardCallsOn", "ForwardCallsOff")
    monitoring = ("ListenIn", "BargeIn", "Coach", "CancelSupervisorMonitoring")
    return route(DEVICE, "POST")(seen) and body.get("operationName") not in known + monitoring


def unavailable_is_success(response: Any) -> None:
    if response.status_code == 400 and b"not available" in response.get_data():
        response.status_code = 200
        response.set_data(b'{"statusCode": 0}')


def default_target(body: Json) -> None:
    if body.get("operationName") in ("ListenIn", "BargeIn", "Coach"):
        body.setdefault("targetDeviceUri", f"http://localhost/api/v2/devices/{AGENT_DEVICE}")


def created_unreadable_by_owner(self: ReferenceApp, call: Call, device_id: str) -> Any:
    if device_id not in FIXTURE_DEVICES:
        raise ApiError(404, 6, "No such device")
    return ReferenceApp.get_my_device(self, call, device_id)


def set_status(code: int) -> Any:
    def change(response: Any) -> None:
        response.status_code = code

    return change


def swap_code(before: int, after: int) -> Any:
    def change(body: Json) -> None:
        if body.get("statusCode") == before:
            body["statusCode"] = after

    return change


def with_key(key: str, value: Any) -> Any:
    return lambda body: body.update({key: value})


def user_field(name: str, value: Any) -> Any:
    def change(body: Json) -> None:
        if isinstance(body.get("user"), dict):
            body["user"][name] = value(body["user"].get(name))

    return change


def missing_is_forbidden(self: ReferenceApp, device_id: str) -> Device:
    device = self.store.device(device_id)
    if device is None:
        raise ApiError(403, 5, "No permission for this device")
    return device


def missing_is_500(self: ReferenceApp, device_id: str) -> Device:
    device = self.store.device(device_id)
    if device is None:
        raise ApiError(500, 1, "Internal error")
    return device


def without_capability(name: str) -> Any:
    def capabilities(self: ReferenceApp, device: Device, viewer: User) -> list[str]:
        return [c for c in ReferenceApp.capabilities(self, device, viewer) if c != name]

    return capabilities


def text_plain(response: Any) -> None:
    if response.status_code >= 400:
        response.content_type = "text/plain; charset=utf-8"


def without_allow(self: ReferenceApp, allowed: Any) -> Any:
    response = ReferenceApp.method_not_allowed(self, allowed)
    del response.headers["Allow"]
    return response


def with_csrf(app_class: type[ReferenceApp]) -> Build:
    return lambda: app_class(csrf=True)


def refuse_every_post(self: ReferenceApp, request: Any, user: User) -> None:
    raise ApiError(403, 3, "Missing or wrong X-CSRF-TOKEN header")


ALL_VIEWS = route(COLLECTIONS + "|/devices/[^/]+|" + DEVICE, "GET")
NO_PERMISSION: Json = {"statusCode": 5, "statusMessage": "User does not have permission"}
NOT_FOUND: Json = {"statusCode": 6, "statusMessage": "Resource not found"}


def unreadable_body_crashes(self: ReferenceApp, request: Any) -> Any:
    """Reads a chunked body without catching the transport's error: a 500 where a body
    cannot be read, as a server that trusts its framing answers."""
    if request.headers.get("Transfer-Encoding", "").lower() == "chunked":
        data = request.stream.read()
        environ = {**request.environ, "wsgi.input": io.BytesIO(data)}
        request = Request(environ | {"CONTENT_LENGTH": str(len(data))})
    return ReferenceApp.json_body(self, request)


def unreadable_body_dropped(self: ReferenceApp, request: Any) -> Any:
    """Drops the connection unanswered where a chunked body cannot be read, as some stacks'
    HTTP parsers do."""
    if request.headers.get("Transfer-Encoding", "").lower() == "chunked":
        try:
            request.stream.read()
        except OSError:
            request.environ["werkzeug.socket"].shutdown(socket.SHUT_RDWR)
            raise ConnectionResetError("dropped: the body cannot be read") from None
    return ReferenceApp.json_body(self, request)


class MonitorsItselfStore(Store):
    """Takes a monitoring operation's own device as its target."""

    def _monitoring_target(self, device: Device, actor: User, uri: str) -> Device:
        if target_device_id(uri) == device.id:
            return device
        return super()._monitoring_target(device, actor, uri)


def monitors_itself() -> ReferenceApp:
    app = ReferenceApp()
    app.store = MonitorsItselfStore(app.fixtures)
    return app
