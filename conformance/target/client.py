"""An HTTP client per identity. Every exchange is recorded, bounded in time and size, and can be
written as a curl line that names the credentials' environment variable instead of the password."""

from __future__ import annotations

import base64
import json
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests

from conformance.contract.exchange import Exchange
from conformance.contract.failures import RequirementFailure
from conformance.contract.identities import MALFORMED, NOT_BASE64, OTHER_SCHEME
from conformance.target import sightings
from conformance.target.breaker import BREAKER
from conformance.target.target import Credentials, Target

MALFORMED_AUTHORIZATION = "Basic not*base64"

CHUNK = 64 * 1024


class Pacer:
    """At most `rate` requests per second from this process, for shared environments."""

    def __init__(self) -> None:
        self.rate: float | None = None
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self.rate:
            return
        with self._lock:
            now = time.monotonic()
            delay = self._next - now
            self._next = max(now, self._next) + 1.0 / self.rate
        if delay > 0:
            time.sleep(delay)


PACER = Pacer()
# Requests that changed or may have changed the target, so the report can tell an operator.
WRITES: list[str] = []


class _Expired(Exception):
    """Raised by the alarm; deliberately not an OSError, which urllib3 would take for a
    connection failure and retry or rewrap."""


@contextmanager
def whole_exchange_within(seconds: float | None) -> Iterator[None]:
    """Ends an exchange that outlasts `seconds` with requests.ReadTimeout. A per-read timeout
    alone lets a server trickle a byte per read, headers included, for ever. The alarm is a
    signal, so it works in the main thread only, and not on Windows (no SIGALRM); elsewhere the
    per-read timeout is the bound. An interval timer already running (pytest-timeout's signal
    method uses one) keeps running: the tighter of the two bounds the exchange."""
    in_main = threading.current_thread() is threading.main_thread()
    if not seconds or not in_main or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    outer, interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    if 0 < outer <= seconds:
        # An outer timer (pytest-timeout's, say) ends first: it stays the bound, untouched.
        signal.signal(signal.SIGALRM, previous)
        signal.setitimer(signal.ITIMER_REAL, outer, interval)
        yield
        return
    started = time.monotonic()
    try:
        yield
    except _Expired:
        raise requests.ReadTimeout(f"no complete response within {seconds:g} s") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer > 0:
            # The outer timer gets back what is left of it, instead of being cancelled.
            left = outer - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3), interval)


class TargetSession(requests.Session):
    """A session that ignores the environment's proxy and CA settings and notes the writes it
    sends. The fuzzing phase uses it too; pacing is the caller's (Client, or schemathesis's
    limiter)."""

    def __init__(self, verify: bool | str = True) -> None:
        super().__init__()
        # Proxy and CA settings of the environment do not apply: --ca-bundle names the CA.
        self.trust_env = False
        self.verify = verify

    def _bounded_request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        """A request of schemathesis's: bounded whole, and not sent while the path's breaker
        is open."""
        BREAKER.check(url)
        timeout = kwargs.get("timeout")
        try:
            with whole_exchange_within(timeout if isinstance(timeout, int | float) else None):
                response = super().request(method, url, *args, **kwargs)
        except requests.Timeout:
            BREAKER.record(url, timed_out=True)
            raise
        BREAKER.record(url, timed_out=False)
        return response

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        # Client paces and bounds a whole exchange itself (its body is read later, and the
        # pause must not count against the deadline); schemathesis's requests are bounded here
        # and paced by the limiter it consults before each one (cases/test_fuzz.py).
        verb = method.decode() if isinstance(method, bytes) else str(method)
        if kwargs.pop("bounded", False):
            response = super().request(method, url, *args, **kwargs)
        else:
            response = self._bounded_request(verb, str(url), *args, **kwargs)
        if verb.upper() not in {"GET", "HEAD", "OPTIONS"} and response.status_code < 300:
            shown = url.decode() if isinstance(url, bytes) else str(url)
            WRITES.append(f"{verb.upper()} {shown} -> {response.status_code}")
        return response


def basic(user: str, password: str) -> str:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return f"Basic {token}"


