"""The table of correct variants: each is the reference server making one other choice that
openapi/decisions.md allows. The suite must pass every one of them (exit 0, no MUST failed)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from conformance.reference.app import BASE_PATH, ReferenceApp
from conformance.reference.server import credentials, serve
from conformance.target.target import env_var
from tests.independent import BY_NAME as BY_IMPLEMENTATION
from tests.independent import IMPLEMENTATIONS, Implementation, serving
from tests.variants import pieces
from tests.variants.other_fixtures import other_fixtures_text

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

PREFIX = "/cloud-web"
PROXY_HOST = "devices.contoso.test:8443"


@dataclass(frozen=True)
class Deployment:
    """A built variant: the WSGI app, the prefix it is mounted under, who may log in."""

    app: WSGIApplication
    prefix: str = ""
    logins: dict[str, tuple[str, str]] = field(default_factory=credentials)


@dataclass(frozen=True)
class Variant:
    name: str
    choice: str
    build: Callable[[], Deployment]
    # The profile the variant answers in, and the suite judges by (--api-version).
    profile: str = "8.5.0"
    # Not the reference server at all: an implementation of tests/independent, in its process.
    independent: str | None = None
    # The --writes level the suite runs with: every case the variant's choice can meet.
    writes: str = "all"


def plain(app: Callable[[], WSGIApplication]) -> Callable[[], Deployment]:
    return lambda: Deployment(app())


def other_fixtures() -> Deployment:
    with tempfile.TemporaryDirectory(prefix="variant-fixtures-") as folder:
        path = Path(folder) / "fixtures.yaml"
        path.write_text(other_fixtures_text(), encoding="utf-8")
        # Both read the file now; it may go when the block ends.
        return Deployment(ReferenceApp(path), logins=credentials(path))


def headers(rewrite: Callable[[list[tuple[str, str]]], list[tuple[str, str]]]) -> Deployment:
    return Deployment(pieces.with_headers(ReferenceApp(), rewrite))


def independent(implementation: Implementation, profile: str, writes: str) -> Variant:
    def in_its_own_process() -> Deployment:
        raise TypeError(f"{implementation.name} runs in a process of its own: see running()")

    suffix = "" if profile == "8.5.0" else "-" + profile.replace(".", "")
    mode = "" if writes == "all" else f"-writes-{writes}"
    shown = "" if writes == "all" else f", judged with --writes {writes}"
    return Variant(
        f"{implementation.name}{suffix}{mode}",
        f"an independent implementation on {implementation.stack}{shown}",
        in_its_own_process, profile, independent=implementation.name, writes=writes,
    )  # fmt: skip


# fmt: off
VARIANTS = [
    Variant("reference", "the reference server itself, as a control",
            plain(ReferenceApp)),
    Variant("not-found-for-others", "another user's device is 404, not 403 (GET and POST)",
            plain(pieces.HidesOthersDevices)),
    Variant("admin-owns-nothing", "an admin-only user's GET /me/devices is 200 with no devices",
            plain(pieces.AdminOwnsNothing)),
    Variant("admin-owns-devices-too",
            "an admin-only user lists, creates and operates devices of its own on /me/devices",
            plain(pieces.AdminOwnsDevicesToo)),
    Variant("unknown-fields-400", "unknown names in `fields` are refused with 400",
            plain(pieces.RefusesUnknownFields)),
    Variant("malformed-id-400", "a device id that is not a UUID is refused with 400",
            plain(pieces.MalformedIdIs400)),
    Variant("seed-attributes-only", "devices show only the seed sample's eleven attributes",
            plain(pieces.SeedAttributesOnly)),
    Variant("id-only", "devices show only their id, the one attribute the contract requires",
            plain(pieces.IdOnly)),
    Variant("other-default-model",
            "a device created without a model shows 'Generic SIP Phone'; do-not-disturb starts on",
            plain(pieces.OtherDefaultModel)),
    Variant("later-version-attributes", "devices also carry `type` and `voiceServiceUri`",
            plain(pieces.LaterVersionAttributes)),
    Variant("punctuated-local-number", "localNumber written nationally: '(650) 987-0000'",
            plain(pieces.PunctuatedLocalNumber)),
    Variant("no-forwarding-configured",
            "capabilities never offer forwarding (reverse order); forwarding is refused",
            plain(pieces.NoForwardingConfigured)),
    Variant("unoffered-operation-403", "an operation the device does not offer is 403, code 3",
            plain(pieces.RefusesUnofferedWith403)),
    Variant("forbidden-code-3", "permission refusals carry statusCode 3 instead of 5",
            plain(pieces.ForbiddenIsCode3)),
    Variant("invalid-code-10", "invalid request bodies carry statusCode 10 instead of 2",
            plain(pieces.InvalidIsCode10)),
    Variant("challenge-without-realm", "the 401 challenge is a bare `Basic`, no realm",
            plain(pieces.ChallengeWithoutRealm)),
    Variant("csrf-protection", "CSRF protection on: POSTs need the X-CSRF-TOKEN a GET gave",
            plain(lambda: ReferenceApp(csrf=True))),
    Variant("session-cookie", "every response sets a JSESSIONID cookie",
            lambda: headers(pieces.session_cookie)),
    Variant("json-charset", "Content-Type is application/json;charset=UTF-8",
            lambda: headers(pieces.json_with_charset)),
    Variant("behind-proxy", f"URIs name the proxy's host and port, {PROXY_HOST}",
            plain(lambda: pieces.seen_as_host(ReferenceApp(), PROXY_HOST))),
    Variant("deployment-prefix", f"the API is mounted at {PREFIX}{BASE_PATH}",
            lambda: Deployment(pieces.under_prefix(pieces.PrefixAwareApp(), PREFIX), PREFIX)),
    Variant("container-404-elsewhere",
            "paths the API lacks get the container's HTML 404 page",
            plain(lambda: pieces.container_404_elsewhere(ReferenceApp()))),
    Variant("other-fixtures",
            "other users, ids, passwords, countries and numbers; more devices",
            other_fixtures),
    Variant("bare-user-record", "GET /me shows only the user's id, userName and roles",
            plain(pieces.BareUserRecord)),
    Variant("no-devices-yet", "no device exists until a client creates one",
            plain(pieces.NoDevicesYet)),
    Variant("other-body-reader",
            "bodies read as JSON whatever their label, refused unlabelled or over 1 KiB",
            plain(pieces.OtherBodyReader)),
    # The 8.5.2 profile's freedoms (openapi/decisions.md#gws-852-and-later).
    Variant("reference-852", "the reference server in the 8.5.2 profile, as a control",
            plain(lambda: ReferenceApp(profile="8.5.2")), profile="8.5.2"),
    Variant("voice-environment-link-852", "8.5.2 with `voiceEnvironmentUri`, not voiceServiceUri",
            plain(pieces.VoiceEnvironmentLink852), profile="8.5.2"),
    Variant("no-mute-offered-852", "8.5.2: a monitoring supervisor's device offers no mute",
            plain(pieces.NoMuteOffered852), profile="8.5.2"),
    Variant("number-in-use-19-852", "8.5.2: a number in use is 403 with statusCode 19, not 3",
            plain(pieces.NumberInUseIs19), profile="8.5.2"),
    # Controls on other stacks, written apart from the reference server (tests/independent).
    # Each in every --writes mode: a read-only run skips and judges other cases than a full one.
    *(independent(implementation, profile, writes)
      for implementation in IMPLEMENTATIONS for profile in ("8.5.0", "8.5.2")
      for writes in ("all", "reversible", "none")),
]
# fmt: on

BY_NAME = {variant.name: variant for variant in VARIANTS}


@dataclass(frozen=True)
class Running:
    base_url: str
    logins: dict[str, tuple[str, str]]

    def environment(self) -> dict[str, str]:
        """The environment a user would set to run the suite against this variant."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("DEVICES_API_")}
        for identity, (user, password) in self.logins.items():
            env[env_var(identity)] = f"{user}:{password}"
        return env


@contextmanager
def running(variant: Variant, host: str = "127.0.0.1", port: int = 0) -> Iterator[Running]:
    """The variant served on ``host:port`` (0: a free port) while the block runs."""
    if variant.independent is not None:
        implementation = BY_IMPLEMENTATION[variant.independent]
        with serving(implementation, variant.profile) as base_url:
            yield Running(base_url, implementation.logins())
        return
    deployment = variant.build()
    with serve(deployment.app, host, port) as server:
        yield Running(f"{server.origin}{deployment.prefix}{BASE_PATH}", deployment.logins)
