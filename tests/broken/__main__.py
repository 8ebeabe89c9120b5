"""`python -m tests.broken --list` lists the broken servers; `python -m tests.broken NAME --port
8080` serves one by hand (Ctrl-C stops it), so that a fault can be explored with curl or the
suite: `pytest conformance --base-url <printed URL> --writes all`."""

from __future__ import annotations

import sys

from conformance.reference.__main__ import describe
from conformance.reference.server import credentials, serve
from tests.by_hand import command, until_stopped

from .catalogue import CATALOGUE, by_name


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
    app = row.build()
    with serve(app, host, port) as server:
        print(
            f"Broken server {row.name}: {row.fault} It must fail {', '.join(row.breaks)}"
            f" under --api-version {row.profile}."
        )
        describe(server.base_url, credentials(), csrf=bool(getattr(app, "csrf", False)))
        until_stopped()


def main(argv: list[str] | None = None) -> None:
    command("python -m tests.broken", "broken server", __doc__, list_servers, serve_one, argv)


if __name__ == "__main__":
    main()
