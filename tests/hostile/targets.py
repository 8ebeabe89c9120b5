"""The targets the suite cannot use, one row each: what it does, how it is served, what the run
must say and its exit status. tests/hostile/test_targets.py runs the suite against each;
`python -m tests.hostile NAME` serves one by hand."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING

from conformance.plugin import EXIT_UNUSABLE_TARGET, EXIT_USAGE

from . import servers

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

Serve = Callable[[str, int], AbstractContextManager[str]]
QUICK = ("--request-timeout", "1")


@dataclass(frozen=True)
class Hostile:
    name: str
    behaviour: str
    serve: Serve  # on (host, port), yields the --base-url
    message: str  # a regular expression the output must match
    returncode: int = EXIT_UNUSABLE_TARGET
    args: tuple[str, ...] = ()
    listens: bool = True  # False for a URL alone or a closed port: nothing to keep serving


def url(text: str) -> Serve:
    """No server: a --base-url the suite cannot use as it is."""
    return lambda host, port: nullcontext(text)


def raw(answer: servers.Answer) -> Serve:
    return lambda host, port: servers.raw_server(answer, host, port)


def wsgi(app: WSGIApplication) -> Serve:
    return lambda host, port: servers.wsgi_server(app, host, port)


HOSTILE = [
    Hostile(
        "refused",
        "nothing listens on the port",
        servers.closed_port,
        "connection refused",
        listens=False,
    ),
    Hostile(
        "unknown-host",
        "the host name does not resolve",
        url("http://devices.hostile.invalid/api/v2"),
        r"Cannot use http://devices\.hostile\.invalid/api/v2: .*no response",
        listens=False,
    ),
    Hostile(
        "silent-resolver",
        "the name server never answers",
        url("http://devices.silent.invalid/api/v2"),
        r"Cannot use http://devices\.silent\.invalid/api/v2: the host name "
        r"devices\.silent\.invalid did not resolve within 1 s",
        args=("-p", "tests.hostile.silent_resolver", *QUICK),
        listens=False,
    ),
    Hostile(
        "wrong-scheme",
        "the base URL is ftp://",
        url("ftp://127.0.0.1/api/v2"),
        r"--base-url must be an http\(s\) URL",
        returncode=EXIT_USAGE,
        listens=False,
    ),
    Hostile(
        "not-api-v2",
        "the base URL does not end in /api/v2",
        url("http://127.0.0.1:9/api/v1"),
        r"--base-url must end in /api/v2",
        returncode=EXIT_USAGE,
        listens=False,
    ),
    Hostile("tls", "https:// to a plain HTTP port", servers.tls_to_plain_http, "TLS handshake"),
    Hostile(
        "hang",
        "accepts, never answers",
        raw(servers.hang),
        "timed out",
        args=QUICK,
    ),
    Hostile(
        "trickle",
        "sends its head one byte every half second, for ever",
        raw(servers.trickle),
        "timed out",
        args=("--request-timeout", "2"),
    ),
    Hostile(
        "reset",
        "resets the connection after the request",
        raw(servers.reset),
        r"connection (reset|closed)",
    ),
    Hostile(
        "invalid-json",
        "answers invalid JSON as application/json",
        wsgi(servers.invalid_json),
        r"GET /me answered HTTP 200 application/json",
    ),
    Hostile(
        "refuses-everyone",
        "answers 401 to every request, whatever the credentials",
        wsgi(servers.refuse_everyone),
        r"no identity authenticates: the target refused the admin, supervisor, agent, "
        r"other-agent credentials \(HTTP 401 on GET /me\); check \$DEVICES_API_ADMIN",
    ),
    Hostile(
        "html-error",
        "answers an HTML error page",
        wsgi(servers.html_error),
        r"GET /me answered HTTP 500 text/html",
    ),
    Hostile(
        "huge-body",
        f"streams a {servers.HUGE_MIB} MiB body",
        wsgi(servers.huge_body),
        r"more than 8388608 bytes; reading stopped",
        args=("--request-timeout", "5"),
    ),
    Hostile(
        "gzip-bomb",
        f"sends a gzip body that decodes to {servers.HUGE_MIB} MiB",
        wsgi(servers.gzip_bomb),
        r"more than 8388608 bytes; reading stopped",
        args=("--request-timeout", "5"),
    ),
    Hostile(
        "redirect",
        "redirects every request to another origin",
        servers.redirect_elsewhere,
        r"GET /me answered HTTP 302 .*redirect to http://127\.0\.0\.1:\d+/api/v2/me \(not followed",
    ),
]
BY_NAME = {hostile.name: hostile for hostile in HOSTILE}
