"""`python -m tests.broken --list` lists the broken servers; `python -m tests.broken NAME --port
8080` serves one by hand (Ctrl-C stops it), so that a fault can be explored with curl or the
suite: `pytest conformance --base-url <printed URL> --writes all`."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from conformance.reference.__main__ import describe, port_number
from conformance.reference.server import serve

from .catalogue import CATALOGUE, by_name


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.broken", description=__doc__)
    parser.add_argument("name", nargs="?", help="the broken server to serve")
    parser.add_argument("--list", action="store_true", help="list the broken servers")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=port_number, default=8080, help="0 picks a free port")
    args = parser.parse_args(argv)
    if not args.list and not args.name:
        parser.error("give a broken server's NAME, or --list")
    return args


def list_servers() -> None:
    width = max(len(row.name) for row in CATALOGUE)
    for row in CATALOGUE:
        gap = f"  [suite misses it: {row.gap}]" if row.gap else ""
        print(f"{row.name:<{width}}  {', '.join(row.breaks)}  {row.fault}{gap}")


def serve_one(name: str, host: str, port: int) -> None:
    try:
        row = by_name(name)
    except KeyError:
        sys.exit(f"no broken server named {name!r}; see --list")
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    app = row.build()
    with serve(app, host, port) as server:
        print(f"Broken server {row.name}: {row.fault} It must fail {', '.join(row.breaks)}.")
        describe(server, None, csrf=bool(getattr(app, "csrf", False)))
        stop.wait()


def main(argv: list[str] | None = None) -> None:
    args = parse(sys.argv[1:] if argv is None else argv)
    if args.list:
        list_servers()
    else:
        serve_one(args.name, args.host, args.port)


if __name__ == "__main__":
    main()
