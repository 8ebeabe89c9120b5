"""The Starlette application: routes, permissions and the envelope of every answer."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .auth import BasicAuthBackend, Caller, unauthenticated
from .bodies import (
    FORBIDDEN,
    IN_USE,
    INVALID,
    NO_PERMISSION,
    NOT_FOUND,
    ApiError,
    optional_choice,
    optional_text,
    read_object,
    required_number,
)
from .operations import perform
from .store import (
    ADMIN,
    AGENT,
    DEFAULT_MODEL,
    DEFAULT_TYPE,
    DEFAULT_VENDOR,
    Device,
    Store,
    User,
    load,
)
from .views import PROFILE_850, PROFILE_852, Context, parse_fields, render, select

API = "/api/v2"
Handler = Callable[[Request], Awaitable[Response]]

# openapi/decisions.md#status-codes: the statusCode that goes with an HTTP status Starlette
# raises itself (404 for an unknown path, 405 for a method a path lacks; 405 has no code of its
# own in "Return Values", so it says "operation forbidden").
CODE_FOR_STATUS = {400: INVALID, 401: 20, 403: NO_PERMISSION, 404: NOT_FOUND, 405: FORBIDDEN}


def ok(**members: Any) -> JSONResponse:
    return JSONResponse({"statusCode": 0, **members})


def envelope(status: int, code: int, message: str, headers: dict[str, str] | None = None):
    """openapi/decisions.md#error-body: exactly statusCode and statusMessage."""
    body = {"statusCode": code, "statusMessage": message}
    return JSONResponse(body, status_code=status, headers=headers)


def context(request: Request) -> Context:
    caller: Caller = request.user
    base = str(request.base_url).rstrip("/") + API
    return Context(request.app.state.store, caller.user, base, request.app.state.profile)


def require(ctx: Context, role: str) -> None:
    """openapi/decisions.md#admin-paths and #users-without-the-agent-role: 403."""
    if not ctx.viewer.has(role):
        raise ApiError(403, NO_PERMISSION, "User does not have permission")


def find_user(ctx: Context, request: Request) -> User:
    user = ctx.store.users.get(request.path_params["userId"])
    if user is None:
        raise ApiError(404, NOT_FOUND, "User not found")
    return user


def visible_device(ctx: Context, request: Request, *, admin_sees_all: bool) -> Device:
    """openapi/decisions.md#foreign-devices: another user's device is answered as a missing
    one (404), so that a refusal does not even tell that it exists."""
    device = ctx.store.devices.get(request.path_params["id"])
    allowed = admin_sees_all and ctx.viewer.has(ADMIN)
    if device is None or not (allowed or device.owner == ctx.viewer.id):
        raise ApiError(404, NOT_FOUND, "Device not found")
    return device


def collection(ctx: Context, request: Request, devices: Iterable[Device]) -> JSONResponse:
    """URIs without `fields`, objects with it (seed, "List Devices")."""
    raw = request.query_params.get("fields")
    if raw is None or not raw.strip(" ,"):
        return ok(uris=[ctx.device_uri(device.id) for device in devices])
    names = parse_fields(raw)
    return ok(devices=[select(render(device, ctx), names) for device in devices])


def single(ctx: Context, request: Request, device: Device) -> JSONResponse:
    names = parse_fields(request.query_params.get("fields"))
    return ok(device=select(render(device, ctx), names))


async def create(ctx: Context, request: Request, owner: User | None) -> JSONResponse:
    """POST /devices, /users/{id}/devices, /me/devices (vendor "Create a device" pages)."""
    body = await read_object(request)
    device = new_device(ctx, body, owner)
    if ctx.store.number_in_use(device.phone_number):
        # Vendor "Create a device": 403; 8.5.2 may say 19, already in use.
        code = IN_USE if ctx.profile == PROFILE_852 else FORBIDDEN
        raise ApiError(403, code, "The phone number is already in use")
    ctx.store.add(device)
    return ok(id=device.id, uri=ctx.device_uri(device.id))


