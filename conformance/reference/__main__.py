"""Runs the reference server: ``python -m conformance.reference --port 8080``."""

from __future__ import annotations

import argparse
import signal
import threading
from collections.abc import Sequence
from pathlib import Path

from conformance.contract.contract import DEFAULT_PROFILE, PROFILES

from .app import ReferenceApp
from .fixtures import FixtureError
from .server import credentials, serve


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port out of range 0-65535: {port}")
    return port


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m conformance.reference",
        description="Serve the reference implementation of the GWS 8.5 Devices API.",
    )
    parser.add_argument("--port", type=port_number, default=8080, help="0 picks a free port")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument(
        "--csrf", action="store_true", help="require the X-CSRF-TOKEN header on POSTs"
    )
    parser.add_argument("--fixtures", type=Path, help="fixture file (users and devices)")
    parser.add_argument(
        "--api-version",
        choices=PROFILES,
        default=DEFAULT_PROFILE,
        help="the profile to answer in: 8.5.0 (GWS 8.5.0 and 8.5.1) or 8.5.2 (8.5.2 and later)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    options = parser.parse_args(argv)
    try:
        app = ReferenceApp(options.fixtures, csrf=options.csrf, profile=options.api_version)
        server = serve(app, options.host, options.port)
    except (FixtureError, OSError) as exc:
        parser.error(str(exc))
    stopping = threading.Event()
    # Ctrl-C and SIGTERM (a service manager, `kill`) both stop cleanly, whenever they come.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda signum, frame: stopping.set())
    with server:
        describe(
            server.base_url,
            credentials(options.fixtures),
            options.csrf,
            f"Devices API reference server (profile {app.profile})",
        )
        stopping.wait()
    print("stopped", flush=True)
    return 0


def describe(
    base_url: str,
    accepted: dict[str, tuple[str, str]],
    csrf: bool,
    heading: str = "Devices API reference server",
) -> None:
    """Where the server answers and who may log in: the lines a user copies to run the suite."""
    print(f"{heading} at {base_url}")
    if csrf:
        print("CSRF mode: POSTs need the X-CSRF-TOKEN header a GET returns")
    print("Credentials (persona  user:password):")
    width = max(len(persona) for persona in accepted)
    for persona, (user_name, password) in accepted.items():
        print(f"  {persona:<{width}}  {user_name}:{password}")
    print("Press Ctrl-C to stop.", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
