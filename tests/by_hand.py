"""The command line the kit's own servers share (`python -m tests.broken`, `python -m
tests.variants`): list them, or serve one by hand until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable

from conformance.reference.__main__ import port_number


def parse(argv: list[str], prog: str, noun: str, description: str | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("name", nargs="?", help=f"the {noun} to serve")
    parser.add_argument("--list", action="store_true", help=f"list every {noun}")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=port_number, default=8080, help="0 picks a free port")
    args = parser.parse_args(argv)
    if not args.list and not args.name:
        parser.error(f"give a {noun}'s NAME, or --list")
    return args


def until_stopped() -> None:
    """Block until Ctrl-C or SIGTERM; the caller's `with` block then stops the server."""
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    stop.wait()


def command(
    prog: str,
    noun: str,
    description: str | None,
    listing: Callable[[], None],
    serving: Callable[[str, str, int], None],
    argv: list[str] | None = None,
) -> None:
    """The whole command line: list the servers, or serve the one named."""
    args = parse(sys.argv[1:] if argv is None else argv, prog, noun, description)
    if args.list:
        listing()
    else:
        serving(args.name, args.host, args.port)
