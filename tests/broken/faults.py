"""Fault pieces: small, reusable ways to break the reference server in one place.

Two kinds, as in schemathesis's test servers:

- ``patched(method=...)``: a ``ReferenceApp`` subclass overriding seam methods (permissions,
  handlers, rendering, answers). A replacement takes ``self`` like the method it replaces and
  reaches the original as ``ReferenceApp.method(self, ...)``.
- WSGI middleware around a built app: ``rewrite_response`` (any change to status, headers,
  body), ``rewrite_json`` (a JSON transformation of the response body), ``rewrite_request``
  (a JSON transformation of the request body) and ``answer`` (a canned reply instead of the
  app's). Each takes a ``when`` predicate on the request; ``route`` and ``posts`` build them.

``layered(*layers)`` stacks middleware on a freshly built app, so every run starts from the
fixtures. ``patched_852`` and ``layered_852`` break the reference server of the 8.5.2 profile
instead.
"""

from __future__ import annotations

import base64
import binascii
import functools
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from conformance.reference import ReferenceApp
from conformance.reference.app import BASE_PATH
from conformance.reference.server import credentials

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

App = Callable[..., Iterable[bytes]]  # a WSGI application
Build = Callable[[], App]  # makes a fresh server: state never leaks between runs
Layer = Callable[[App], App]  # middleware, applied to an app
Json = dict[str, Any]


@dataclass(frozen=True)
class Seen:
    """What a predicate knows about a request: method, path under /api/v2, query, body, caller."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    user: str | None


Predicate = Callable[[Seen], bool]


# --- subclasses ----------------------------------------------------------------------------------


def patched(**methods: Callable[..., Any]) -> type[ReferenceApp]:
    """A ReferenceApp whose named methods are replaced."""
    unknown = [name for name in methods if not hasattr(ReferenceApp, name)]
    if unknown:  # a typo would otherwise plant no fault at all
        raise AttributeError(f"ReferenceApp has no {', '.join(unknown)}")
    return type("BrokenApp", (ReferenceApp,), dict(methods))


def patched_852(**methods: Callable[..., Any]) -> Build:
    """Like ``patched``, answering in the 8.5.2 profile."""
    return functools.partial(patched(**methods), profile="8.5.2")


def reference_852() -> App:
    """The reference server in the 8.5.2 profile: the base of that profile's broken servers."""
    return ReferenceApp(profile="8.5.2")


def layered(*layers: Layer, base: Build = ReferenceApp) -> Build:
    """A build that wraps a fresh ``base()`` in the layers, innermost first."""

    def build() -> App:
        app: App = base()
        for layer in layers:
            app = layer(app)
        return app

    return build


def layered_852(*layers: Layer) -> Build:
    """Like ``layered``, on the reference server of the 8.5.2 profile."""
    return layered(*layers, base=reference_852)


# --- predicates ----------------------------------------------------------------------------------


def route(pattern: str, method: str | None = None) -> Predicate:
    """Requests whose path under /api/v2 fully matches ``pattern`` (and the method, if given)."""
    compiled = re.compile(pattern)
    return lambda seen: (method in (None, seen.method)) and bool(compiled.fullmatch(seen.path))


def posts(pattern: str, **members: Any) -> Predicate:
    """POSTs to ``pattern`` whose JSON body holds these members with these values."""
    on_route = route(pattern, "POST")

    def test(seen: Seen) -> bool:
        body = seen.body if isinstance(seen.body, dict) else {}
        return on_route(seen) and all(body.get(k, _ABSENT) == v for k, v in members.items())

    return test


def posts_member(pattern: str, member: str, matches: Callable[[str], bool]) -> Predicate:
    """POSTs to ``pattern`` whose JSON body holds ``member`` as text that ``matches``."""
    on_route = route(pattern, "POST")

    def test(seen: Seen) -> bool:
        body = seen.body if isinstance(seen.body, dict) else {}
        return on_route(seen) and member in body and matches(str(body[member]))

    return test


def everything(seen: Seen) -> bool:
    return True


def as_identity(identity: str, when: Predicate) -> Predicate:
    """Requests matching ``when`` sent as one identity of the reference fixtures."""
    user = credentials()[identity][0]
    return lambda seen: seen.user == user and when(seen)


_ABSENT = object()
DEVICE = r"/me/devices/[^/]+"
MONITORING = "supervisorMonitoringState"
COLLECTIONS = r"/devices|/me/devices|/users/[^/]+/devices"


# --- middleware ----------------------------------------------------------------------------------


