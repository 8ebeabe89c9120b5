"""`python -m tests.hostile --list` lists the reference servers with a fault after discovery;
`python -m tests.hostile NAME --port 8080` serves one by hand (Ctrl-C stops it), so that what
the suite does against a slow or lying target can be watched: `pytest conformance --base-url
<printed URL> --writes all` with the printed logins."""

from __future__ import annotations

import sys

from conformance.reference import ReferenceApp
from conformance.reference.__main__ import describe
from conformance.reference.server import credentials, serve
from tests.by_hand import command, until_stopped

from .late import BY_NAME, STOPPING, faulty


def list_servers() -> None:
    width = max(len(name) for name in BY_NAME)
    for name, late in BY_NAME.items():
        print(f"{name:<{width}}  {late.broken}  {late.behaviour}")


def serve_one(name: str, host: str, port: int) -> None:
    if name not in BY_NAME:
        sys.exit(f"no hostile server named {name!r}; see --list")
    late = BY_NAME[name]
    with serve(faulty(ReferenceApp(), late), host, port) as server:
        print(f"Hostile server {name}: {late.behaviour}. It must fail {late.broken}.")
        describe(server.base_url, credentials(), csrf=False)
        try:
            until_stopped()
        finally:
            STOPPING.set()  # releases the requests still hanging


def main(argv: list[str] | None = None) -> None:
    command("python -m tests.hostile", "hostile server", __doc__, list_servers, serve_one, argv)


if __name__ == "__main__":
    main()