class Client:
    """Talks to the target as one identity. Keeps the CSRF header a server hands out, since a
    server with CSRF protection refuses writes without it (vendor page "CSRF protection")."""

    def __init__(self, target: Target, identity: str, credentials: Credentials | None) -> None:
        self.target = target
        self.identity = identity
        self.credentials = credentials
        self.session = TargetSession(target.tls_verify)
        self.csrf: tuple[str, str] | None = None
        self.exchanges: list[Exchange] = []

    def authorization(self) -> str | None:
        if self.identity == MALFORMED:
            return MALFORMED_AUTHORIZATION
        if self.credentials is None:
            return None
        login = basic(self.credentials.user, self.credentials.password)
        token = login.removeprefix("Basic ")
        if self.identity == OTHER_SCHEME:
            return f"Bearer {token}"
        if self.identity == NOT_BASE64:
            return f"Basic {token[:4]}*{token[4:]}"
        return login

    def url(self, path: str, params: dict[str, str] | None = None) -> str:
        url = self.target.base_url + path
        return f"{url}?{urlencode(params)}" if params else url

    def get(self, path: str, params: dict[str, str] | None = None) -> Exchange:
        return self.send("GET", self.url(path, params))

    def post(self, path: str, body: Any, *, csrf: bool = True) -> Exchange:
        return self.post_bytes(path, json.dumps(body).encode(), csrf=csrf)

    def post_bytes(
        self, path: str, data: bytes, *, csrf: bool = True, headers: dict[str, str] | None = None
    ) -> Exchange:
        """A POST of exactly these bytes as JSON, well formed or not, with extra ``headers``."""
        headers = {"Content-Type": "application/json", **(headers or {})}
        if csrf and self.csrf:
            headers[self.csrf[0]] = self.csrf[1]
        return self.send("POST", self.url(path), data, headers)

    def send(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Exchange:
        sent = dict(headers or {})
        authorization = self.authorization()
        if authorization:
            sent["Authorization"] = authorization
        env_var = self.credentials.env_var if self.credentials else None
        exchange = Exchange(method, url, self.identity, sent, body, env_var=env_var)
        if isinstance(self.target.tls_verify, str):
            exchange.cacert = self.target.tls_verify
        self._perform(exchange)
        self.exchanges.append(exchange)
        self._remember_csrf(exchange)
        sightings.note(exchange)
        return exchange

    def _perform(self, exchange: Exchange) -> None:
        BREAKER.check(exchange.url)
        PACER.wait()
        started = time.monotonic()
        try:
            self._exchange(exchange, started)
        finally:
            exchange.elapsed = time.monotonic() - started
            # A per-read timeout, the alarm and the reading deadline all end at the timeout.
            timed_out = exchange.elapsed >= self.target.timeout * 0.99
            BREAKER.record(exchange.url, timed_out=timed_out)

    def _exchange(self, exchange: Exchange, started: float) -> None:
        deadline = started + self.target.timeout
        try:
            with (
                whole_exchange_within(self.target.timeout),
                self.session.request(
                    exchange.method,
                    exchange.url,
                    data=exchange.request_body,
                    headers=exchange.request_headers,
                    timeout=self.target.timeout,
                    allow_redirects=False,
                    stream=True,
                    bounded=True,
                ) as response,
            ):
                exchange.status = response.status_code
                exchange.headers = {k.lower(): v for k, v in response.headers.items()}
                exchange.body = self._read_bounded(response, deadline, exchange)
        except requests.RequestException as error:
            raise RequirementFailure(
                "DEV-HTTP-002",
                f"a complete HTTP response within {self.target.timeout:g} s",
                f"no response: {describe_transport_error(error)}",
                exchange,
            ) from None

    def _read_bounded(self, response: requests.Response, deadline: float, ex: Exchange) -> bytes:
        # Both bounds matter: a read timeout alone lets a server trickle one byte per second
        # forever, and a size cap keeps a runaway body from exhausting memory.
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_content(CHUNK):
            chunks.append(chunk)
            size += len(chunk)
            if size > self.target.max_body:
                raise RequirementFailure(
                    "DEV-HTTP-002",
                    f"a body of at most {self.target.max_body} bytes",
                    f"more than {self.target.max_body} bytes; reading stopped",
                    ex,
                )
            if time.monotonic() > deadline:
                raise RequirementFailure(
                    "DEV-HTTP-002",
                    f"the whole response within {self.target.timeout:g} s",
                    f"{size} bytes after {self.target.timeout:g} s; reading stopped",
                    ex,
                )
        return b"".join(chunks)

    def _remember_csrf(self, exchange: Exchange) -> None:
        name = exchange.headers.get("x-csrf-header")
        token = exchange.headers.get("x-csrf-token")
        if exchange.method == "GET" and name and token:
            self.csrf = (name, token)

    def close(self) -> None:
        self.session.close()


TRANSPORT_REASONS = (
    ("refused", "connection refused"),
    ("resolve", "host name not found"),
    ("name or service not known", "host name not found"),
    ("nodename nor servname", "host name not found"),
    ("certificate", "TLS certificate rejected"),
    ("ssl", "TLS handshake failed"),
    ("reset", "connection reset"),
    # urllib3 says "Connection aborted." of every connection lost during an exchange: the
    # cause it wraps tells a close before any response from one in the middle of it.
    ("remotedisconnected", "connection closed without a response"),
    ("aborted", "connection closed mid-response"),
    ("badstatusline", "not an HTTP response"),
    ("invalid url", "not a valid URL"),
    ("no connection adapters", "not an http(s) URL"),
)


# How a server ends an exchange it will not answer: it drops the connection before a response.
DROPPED = ("connection reset", "connection closed without a response")


def dropped_unanswered(failure: RequirementFailure) -> bool:
    """Whether the exchange failed because the server dropped the connection unanswered (not a
    timeout, not a broken response)."""
    return failure.req_id == "DEV-HTTP-002" and failure.actual in {
        f"no response: {reason}" for reason in DROPPED
    }


def describe_transport_error(error: requests.RequestException) -> str:
    """One readable reason, not a chain of urllib3 exceptions."""
    if isinstance(error, requests.Timeout):
        return "timed out"
    text = f"{type(error).__name__} {error}".lower()
    for needle, reason in TRANSPORT_REASONS:
        if needle in text:
            return reason
    return type(error).__name__


def api_path(uri: str, base_url: str) -> str | None:
    """The part of an absolute URI after `/api/v2`, so that a URI the server built under another
    host, port or deployment prefix (a proxy) is followed on the target the suite was given."""
    path = urlsplit(uri).path
    marker = urlsplit(base_url).path.rstrip("/")
    marker = marker[marker.rfind("/api/") :] if "/api/" in marker else marker
    index = path.rfind(marker + "/")
    if not uri.lower().startswith(("http://", "https://")) or index < 0:
        return None
    return path[index + len(marker) :]