def new_device(ctx: Context, body: dict[str, Any], owner: User | None) -> Device:
    phone_number = required_number(body, "phoneNumber")
    # Seed, "telephonyNetwork": Private when not given.
    network = optional_choice(body, "telephonyNetwork", ("Public", "Private")) or "Private"
    model = optional_text(body, "model", empty_ok=True)
    device = Device(str(uuid.uuid4()), phone_number, network, owner.id if owner else None)
    if ctx.profile == PROFILE_852:
        # Later versions ignore `model` on create ("Devices attributes", latest) and take
        # `type` and `vendor`.
        device.type = optional_text(body, "type", empty_ok=True) or DEFAULT_TYPE
        device.vendor = optional_text(body, "vendor", empty_ok=True) or DEFAULT_VENDOR
    else:
        device.model = DEFAULT_MODEL if model is None else model
    return device


async def get_me(request: Request) -> Response:
    return ok(user=context(request).viewer.record())


async def list_devices(request: Request) -> Response:
    ctx = context(request)
    require(ctx, ADMIN)
    return collection(ctx, request, ctx.store.devices.values())


async def create_device(request: Request) -> Response:
    ctx = context(request)
    require(ctx, ADMIN)
    return await create(ctx, request, None)


async def get_device(request: Request) -> Response:
    ctx = context(request)
    return single(ctx, request, visible_device(ctx, request, admin_sees_all=True))


async def list_user_devices(request: Request) -> Response:
    ctx = context(request)
    require(ctx, ADMIN)
    return collection(ctx, request, ctx.store.owned_by(find_user(ctx, request).id))


async def create_user_device(request: Request) -> Response:
    ctx = context(request)
    require(ctx, ADMIN)
    user = find_user(ctx, request)
    if not user.has(AGENT):
        # Vendor "Create and assign a device": the user must hold the agent role.
        raise ApiError(400, INVALID, "The user does not hold the agent role")
    return await create(ctx, request, user)


async def list_my_devices(request: Request) -> Response:
    ctx = context(request)
    require(ctx, AGENT)
    return collection(ctx, request, ctx.store.owned_by(ctx.viewer.id))


async def create_my_device(request: Request) -> Response:
    ctx = context(request)
    require(ctx, AGENT)
    return await create(ctx, request, ctx.viewer)


async def get_my_device(request: Request) -> Response:
    ctx = context(request)
    return single(ctx, request, visible_device(ctx, request, admin_sees_all=False))


async def operate_my_device(request: Request) -> Response:
    ctx = context(request)
    device = visible_device(ctx, request, admin_sees_all=False)
    perform(device, await read_object(request), ctx)
    return ok()


def route(path: str, **handlers: Handler) -> Route:
    """One route per path, so that Starlette's 405 lists all of its methods in `Allow`
    (openapi/decisions.md#methods). HEAD is Starlette's own for a GET route (framework default;
    the vendor is silent)."""

    async def endpoint(request: Request) -> Response:
        method = "get" if request.method == "HEAD" else request.method.lower()
        return await handlers[method](request)

    return Route(API + path, endpoint, methods=[method.upper() for method in handlers])


ROUTES = [
    route("/me", get=get_me),
    route("/devices", get=list_devices, post=create_device),
    route("/devices/{id}", get=get_device),
    route("/users/{userId}/devices", get=list_user_devices, post=create_user_device),
    route("/me/devices", get=list_my_devices, post=create_my_device),
    route("/me/devices/{id}", get=get_my_device, post=operate_my_device),
]


async def api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return envelope(exc.status, exc.code, exc.message)


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404 and 405 (plain text by default) in the API's envelope
    (openapi/decisions.md#error-body), keeping their headers (`Allow`)."""
    assert isinstance(exc, HTTPException)
    code = CODE_FOR_STATUS.get(exc.status_code, INVALID)
    return envelope(exc.status_code, code, str(exc.detail), dict(exc.headers or {}))


async def internal_error(request: Request, exc: Exception) -> Response:
    """Never expected (openapi/decisions.md#server-errors); if it happens, the envelope with
    statusCode 4 rather than Starlette's plain-text page."""
    return envelope(500, 4, "Internal error")


def create_app(profile: str = PROFILE_850, store: Store | None = None) -> Starlette:
    backend = BasicAuthBackend(store or load())
    app = Starlette(
        routes=ROUTES,
        middleware=[
            Middleware(AuthenticationMiddleware, backend=backend, on_error=unauthenticated)
        ],
        exception_handlers={
            ApiError: api_error,
            HTTPException: http_error,
            Exception: internal_error,
        },
    )
    app.state.store = backend.store
    app.state.profile = profile
    return app


PROFILES = (PROFILE_850, PROFILE_852)
