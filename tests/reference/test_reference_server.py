"""The reference server on a real socket: serving, concurrency, the command line."""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from conformance.reference import ReferenceApp, RunningServer, credentials, serve
from conformance.reference.__main__ import main

REPOSITORY = Path(__file__).resolve().parents[2]
CREDENTIALS = credentials()


@pytest.fixture
def server() -> Iterator[RunningServer]:
    with serve(ReferenceApp()) as running:
        yield running


def get_unchecked(url: str, persona: str = "admin") -> tuple[int, dict[str, Any]]:
    token = base64.b64encode(":".join(CREDENTIALS[persona]).encode()).decode()
    request = urllib.request.Request(url, headers={"Authorization": f"Basic {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_credentials_name_the_four_personas() -> None:
    """credentials() gives (userName, password) for admin, supervisor, agent and other-agent."""
    assert set(CREDENTIALS) == {"admin", "supervisor", "agent", "other-agent"}
    assert CREDENTIALS["agent"][0] == "agent"


def test_served_uris_carry_the_servers_port(server: RunningServer) -> None:
    """The base URL names the chosen port, and device URIs point back at it."""
    assert server.base_url == f"http://127.0.0.1:{server.port}/api/v2"
    status, payload = get_unchecked(f"{server.base_url}/me/devices", "agent")
    assert status == 200
    assert all(uri.startswith(f"{server.base_url}/devices/") for uri in payload["uris"])


def test_server_answers_concurrent_requests(server: RunningServer) -> None:
    """8 threads × 50 mixed requests all succeed."""
    urls = [
        (f"{server.base_url}/devices?fields=*", "admin"),
        (f"{server.base_url}/me/devices", "agent"),
        (f"{server.base_url}/me", "supervisor"),
        (f"{server.base_url}/me/devices?fields=capabilities", "other-agent"),
    ]

    def worker(offset: int) -> list[int]:
        return [get_unchecked(*urls[(offset + i) % len(urls)])[0] for i in range(50)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = [status for batch in pool.map(worker, range(8)) for status in batch]
    assert statuses == [200] * 400


def test_request_the_http_parser_rejects_gets_the_envelope(server: RunningServer) -> None:
    """An overlong request line is answered 400 with the JSON envelope, not an HTML page."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(b"GET /api/v2/devices/" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n")
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
    head, _, payload = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert b"Content-Type: application/json" in head
    assert set(json.loads(payload)) == {"statusCode", "statusMessage"}


def test_stopped_server_refuses_connections() -> None:
    """After stop() the port no longer answers."""
    running = serve(ReferenceApp())
    port = running.port
    running.stop()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_command_line_rejects_a_bad_port(capsys: pytest.CaptureFixture[str]) -> None:
    """A port that is not a number is an argparse error, exit status 2."""
    with pytest.raises(SystemExit) as exited:
        main(["--port", "eighty"])
    assert exited.value.code == 2
    assert "not a port number" in capsys.readouterr().err


def test_command_line_serves_until_interrupted() -> None:
    """The command prints its base URL and credentials, serves, and exits 0 on Ctrl-C."""
    process = subprocess.Popen(
        [sys.executable, "-m", "conformance.reference", "--port", "0"],
        cwd=REPOSITORY,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(7)]
        base_url = lines[0].split()[-1]
        status, _ = get_unchecked(f"{base_url}/me", "agent")
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    finally:
        process.kill()
    assert status == 200
    assert any(line.split()[:1] == ["admin"] and ":" in line for line in lines), lines


def test_serving_on_a_busy_port_raises_oserror(server: RunningServer) -> None:
    """serve() on a port already in use raises OSError instead of exiting the process."""
    with pytest.raises(OSError, match="cannot listen"):
        serve(ReferenceApp(), port=server.port)
