"""The broken servers: the reference server plus one planted fault each, and the requirements
the conformance suite must report broken against it.

Read it as a table. Each row: a name, the fault in one line, the requirement IDs that must fail
(others may fail too), and how the server is built from the fault pieces of ``faults.py``.
A row with ``gap`` names a fault the suite is known to miss, and why; its test is a strict
xfail, so the day the suite catches it the row must lose its ``gap``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from conformance.reference import ReferenceApp
from conformance.reference.app import ApiError
from conformance.reference.fixtures import ROLE_SUPERVISOR
from conformance.reference.state import MONITORING_MODES, MONITORING_SCOPES

from .faults import (
    COLLECTIONS,
    DEVICE,
    INTERNAL_ERROR,
    MONITORING,
    SUCCESS,
    Build,
    answer,
    as_identity,
    drop_attribute,
    each_device,
    layered,
    layered_852,
    on_error,
    patched,
    patched_852,
    posts,
    posts_member,
    rewrite_json,
    rewrite_request,
    rewrite_response,
    route,
    set_attribute,
)
from .replacements import (
    ALL_VIEWS,
    FIXTURE_DEVICES,
    NO_PERMISSION,
    NOT_FOUND,
    anonymous_is_admin,
    any_password,
    any_scheme,
    as_supervisor,
    capabilities_as_first_shown,
    capabilities_plus,
    created_unreadable_by_owner,
    default_target,
    deny_naming_devices,
    drop_last_uri,
    flat_mode_too,
    ignore_fields,
    lenient_base64,
    lower_mode,
    malformed_is_400,
    me_devices_all_for_admin,
    missing_is_500,
    missing_is_forbidden,
    mode_without_state,
    monitors_itself,
    next_call_by_default,
    next_own_device,
    objects_without_fields,
    refuse_every_post,
    refuse_supervisors,
    relative_uri,
    set_status,
    stand_in_user,
    swap_code,
    target_is_own_device,
    text_plain,
    unavailable_is_success,
    unknown_field_named,
    unknown_operation,
    unreadable_body_crashes,
    unreadable_body_dropped,
    user_field,
    with_csrf,
    with_key,
    without_allow,
    without_capability,
)

# The seed's values of ListenIn's members (openapi/decisions.md#enumerations).
MONITORING_VALUES = {
    "supervisorMonitoringScope": MONITORING_SCOPES,
    "supervisorMonitoringMode": MONITORING_MODES,
}


@dataclass(frozen=True)
class Broken:
    name: str
    fault: str
    breaks: tuple[str, ...]
    build: Build
    gap: str | None = None  # why the suite misses this fault today
    fuzz: bool = False  # only the fuzzing phase can see it: run that phase too
    # Discovery meets the fault: the run must still end in a verdict (exit 1, not aborted)
    # with most cases passing, and fail nothing but `breaks` and these, which the same fault
    # breaks again where cases ask what discovery asked (no false alarm from what is missing).
    unfinished: bool = False
    consequences: tuple[str, ...] = ()
    # The profile the server answers in, and the suite judges by (--api-version).
    profile: str = "8.5.0"


# --- the table ------------------------------------------------------------------------------------

CATALOGUE: tuple[Broken, ...] = (
    # ---------------------------------------------------------------- discovery
    # An unfinished or half-broken server: discovery meets the fault, reports it, and the run
    # goes on with what the other identities and requests taught (`unfinished`).
    Broken(
        "me-refused-for-supervisor",
        "GET /me is refused with 403 to the supervisor.",
        ("DEV-PERM-010",),
        patched(get_me=refuse_supervisors("get_me")),
        unfinished=True,
    ),
    Broken(
        "me-not-implemented",
        "GET /me is not implemented: 404 for everyone.",
        ("DEV-PERM-010",),
        layered(answer(404, NOT_FOUND, route("/me", "GET"))),
        unfinished=True,
        consequences=("DEV-ENV-004",),
    ),
    Broken(
        "me-without-id-for-other-agent",
        "GET /me gives the other agent a user without an id.",
        ("DEV-ME-001",),
        layered(
            rewrite_json(
                lambda body: body.get("user", {}).pop("id", None),
                as_identity("other-agent", route("/me", "GET")),
            )
        ),
        unfinished=True,
        consequences=("DEV-ENV-004",),
    ),
    Broken(
        "my-devices-refused-for-supervisor",
        "GET /me/devices is refused with 403 to the supervisor.",
        ("DEV-PERM-006",),
        patched(list_my_devices=refuse_supervisors("list_my_devices")),
        unfinished=True,
        consequences=("DEV-FLD-002", "DEV-LIST-001", "DEV-LIST-003", "DEV-LIST-005"),
    ),
    Broken(
        "my-devices-fail-for-agent",
        "GET /me/devices answers 500 to the agent.",
        ("DEV-HTTP-002",),
        layered(answer(500, INTERNAL_ERROR, as_identity("agent", route("/me/devices", "GET")))),
        unfinished=True,
        consequences=("DEV-FLD-001", "DEV-FLD-004", "DEV-FLD-005", "DEV-PERM-006"),
    ),
    Broken(
        "all-devices-not-implemented",
        "GET /devices is not implemented: 404, with or without fields.",
        ("DEV-PERM-001",),
        layered(answer(404, NOT_FOUND, route("/devices", "GET"))),
        unfinished=True,
        consequences=("DEV-ENV-004", "DEV-FLD-001"),
    ),
    Broken(
        "all-devices-ignore-fields",
        "GET /devices ignores fields=*: URIs instead of devices.",
        ("DEV-FLD-002",),
        patched(list_devices=ignore_fields("list_devices")),
        unfinished=True,
        consequences=(
            "DEV-FLD-003",
            "DEV-LIST-002",
            "DEV-LIST-003",
            "DEV-LIST-004",
            "DEV-LIST-005",
        ),
    ),
    # ---------------------------------------------------------------- authentication
    Broken(
        "lenient-base64",
        "A Basic token is decoded skipping characters outside the base64 alphabet.",
        ("DEV-AUTH-005",),
        patched(basic_credentials=staticmethod(lenient_base64)),
    ),
    Broken(
        "any-scheme-accepted",
        "A real login is accepted under any scheme (`Bearer` with a Basic token), not only Basic.",
        ("DEV-AUTH-002",),
        patched(basic_credentials=staticmethod(any_scheme)),
    ),
    Broken(
        "anonymous-is-admin",
        "A request without Authorization is served as the admin.",
        ("DEV-AUTH-001",),
        patched(authenticate=anonymous_is_admin),
    ),
    Broken(
        "malformed-credentials-400",
        "A malformed Authorization header is answered 400, not 401.",
        ("DEV-AUTH-002",),
        patched(authenticate=malformed_is_400),
    ),
    Broken(
        "any-password",
        "A real user name with any password is let in.",
        ("DEV-AUTH-003",),
        patched(authenticate=any_password),
    ),
    Broken(
        "no-challenge",
        "A 401 carries no WWW-Authenticate header.",
        ("DEV-AUTH-004",),
        patched(unauthorized=lambda self, message: ApiError(401, 20, message)),
    ),
    # ---------------------------------------------------------------- CSRF
    Broken(
        "csrf-not-enforced",
        "CSRF protection is advertised, but a POST without the token is served.",
        ("DEV-CSRF-001",),
        with_csrf(patched(check_csrf=lambda self, request, user: None)),
    ),
    Broken(
        "csrf-token-refused",
        "CSRF protection is advertised, and a POST with the right token is refused too.",
        ("DEV-CSRF-002",),
        with_csrf(patched(check_csrf=refuse_every_post)),
    ),
    # ---------------------------------------------------------------- function-level authorization
    Broken(
        "agent-lists-all-devices",
        "Any user may list every device of the contact center.",
        ("DEV-PERM-001",),
        patched(may_list_all_devices=lambda self, user: True),
    ),
    Broken(
        "admin-denied-all-devices",
        "The admin is refused GET /devices.",
        ("DEV-PERM-001",),
        patched(may_list_all_devices=lambda self, user: False),
    ),
    Broken(
        "supervisor-creates-devices",
        "A supervisor may create unassigned devices.",
        ("DEV-PERM-002",),
        patched(
            may_create_device=lambda self, user: (
                user.has_role(ROLE_SUPERVISOR) or self.is_admin(user)
            )
        ),
    ),
    Broken(
        "agent-lists-user-devices",
        "GET /users/{userId}/devices checks no role.",
        ("DEV-PERM-004",),
        patched(
            list_user_devices=lambda self, call, user_id: self.collection(
                call, self.store.devices_owned_by(self.find_user(user_id).id)
            )
        ),
    ),
    Broken(
        "admin-denied-user-devices",
        "The admin is refused the /users/{userId}/devices paths.",
        ("DEV-PERM-004", "DEV-PERM-005"),
        patched(may_manage_user_devices=lambda self, user: False),
    ),
    Broken(
        "agent-assigns-devices",
        "POST /users/{userId}/devices checks no role.",
        ("DEV-PERM-005",),
        patched(
            create_user_device=lambda self, call, user_id: self.created(
                call, self.new_device(call, owner=self.find_user(user_id))
            )
        ),
    ),
    Broken(
        "admin-me-devices-lists-all",
        "An admin's GET /me/devices lists every device, not only its own.",
        ("DEV-PERM-006",),
        patched(
            may_use_own_devices=lambda self, user: True, list_my_devices=me_devices_all_for_admin
        ),
    ),
    Broken(
        "supervisor-denied-own-create",
        "A supervisor is refused POST /me/devices.",
        ("DEV-PERM-007",),
        patched(create_my_device=refuse_supervisors("create_my_device")),
    ),
    Broken(
        "me-refused-with-query",
        "GET /me with a query string is refused with 403.",
        ("DEV-PERM-010",),
        layered(answer(403, NO_PERMISSION, lambda s: s.path == "/me" and bool(s.query))),
    ),
    Broken(
        "agent-monitors",
        "ListenIn, BargeIn and Coach ignore the caller's roles.",
        ("DEV-PERM-012",),
        patched(operate_my_device=as_supervisor),
    ),
    # ---------------------------------------------------------------- object-level authorization
    Broken(
        "any-device-by-id",
        "GET /devices/{id} skips the owner check.",
        ("DEV-PERM-003",),
        patched(may_read_device=lambda self, user, device: True),
    ),
    Broken(
        "any-device-via-me",
        "GET /me/devices/{id} skips the owner check.",
        ("DEV-PERM-008",),
        patched(
            get_my_device=lambda self, call, device_id: self.single(
                call, self.find_device(device_id)
            )
        ),
    ),
    Broken(
        "supervisor-denied-own-device",
        "A supervisor is refused GET /me/devices/{id} on its own device.",
        ("DEV-PERM-008",),
        patched(get_my_device=refuse_supervisors("get_my_device")),
    ),
    Broken(
        "operate-any-device",
        "POST /me/devices/{id} (and GET) skip the owner check.",
        ("DEV-PERM-009",),
        patched(may_operate=lambda self, user, device: True),
    ),
    Broken(
        "denials-name-devices",
        "A 403 lists the ids of every device in its message.",
        ("DEV-PERM-011",),
        patched(deny=deny_naming_devices),
    ),
    # ---------------------------------------------------------------- /me
    Broken(
        "me-user-name-upper-case",
        "GET /me gives the userName in upper case.",
        ("DEV-ME-001",),
        layered(rewrite_json(user_field("userName", str.upper), route("/me"))),
    ),
    Broken(
        "me-shows-disabled",
        "GET /me shows the caller with `enabled` false.",
        ("DEV-ME-001",),
        layered(rewrite_json(user_field("enabled", lambda _: False), route("/me"))),
    ),
    # ---------------------------------------------------------------- envelope
    Broken(
        "errors-as-text-plain",
        "Error answers are served as text/plain.",
        ("DEV-ENV-001",),
        layered(rewrite_response(text_plain)),
    ),
    Broken(
        "status-code-as-string",
        "Every body's statusCode is a string.",
        ("DEV-ENV-001",),
        layered(rewrite_json(lambda body: body.update(statusCode=str(body["statusCode"])))),
    ),
    Broken(
        "operations-answer-202",
        "A successful device operation answers HTTP 202.",
        ("DEV-ENV-002",),
        layered(rewrite_response(set_status(202), route(DEVICE, "POST"))),
    ),
    Broken(
        "errors-carry-a-trace",
        "Error bodies carry an `exception` member beside statusCode and statusMessage.",
        ("DEV-ENV-003",),
        layered(rewrite_json(on_error(with_key("exception", "java.lang.IllegalStateException")))),
    ),
    Broken(
        "me-enabled-as-string",
        'GET /me gives user.enabled as the string "true".',
        ("DEV-ENV-004",),
        layered(rewrite_json(user_field("enabled", lambda v: "true"), route("/me"))),
    ),
    # ---------------------------------------------------------------- HTTP
    Broken(
        "deny-with-not-found-code",
        "A 403 carries statusCode 6.",
        ("DEV-HTTP-001",),
        patched(deny=lambda self, message: ApiError(403, 6, message)),
    ),
    Broken(
        "long-id-500",
        "A device id longer than 256 characters is answered 500.",
        ("DEV-HTTP-002",),
        layered(answer(500, INTERNAL_ERROR, lambda s: len(s.path.rsplit("/", 1)[-1]) > 256)),
    ),
    Broken(
        "no-allow-header",
        "A 405 carries no Allow header.",
        ("DEV-HTTP-003",),
        patched(method_not_allowed=without_allow),
    ),
    Broken(
        "unknown-method-404",
        "A method the path lacks is answered 404.",
        ("DEV-HTTP-003",),
        patched(method_not_allowed=lambda self, allowed: self.error(404, 6, "No such resource")),
    ),
    Broken(
        "missing-device-500",
        "An unknown device id is answered 500.",
        ("DEV-HTTP-002",),
        patched(find_device=missing_is_500),
    ),
    Broken(
        "missing-device-403",
        "An unknown device id is answered 403.",
        ("DEV-HTTP-004",),
        patched(find_device=missing_is_forbidden),
    ),
    Broken(
        "unknown-user-empty-list",
        "An unknown user id on /users/{userId}/devices lists no devices instead of 404.",
        ("DEV-HTTP-004",),
        patched(find_user=stand_in_user),
    ),
    Broken(
        "unreadable-body-crashes",
        "A body sent in chunks whose framing is broken is answered 500: the read error escapes.",
        ("DEV-HTTP-005",),
        patched(json_body=unreadable_body_crashes),
    ),
    Broken(
        "unreadable-body-dropped",
        "A body sent in chunks whose framing is broken gets no answer: the connection is dropped.",
        ("DEV-HTTP-007",),
        patched(json_body=unreadable_body_dropped),
    ),
    Broken(
        "invalid-network-ignored",
        "A create with an invalid telephonyNetwork creates a Private device.",
        ("DEV-HTTP-005",),
        layered(
            rewrite_request(
                lambda b: (
                    b.pop("telephonyNetwork")
                    if b.get("telephonyNetwork") not in (None, "Public", "Private")
                    else None
                ),
                route(COLLECTIONS, "POST"),
            )
        ),
    ),
    Broken(
        "unparsable-number-crashes",
        "A create whose phoneNumber is `+` and digits but no number (+0...) is answered 500.",
        ("DEV-HTTP-002",),
        layered(
            answer(
                500,
                INTERNAL_ERROR,
                posts_member(COLLECTIONS, "phoneNumber", lambda number: number.startswith("+0")),
            )
        ),
    ),
    Broken(
        "malformed-target-crashes",
        "ListenIn whose targetDeviceUri is no URI (`http://[`...) is answered 500.",
        ("DEV-HTTP-002",),
        layered(
            answer(
                500,
                INTERNAL_ERROR,
                posts_member(DEVICE, "targetDeviceUri", lambda uri: uri.startswith("http://[")),
            )
        ),
    ),
    Broken(
        "unknown-target-crashes",
        "ListenIn whose targetDeviceUri names no device is answered 500.",
        ("DEV-HTTP-002",),
        layered(
            answer(
                500,
                INTERNAL_ERROR,
                posts_member(DEVICE, "targetDeviceUri", lambda uri: uri.endswith("f00d")),
            )
        ),
    ),
    Broken(
        "monitoring-values-unchecked",
        "ListenIn takes a supervisorMonitoringScope or Mode outside the seed's values (as the"
        " default).",
        ("DEV-HTTP-005",),
        layered(
            rewrite_request(
                lambda b: [
                    b.pop(member)
                    for member, known in MONITORING_VALUES.items()
                    if member in b and b[member] not in known
                ],
                route(DEVICE, "POST"),
            )
        ),
    ),
    Broken(
        "unknown-query-refused",
        "A query parameter other than `fields` is answered 400.",
        ("DEV-HTTP-006",),
        layered(
            answer(
                400,
                {"statusCode": 2, "statusMessage": "Unknown parameter"},
                lambda s: bool(set(s.query) - {"fields"}),
            )
        ),
    ),
    # ---------------------------------------------------------------- fields
    Broken(
        "relative-uris",
        "Device URIs are relative paths.",
        ("DEV-FLD-001",),
        patched(device_uri=lambda self, origin, device_id: f"/api/v2/devices/{device_id}"),
    ),
    Broken(
        "no-fields-returns-objects",
        "A collection without `fields` returns device objects, not URIs.",
        ("DEV-FLD-001",),
        patched(collection=objects_without_fields),
    ),
    Broken(
        "user-devices-ignore-fields",
        "GET /users/{userId}/devices returns URIs even with fields=*.",
        ("DEV-FLD-002",),
        patched(
            list_user_devices=lambda self, call, user_id: ReferenceApp.list_user_devices(
                self, replace(call, fields=None), user_id
            )
        ),
    ),
    Broken(
        "fields-ignored",
        "`fields=a,b` returns every attribute.",
        ("DEV-FLD-003",),
        patched(project=lambda self, attributes, fields: attributes),
    ),
    Broken(
        "full-view-lacks-phone-number",
        "`fields=*` leaves phoneNumber out, which `fields=phoneNumber` shows.",
        ("DEV-FLD-003",),
        layered(
            rewrite_json(
                each_device(drop_attribute("phoneNumber")),
                lambda seen: ALL_VIEWS(seen) and seen.query.get("fields") == ["*"],
            )
        ),
    ),
    Broken(
        "id-only-when-asked",
        "`fields=a,b` leaves `id` out unless named.",
        ("DEV-FLD-004",),
        patched(
            project=lambda self, attributes, fields: (
                attributes
                if fields is None or "*" in fields
                else {k: v for k, v in attributes.items() if k in fields}
            )
        ),
    ),
    Broken(
        "unknown-field-500",
        "An unknown name in `fields` is answered 500.",
        ("DEV-FLD-005",),
        layered(answer(500, INTERNAL_ERROR, unknown_field_named)),
    ),
    Broken(
        "unknown-field-404",
        "An unknown name in `fields` is answered 404.",
        ("DEV-FLD-005",),
        layered(
            answer(
                404, {"statusCode": 6, "statusMessage": "No such attribute"}, unknown_field_named
            )
        ),
    ),
    Broken(
        "single-device-as-list",
        "A single device comes back under `devices`, a one-item list.",
        ("DEV-FLD-006",),
        patched(
            single=lambda self, call, device: self.ok(
                {"devices": [self.render_device(device, call.user, call.origin, call.fields)]}
            )
        ),
    ),
    Broken(
        "me-device-off-by-one",
        "GET /me/devices/{id} returns the caller's device listed after the one asked for.",
        ("DEV-FLD-006",),
        patched(get_my_device=next_own_device),
    ),
    # ---------------------------------------------------------------- lists
    Broken(
        "me-devices-miss-extensions",
        "GET /me/devices leaves out internal extensions.",
        ("DEV-LIST-001",),
        patched(
            list_my_devices=lambda self, call: self.collection(
                call,
                [d for d in self.store.devices_owned_by(call.user.id) if d.number.calling_code],
            )
        ),
    ),
    Broken(
        "all-devices-miss-supervisors",
        "GET /devices leaves out the devices of supervisors.",
        ("DEV-LIST-002",),
        patched(
            list_devices=lambda self, call: self.collection(
                call,
                [
                    d
                    for d in self.store.devices()
                    if not (
                        d.owner_id and self.store.user_by_id(d.owner_id).has_role(ROLE_SUPERVISOR)
                    )
                ],
            )
        ),
    ),
    Broken(
        "uris-to-old-api",
        "Device URIs point at /api/v1.",
        ("DEV-LIST-003",),
        patched(device_uri=lambda self, origin, device_id: f"{origin}/api/v1/devices/{device_id}"),
    ),
    Broken(
        "list-entries-without-user-state",
        "Devices in a `fields=*` list lack the userState they show alone.",
        ("DEV-LIST-004",),
        layered(rewrite_json(each_device(drop_attribute("userState")), route(COLLECTIONS, "GET"))),
    ),
    Broken(
        "uri-list-misses-last",
        "The URI list leaves out the last device that `fields=*` lists.",
        ("DEV-LIST-005",),
        layered(rewrite_json(drop_last_uri, route(COLLECTIONS, "GET"))),
    ),
    # ---------------------------------------------------------------- attributes
    Broken(
        "phone-number-differs-by-path",
        "GET /devices/{id} shows phoneNumber in its local form.",
        ("DEV-ATTR-001",),
        layered(
            rewrite_json(
                each_device(lambda d: d.update(phoneNumber=d.get("localNumber", ""))),
                route(r"/devices/[^/]+", "GET"),
            )
        ),
    ),
    Broken(
        "device-state-lower-case",
        "deviceState is `active` / `inactive`.",
        ("DEV-ATTR-002",),
        layered(rewrite_json(each_device(set_attribute("deviceState", str.lower)), ALL_VIEWS)),
    ),
    Broken(
        "telephony-network-upper-case",
        "telephonyNetwork is `PUBLIC` / `PRIVATE`.",
        ("DEV-ATTR-003",),
        layered(rewrite_json(each_device(set_attribute("telephonyNetwork", str.upper)), ALL_VIEWS)),
    ),
    Broken(
        "do-not-disturb-boolean",
        "doNotDisturb is a JSON boolean.",
        ("DEV-ATTR-004",),
        layered(
            rewrite_json(each_device(set_attribute("doNotDisturb", lambda v: v == "On")), ALL_VIEWS)
        ),
    ),
    Broken(
        "country-code-lower-case",
        "country.code is lower case (`us`).",
        ("DEV-ATTR-005",),
        layered(
            rewrite_json(
                each_device(set_attribute("country", lambda c: {**c, "code": c["code"].lower()})),
                ALL_VIEWS,
            )
        ),
    ),
    Broken(
        "extension-with-a-country-code",
        "An internal extension's country shows code `GB` beside its empty name and calling code.",
        ("DEV-ATTR-005",),
        layered(
            rewrite_json(
                each_device(
                    set_attribute("country", lambda c: {**c, "code": c["code"] or "GB"} if c else c)
                ),
                ALL_VIEWS,
            )
        ),
    ),
    Broken(
        "relative-phone-number-uri",
        "phoneNumberUri is a relative path.",
        ("DEV-ATTR-006",),
        patched(
            phone_number_uri=lambda self, origin, number_id: f"/api/v2/phone-numbers/{number_id}"
        ),
    ),
    Broken(
        "repeated-capabilities",
        "capabilities lists each operation twice.",
        ("DEV-ATTR-007",),
        layered(
            rewrite_json(each_device(set_attribute("capabilities", lambda c: c * 2)), ALL_VIEWS)
        ),
    ),
    Broken(
        "user-state-without-display-name",
        "userState lacks displayName.",
        ("DEV-ATTR-008",),
        layered(
            rewrite_json(
                each_device(
                    set_attribute("userState", lambda s: {"id": s["id"], "state": s["state"]})
                ),
                ALL_VIEWS,
            )
        ),
    ),
    Broken(
        "monitoring-mode-lower-case",
        "supervisorMonitoringMode is `allcalls` / `nextcall`.",
        ("DEV-ATTR-009",),
        layered(
            rewrite_json(
                each_device(set_attribute("supervisorMonitoringMode", str.lower)), ALL_VIEWS
            )
        ),
    ),
    Broken(
        "vendor-null",
        "vendor is null.",
        ("DEV-ATTR-010",),
        layered(rewrite_json(each_device(set_attribute("vendor", lambda v: None)), ALL_VIEWS)),
    ),
    Broken(
        "phone-number-uri-shared",
        "Every device's phoneNumberUri names the same phone number.",
        ("DEV-ATTR-012",),
        layered(
            rewrite_json(
                each_device(set_attribute("phoneNumberUri", lambda v: f"{v.rpartition('/')[0]}/1")),
                ALL_VIEWS,
            )
        ),
    ),
    # ---------------------------------------------------------------- numbers
    Broken(
        "country-always-us",
        "Every public number claims country US, whatever its calling code.",
        ("DEV-NUM-001",),
        layered(
            rewrite_json(
                each_device(
                    set_attribute(
                        "country",
                        lambda c: {**c, "code": "US", "name": "United States"} if c["code"] else c,
                    )
                ),
                ALL_VIEWS,
            )
        ),
    ),
    Broken(
        "extension-e164-with-plus",
        "An internal extension's e164Number gains a `+`.",
        ("DEV-NUM-002",),
        layered(
            rewrite_json(
                each_device(
                    set_attribute("e164Number", lambda n: n if n.startswith("+") else f"+{n}")
                ),
                ALL_VIEWS,
            )
        ),
    ),
    Broken(
        "local-number-is-e164",
        "localNumber repeats the E.164 form.",
        ("DEV-NUM-003",),
        layered(
            rewrite_json(
                each_device(
                    lambda d: d.update(localNumber=d["e164Number"]) if "e164Number" in d else None
                ),
                ALL_VIEWS,
            )
        ),
    ),
    # ---------------------------------------------------------------- capabilities and monitoring
    Broken(
        "capabilities-never-updated",
        "Capabilities stay as first shown: consistent at discovery, stale after an operation.",
        ("DEV-CAP-001",),
        patched(capabilities=capabilities_as_first_shown),
    ),
    Broken(
        "both-do-not-disturb-capabilities",
        "Both DoNotDisturbOn and DoNotDisturbOff are always offered.",
        ("DEV-CAP-001",),
        patched(capabilities=capabilities_plus("DoNotDisturbOn", "DoNotDisturbOff")),
    ),
    Broken(
        "monitoring-capabilities-for-all",
        "ListenIn, BargeIn and Coach are offered to every viewer.",
        ("DEV-CAP-002",),
        patched(capabilities=capabilities_plus("ListenIn", "BargeIn", "Coach")),
    ),
    Broken(
        "cancel-always-offered",
        "CancelSupervisorMonitoring is offered to supervisors while not monitoring.",
        ("DEV-CAP-003",),
        patched(
            capabilities=capabilities_plus("CancelSupervisorMonitoring", when_offered="ListenIn")
        ),
    ),
    Broken(
        "mode-without-state",
        "A supervisor's device shows supervisorMonitoringMode while not monitoring.",
        ("DEV-MON-001",),
        layered(rewrite_json(each_device(mode_without_state), ALL_VIEWS)),
    ),
    Broken(
        "monitoring-default-next-call",
        "Monitoring without a mode records NextCall instead of AllCalls.",
        ("DEV-MON-002",),
        layered(rewrite_request(next_call_by_default, route(DEVICE, "POST"))),
    ),
    Broken(
        "cancel-forgotten",
        "CancelSupervisorMonitoring answers success and changes nothing.",
        ("DEV-MON-003",),
        layered(answer(200, SUCCESS, posts(DEVICE, operationName="CancelSupervisorMonitoring"))),
    ),
    Broken(
        "cancel-not-offered",
        "CancelSupervisorMonitoring is accepted while monitoring but never offered.",
        ("DEV-MON-004",),
        patched(capabilities=without_capability("CancelSupervisorMonitoring")),
    ),
    Broken(
        "monitors-itself",
        "A supervisor's ListenIn, BargeIn or Coach naming its own device as the target succeeds.",
        ("DEV-MON-007",),
        monitors_itself,
    ),
    # ---------------------------------------------------------------- operations
    Broken(
        "do-not-disturb-on-forgotten",
        "DoNotDisturbOn answers success and changes nothing.",
        ("DEV-OPS-001",),
        layered(answer(200, SUCCESS, posts(DEVICE, operationName="DoNotDisturbOn"))),
    ),
    Broken(
        "forward-to-wrong-destination",
        "ForwardCallsOn forwards to 3001 whatever the destination.",
        ("DEV-OPS-002",),
        layered(
            rewrite_request(
                lambda b: b.update(destination="3001"),
                posts(DEVICE, operationName="ForwardCallsOn"),
            )
        ),
    ),
    Broken(
        "forward-without-destination",
        "ForwardCallsOn without destination forwards to 3001.",
        ("DEV-OPS-003",),
        layered(
            rewrite_request(
                lambda b: b.setdefault("destination", "3001"),
                posts(DEVICE, operationName="ForwardCallsOn"),
            )
        ),
    ),
    Broken(
        "unknown-operation-accepted",
        "A missing or unknown operationName answers success.",
        ("DEV-OPS-004",),
        layered(answer(200, SUCCESS, unknown_operation)),
    ),
    Broken(
        "unavailable-operation-accepted",
        "An operation the device does not offer now answers success.",
        ("DEV-OPS-005",),
        layered(rewrite_response(unavailable_is_success, route(DEVICE, "POST"))),
    ),
    Broken(
        "monitoring-without-target",
        "ListenIn, BargeIn and Coach without targetDeviceUri monitor the agent's device.",
        ("DEV-OPS-006",),
        layered(rewrite_request(default_target, route(DEVICE, "POST"))),
    ),
    # ---------------------------------------------------------------- creating devices
    Broken(
        "missing-number-code-2",
        "A create without phoneNumber answers statusCode 2, not 1.",
        ("DEV-CRT-001",),
        layered(rewrite_json(swap_code(1, 2), route(COLLECTIONS, "POST"))),
    ),
    Broken(
        "create-ignores-model",
        "A create ignores the `model` sent: the device shows the default, CloudDevice.",
        ("DEV-CRT-002",),
        layered(rewrite_request(lambda b: b.pop("model", None), route(COLLECTIONS, "POST"))),
    ),
    Broken(
        "create-ignores-network",
        "A create ignores the `telephonyNetwork` sent: the device is Private.",
        ("DEV-CRT-002",),
        layered(
            rewrite_request(lambda b: b.pop("telephonyNetwork", None), route(COLLECTIONS, "POST"))
        ),
    ),
    Broken(
        "create-answers-relative-uri",
        "A create answers a relative `uri`.",
        ("DEV-CRT-002",),
        layered(
            rewrite_json(
                lambda b: b.update(uri=b["uri"].split("/api/v2", 1)[-1]) if "uri" in b else None,
                route(COLLECTIONS, "POST"),
            )
        ),
    ),
    Broken(
        "default-network-public",
        "A device created without telephonyNetwork is Public.",
        ("DEV-CRT-003",),
        layered(
            rewrite_request(
                lambda b: b.setdefault("telephonyNetwork", "Public"), route(COLLECTIONS, "POST")
            )
        ),
    ),
    Broken(
        "number-in-use-400",
        "A create with a number in use is answered 400 (statusCode 2), not 403.",
        ("DEV-CRT-004",),
        layered(
            rewrite_json(swap_code(3, 2), route(COLLECTIONS, "POST")),
            rewrite_response(
                lambda r: (
                    setattr(r, "status_code", 400) if b'"statusCode": 2' in r.get_data() else None
                ),
                route(COLLECTIONS, "POST"),
            ),
        ),
    ),
    Broken(
        "me-created-unassigned",
        "A device created on /me/devices is assigned to nobody.",
        ("DEV-CRT-005",),
        patched(
            create_my_device=lambda self, call: self.created(call, self.new_device(call, None))
        ),
    ),
    Broken(
        "created-devices-hidden",
        "GET /devices lists only the devices the server started with.",
        ("DEV-CRT-006",),
        patched(
            list_devices=lambda self, call: self.collection(
                call, [d for d in self.store.devices() if d.id in FIXTURE_DEVICES]
            )
        ),
    ),
    # ---------------------------------------------------------------- generated requests
    Broken(
        "non-text-number-500",
        "A create whose phoneNumber is not a string is answered 500.",
        ("DEV-FUZZ-001",),
        layered(
            answer(
                500,
                INTERNAL_ERROR,
                lambda s: (
                    route(COLLECTIONS, "POST")(s)
                    and isinstance(s.body, dict)
                    and "phoneNumber" in s.body
                    and not isinstance(s.body["phoneNumber"], str)
                ),
            )
        ),
        fuzz=True,
    ),
    Broken(
        "created-device-unreadable-by-owner",
        "GET /me/devices/{id} answers 404 for a device created after start, though listed.",
        ("DEV-FUZZ-002",),
        patched(get_my_device=created_unreadable_by_owner),
        fuzz=True,
    ),
)


# ---------------------------------------------------------------- the 8.5.2 profile
# The 8.5.2-only rules, and the rules whose form changed (openapi/decisions.md#profiles), broken
# on the reference server of that profile and judged with --api-version 8.5.2.
def broken_852(name: str, fault: str, breaks: tuple[str, ...], build: Build) -> Broken:
    return Broken(name, fault, breaks, build, profile="8.5.2")


CATALOGUE_852: tuple[Broken, ...] = (
    broken_852(
        "monitoring-object-mode-lower-case-852",
        "The monitoring object's mode is `allcalls` / `nextcall`.",
        ("DEV-ATTR-011",),
        layered_852(rewrite_json(each_device(set_attribute(MONITORING, lower_mode)), ALL_VIEWS)),
    ),
    broken_852(
        "flat-mode-beside-object-852",
        "A monitoring device shows the flat supervisorMonitoringMode beside the object.",
        ("DEV-MON-005",),
        layered_852(rewrite_json(each_device(flat_mode_too), ALL_VIEWS)),
    ),
    broken_852(
        "monitoring-names-own-device-852",
        "The monitoring object's targetDeviceUri names the supervisor's own device.",
        ("DEV-MON-006",),
        layered_852(rewrite_json(each_device(target_is_own_device), ALL_VIEWS)),
    ),
    broken_852(
        "monitoring-object-default-next-call-852",
        "Monitoring without a mode records NextCall instead of AllCalls, in the object.",
        ("DEV-MON-006",),
        layered_852(rewrite_request(next_call_by_default, route(DEVICE, "POST"))),
    ),
    broken_852(
        "mute-offered-to-everyone-852",
        "MuteMonitoredUser is offered to every viewer, monitoring or not.",
        ("DEV-CAP-004", "DEV-CAP-002"),
        patched_852(capabilities=capabilities_plus("MuteMonitoredUser")),
    ),
    broken_852(
        "unmute-while-not-monitoring-852",
        "UnmuteMonitoredUser is offered to supervisors while not monitoring.",
        ("DEV-CAP-004",),
        patched_852(capabilities=capabilities_plus("UnmuteMonitoredUser", when_offered="ListenIn")),
    ),
    broken_852(
        "number-in-use-code-18-852",
        "A create with a number in use is answered 403 with statusCode 18 (already exists).",
        ("DEV-HTTP-001",),
        layered_852(rewrite_json(swap_code(3, 18), route(COLLECTIONS, "POST"))),
    ),
    broken_852(
        "voice-service-uri-relative-852",
        "voiceServiceUri is a relative path.",
        ("DEV-ATTR-006",),
        layered_852(
            rewrite_json(each_device(set_attribute("voiceServiceUri", relative_uri)), ALL_VIEWS)
        ),
    ),
    broken_852(
        "type-number-852",
        "type is a number.",
        ("DEV-ATTR-010",),
        layered_852(rewrite_json(each_device(set_attribute("type", lambda t: 7)), ALL_VIEWS)),
    ),
)

CATALOGUE = CATALOGUE + CATALOGUE_852

# MUST requirements no broken server can make fail, and why.
NOT_TESTED: dict[str, str] = {}


def by_name(name: str) -> Broken:
    for row in CATALOGUE:
        if row.name == name:
            return row
    raise KeyError(name)
