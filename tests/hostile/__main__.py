"""`python -m tests.hostile --list` lists the hostile servers: the reference server with a fault
after discovery (late.py) and the targets the suite cannot use (targets.py); `python -m
tests.hostile NAME --port 8080` serves one by hand (Ctrl-C stops it), so that what the suite does
against a slow, lying or unusable target can be watched: `pytest conformance --base-url
<printed URL>` with the printed logins and options."""

from __future__ import annotations

import shlex
import sys

from conformance.reference import ReferenceApp
from conformance.reference.__main__ import describe
from conformance.reference.server import credentials, serve
from tests.by_hand import command, until_stopped

from . import late, targets


def list_servers() -> None:
    rows = {name: f"{row.broken}  {row.behaviour}" for name, row in late.BY_NAME.items()}
    for name, target in targets.BY_NAME.items():
        rows[name] = f"exit {target.returncode}  {target.behaviour}"
    width = max(len(name) for name in rows)
    for name, text in rows.items():
        print(f"{name:<{width}}  {text}")


def serve_one(name: str, host: str, port: int) -> None:
    if name in late.BY_NAME:
        serve_late(late.BY_NAME[name], host, port)
    elif name in targets.BY_NAME:
        serve_target(targets.BY_NAME[name], host, port)
    else:
        sys.exit(f"no hostile server named {name!r}; see --list")


def serve_late(row: late.Late, host: str, port: int) -> None:
    with serve(late.faulty(ReferenceApp(), row), host, port) as server:
        print(f"Hostile server {row.name}: {row.behaviour}. It must fail {row.broken}.")
        describe(server.base_url, credentials(), csrf=False)
        try:
            until_stopped()
        finally:
            late.STOPPING.set()  # releases the requests still hanging


def serve_target(row: targets.Hostile, host: str, port: int) -> None:
    with row.serve(host, port) as base_url:
        options = f" {shlex.join(row.args)}" if row.args else ""
        print(
            f"Hostile target {row.name}: {row.behaviour}. The run must end with exit "
            f"{row.returncode}, saying /{row.message}/.\n"
            f"  pytest conformance --base-url {base_url}{options}"
        )
        if not row.listens:
            return  # the URL is the whole target
        print("Press Ctrl-C to stop.")
        until_stopped()


def main(argv: list[str] | None = None) -> None:
    command("python -m tests.hostile", "hostile server", __doc__, list_servers, serve_one, argv)


if __name__ == "__main__":
    main()
