"""Serves a WSGI application (normally ``ReferenceApp``) on a loopback port in a daemon thread.

``serve(app)`` picks a free port and returns a ``RunningServer``; use it as a context manager
or call ``stop()``. ``credentials()`` reads the user name and password of each persona from the
fixture file, so that clients never hold passwords of their own.
"""

from __future__ import annotations

import json
import ssl
import threading
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Self

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .app import BASE_PATH
from .fixtures import load_fixtures

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

# How often the serving loop looks for a stop request; stop() waits up to this long.
POLL_INTERVAL = 0.05


class QuietRequestHandler(WSGIRequestHandler):
    """Logs nothing per request, and answers the errors it meets before the application with
    the JSON envelope instead of the standard library's HTML page."""

    disable_nagle_algorithm = True

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # Reached for a request line or headers the HTTP parser rejects (too long, malformed).
        body = json.dumps({"statusCode": 2, "statusMessage": message or "Bad request"}).encode()
        self.send_response_only(400, message)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class RunningServer:
    """A server answering in a background thread until ``stop()``."""

    def __init__(self, server: BaseWSGIServer, host: str) -> None:
        self._server = server
        self.host = host
        self.port: int = server.server_port
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": POLL_INTERVAL},
            name=f"reference-server-{self.port}",
            daemon=True,
        )
        self._thread.start()

    @property
    def origin(self) -> str:
        shown = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(self.host, self.host)
        scheme = "https" if self._server.ssl_context else "http"
        host = f"[{shown}]" if ":" in shown else shown
        return f"{scheme}://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.origin}{BASE_PATH}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def serve(
    app: WSGIApplication,
    host: str = "127.0.0.1",
    port: int = 0,
    ssl_context: ssl.SSLContext | None = None,
) -> RunningServer:
    """Starts answering ``app`` on ``host:port`` (port 0: a free one) in a daemon thread, over
    TLS when given an ``ssl_context``."""
    try:
        server = make_server(
            host,
            port,
            app,
            threaded=True,
            request_handler=QuietRequestHandler,
            ssl_context=ssl_context,
        )
    except SystemExit as exc:  # werkzeug reports a failed bind on stderr, then exits
        raise OSError(f"cannot listen on {host}:{port}") from exc
    return RunningServer(server, host)


def credentials(fixtures_path: Path | None = None) -> dict[str, tuple[str, str]]:
    """(userName, password) per persona: "admin", "supervisor", "agent", "other-agent"."""
    fixtures = load_fixtures(fixtures_path)
    return {user.persona: (user.user_name, user.password) for user in fixtures.users}
