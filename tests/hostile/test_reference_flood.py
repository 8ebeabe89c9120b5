"""The reference server under a flood of malformed requests: it answers or drops each one, never
dies, and still answers a well-formed request at once, even while half-sent requests hang."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, suppress

import pytest
import requests

from conformance.reference import ReferenceApp
from conformance.reference.server import RunningServer, credentials, serve
from conformance.target.client import basic

TEN_MB = 10 * 1024 * 1024
# Bodies are only read once the caller is known, so the requests with one authenticate.
POST = (
    b"POST /api/v2/me/devices HTTP/1.1\r\nAuthorization: %s\r\n"
    % basic(*credentials()["agent"]).encode()
)
MALFORMED = {
    "binary": b"\x00\xff\xfe\x16\x03\x01 garbage\r\n\r\n",
    "no-version": b"GET\r\n\r\n",
    "unknown-version": b"GET /api/v2/me HTTP/9.9\r\n\r\n",
    "long-line": b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\n\r\n",
    "many-headers": b"GET /api/v2/me HTTP/1.1\r\n" + b"X-Many: y\r\n" * 1000 + b"\r\n",
    "negative-length": POST + b"Content-Length: -5\r\n\r\n",
    "bad-chunk": POST + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n",
    "ten-mb-body": (
        POST
        + b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % TEN_MB
        + b"[" * TEN_MB
    ),
}
COPIES = 8  # of each malformed request, sent concurrently
HALF_SENT = 50  # connections that send a request head without its end, and stay open
HALF_REQUEST = b"GET /api/v2/me HTTP/1.1\r\nHost: localhost\r\nX-Slow: "


@pytest.fixture
def server() -> Iterator[RunningServer]:
    with serve(ReferenceApp()) as running:
        yield running


def send(server: RunningServer, data: bytes) -> int | None:
    """Sends `data`; the HTTP status of the answer, or None when the server closed without one
    or answered the HTTP/0.9 way (a body alone), as the standard library does for a bad line."""
    answer = b""
    with suppress(OSError), socket.create_connection(("127.0.0.1", server.port), 5) as conn:
        with suppress(OSError):  # a server may answer and close before reading it all
            conn.sendall(data)
            conn.shutdown(socket.SHUT_WR)
        while chunk := conn.recv(65536):
            answer += chunk
    status = re.match(rb"HTTP/1\.[01] (\d{3}) ", answer)
    return int(status.group(1)) if status else None


def answers_me(server: RunningServer) -> None:
    user, password = credentials()["agent"]
    reply = requests.get(f"{server.base_url}/me", auth=(user, password), timeout=5)
    assert reply.status_code == 200, reply.text[:300]


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_malformed_requests_leave_the_server_answering(kind: str, server: RunningServer) -> None:
    with ThreadPoolExecutor(COPIES) as pool:
        list(pool.map(send, [server] * COPIES, [MALFORMED[kind]] * COPIES))
    answers_me(server)


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_a_malformed_request_gets_no_server_error(kind: str, server: RunningServer) -> None:
    status = send(server, MALFORMED[kind])
    assert status is None or status < 500, f"HTTP {status}"


def test_half_sent_requests_do_not_block_others(server: RunningServer) -> None:
    with ExitStack() as stack:
        for _ in range(HALF_SENT):
            conn = stack.enter_context(socket.create_connection(("127.0.0.1", server.port), 5))
            conn.sendall(HALF_REQUEST)
        answers_me(server)
    answers_me(server)