class Middleware:
    """Sees each request (body read once and put back) before the wrapped app does."""

    def __init__(self, app: App, when: Predicate) -> None:
        self.app = app
        self.when = when

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        seen = see(environ)
        response = self.handle(environ, seen) if self.when(seen) else None
        if response is None:
            return self.app(environ, start_response)
        return response(environ, start_response)

    def handle(self, environ: WSGIEnvironment, seen: Seen) -> Response | None:
        raise NotImplementedError

    def inner(self, environ: WSGIEnvironment) -> Response:
        return Response.from_app(self.app, environ, buffered=True)


def see(environ: WSGIEnvironment) -> Seen:
    request = Request(environ)
    try:
        data = request.get_data(cache=True)
    except OSError:
        # A body the transport cannot decode: the wrapped app meets the same error.
        environ["wsgi.input"] = _Unreadable()
        data = b""
    else:
        # The wrapped app builds its own Request from environ: give it the body again.
        environ["wsgi.input"] = io.BytesIO(data)
        environ["CONTENT_LENGTH"] = str(len(data))
    path = request.path.removeprefix(BASE_PATH)
    return Seen(request.method, path, request.args.to_dict(flat=False), _json(data), _user(request))


class _Unreadable(io.RawIOBase):
    def readinto(self, buffer: Any) -> int:
        raise OSError("Invalid chunk header")


def _json(data: bytes) -> Any:
    try:
        return json.loads(data) if data else None
    except ValueError:
        return None


def _user(request: Request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        return base64.b64decode(token).decode("utf-8", "replace").partition(":")[0]
    except (binascii.Error, ValueError):
        return None


class _ResponseRewrite(Middleware):
    def __init__(self, app: App, when: Predicate, change: Callable[[Response], None]) -> None:
        super().__init__(app, when)
        self.change = change

    def handle(self, environ: WSGIEnvironment, seen: Seen) -> Response:
        response = self.inner(environ)
        self.change(response)
        return response


class _RequestRewrite(Middleware):
    def __init__(self, app: App, when: Predicate, change: Callable[[Json], None]) -> None:
        super().__init__(app, when)
        self.change = change

    def handle(self, environ: WSGIEnvironment, seen: Seen) -> None:
        if isinstance(seen.body, dict):
            body = dict(seen.body)
            self.change(body)
            data = json.dumps(body).encode()
            environ["wsgi.input"] = io.BytesIO(data)
            environ["CONTENT_LENGTH"] = str(len(data))
        # Returning nothing lets the wrapped app answer the changed request.


class _Answer(Middleware):
    def __init__(self, app: App, when: Predicate, status: int, body: Json) -> None:
        super().__init__(app, when)
        self.response = (status, body)

    def handle(self, environ: WSGIEnvironment, seen: Seen) -> Response:
        status, body = self.response
        return Response(json.dumps(body), status=status, content_type="application/json")


def rewrite_response(change: Callable[[Response], None], when: Predicate = everything) -> Layer:
    """Changes status, headers or body of the answers to matching requests."""
    return lambda app: _ResponseRewrite(app, when, change)


def rewrite_json(change: Callable[[Json], None], when: Predicate = everything) -> Layer:
    """Changes the JSON body of the answers to matching requests, in place."""

    def on_response(response: Response) -> None:
        try:
            body = json.loads(response.get_data())
        except ValueError:
            return
        if isinstance(body, dict):
            change(body)
            response.set_data(json.dumps(body))

    return rewrite_response(on_response, when)


def rewrite_request(change: Callable[[Json], None], when: Predicate = everything) -> Layer:
    """Changes the JSON body of matching requests, in place, before the app reads it."""
    return lambda app: _RequestRewrite(app, when, change)


def answer(status: int, body: Json, when: Predicate) -> Layer:
    """Answers matching requests with ``body`` and never lets the app see them."""
    return lambda app: _Answer(app, when, status, body)


SUCCESS: Json = {"statusCode": 0}
INTERNAL_ERROR: Json = {"statusCode": 4, "statusMessage": "Internal error"}


# --- JSON transformations ------------------------------------------------------------------------


def each_device(change: Callable[[Json], None]) -> Callable[[Json], None]:
    """Applies ``change`` to every device object of a body (`device` or `devices`)."""

    def apply(body: Json) -> None:
        listed = body.get("devices")
        found: list[Any] = listed if isinstance(listed, list) else [body.get("device")]
        for device in found:
            if isinstance(device, dict):
                change(device)

    return apply


def set_attribute(name: str, value: Callable[[Any], Any]) -> Callable[[Json], None]:
    """Replaces an attribute, when present, by ``value(old)``."""

    def change(device: Json) -> None:
        if name in device:
            device[name] = value(device[name])

    return change


def drop_attribute(name: str) -> Callable[[Json], None]:
    return lambda device: device.pop(name, None)


def on_error(change: Callable[[Json], None]) -> Callable[[Json], None]:
    """Applies ``change`` to error bodies only."""

    def apply(body: Json) -> None:
        if body.get("statusCode") not in (0, None):
            change(body)

    return apply
