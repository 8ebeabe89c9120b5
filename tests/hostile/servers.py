"""Hostile servers, one idea each: raw sockets for what HTTP cannot say (hang, trickle, reset)
and tiny WSGI apps for the rest. Each is a context manager that yields the `--base-url` to give
the suite, on the host and port given (port 0: a free one), for as long as the block runs."""

from __future__ import annotations

import gzip
import itertools
import socket
import socketserver
import struct
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING

from conformance.reference.server import serve

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

BASE_PATH = "/api/v2"
MIB = 1024 * 1024
HUGE_MIB = 300  # far past the client's 8 MiB cap; streamed, never held in memory
TRICKLE_INTERVAL = 0.5  # under a 1 s read timeout, so only a whole-exchange deadline stops it

Answer = Callable[[socket.socket, threading.Event], None]


# --- raw sockets ----------------------------------------------------------------------------


class RawServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True  # served by hand again on the same port right after Ctrl-C


@contextmanager
def raw_server(answer: Answer, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Runs `answer(connection, stopping)` for each connection until the block ends."""
    stopping = threading.Event()

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            # A client that gives up mid-answer is the point of these servers, not an error.
            with suppress(OSError):
                answer(self.request, stopping)

    server = RawServer((host, port), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}{BASE_PATH}"
    finally:
        stopping.set()
        server.shutdown()
        server.server_close()


def read_request(connection: socket.socket) -> None:
    """Reads up to the end of the request head, so the client is waiting for an answer."""
    connection.settimeout(5)
    received = b""
    while b"\r\n\r\n" not in received and len(received) < 64 * 1024:
        chunk = connection.recv(4096)
        if not chunk:
            return
        received += chunk


def hang(connection: socket.socket, stopping: threading.Event) -> None:
    read_request(connection)
    stopping.wait()


def trickle(connection: socket.socket, stopping: threading.Event) -> None:
    # An endless header line: each byte arrives well within a read timeout, the head never ends.
    read_request(connection)
    head = itertools.chain(b"HTTP/1.1 200 OK\r\nX-Trickle: ", itertools.repeat(ord("a")))
    for byte in head:
        if stopping.wait(TRICKLE_INTERVAL):
            return
        connection.sendall(bytes([byte]))


def reset(connection: socket.socket, stopping: threading.Event) -> None:
    read_request(connection)
    # SO_LINGER with a zero timeout turns close() into a TCP RST.
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    connection.close()


@contextmanager
def closed_port(host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """A port nothing listens on (the one given, or a free one): connections are refused."""
    if port == 0:
        with socket.socket() as probe:
            probe.bind((host, 0))
            port = probe.getsockname()[1]
    yield f"http://{host}:{port}{BASE_PATH}"


# --- WSGI apps ------------------------------------------------------------------------------


@contextmanager
def wsgi_server(app: WSGIApplication, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    with serve(app, host, port) as server:
        yield server.base_url


def invalid_json(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "application/json")])
    return [b'{"statusCode": 0, "user": {"id": ']


def refuse_everyone(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """A conformant 401 to every request: no credentials are accepted."""
    start_response(
        "401 Unauthorized",
        [("Content-Type", "application/json"), ("WWW-Authenticate", 'Basic realm="devices"')],
    )
    return [b'{"statusCode": 20, "statusMessage": "Access denied"}']


def html_error(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    start_response("500 Internal Server Error", [("Content-Type", "text/html")])
    page = (
        "<!DOCTYPE html>\n<html>\n<head><title>Error</title></head>\n<body>\n{}</body>\n</html>\n"
    )
    return [
        page.format(
            "<h1>HTTP Status 500</h1>\n<pre>java.lang.NullPointerException</pre>\n" * 20
        ).encode()
    ]


def huge_body(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    size = HUGE_MIB * MIB
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(size))])
    return itertools.repeat(b" " * MIB, HUGE_MIB)


def gzip_bomb(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    # Concatenated gzip members are one valid gzip body: about 1 KiB each on the wire, a MiB
    # each once decoded. The cap must hold on the decoded size, not the bytes received.
    member = gzip.compress(bytes(MIB), compresslevel=9)
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Encoding", "gzip")])
    return itertools.repeat(member, HUGE_MIB)


class Destination:
    """Where a redirect points: another origin, which must never see the suite's credentials."""

    def __init__(self) -> None:
        self.authorizations: list[str] = []

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if "HTTP_AUTHORIZATION" in environ:
            self.authorizations.append(environ["HTTP_AUTHORIZATION"])
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b'{"statusCode": 0}']


REDIRECT_DESTINATION = Destination()


@contextmanager
def redirect_elsewhere(host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Answers every request with a 302 to the same path on REDIRECT_DESTINATION's origin."""
    with serve(REDIRECT_DESTINATION) as destination:

        def redirect(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
            location = destination.origin + environ.get("PATH_INFO", "/")
            start_response("302 Found", [("Location", location), ("Content-Length", "0")])
            return [b""]

        with wsgi_server(redirect, host, port) as url:
            yield url


@contextmanager
def tls_to_plain_http(host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """An https:// URL for a port that speaks plain HTTP: the TLS handshake fails."""
    with wsgi_server(invalid_json, host, port) as url:
        yield url.replace("http://", "https://", 1)
