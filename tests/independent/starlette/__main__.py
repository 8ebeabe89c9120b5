"""`python -m tests.independent.starlette --port 0 [--api-version 8.5.0|8.5.2] [--host H]`:
serves the Devices API until SIGTERM or Ctrl-C, and prints the base URL once listening."""

from __future__ import annotations

import argparse
import socket
import sys

import uvicorn

from .app import PROFILES, create_app


class AnnouncingServer(uvicorn.Server):
    """uvicorn's server, saying once where it listens when it has started."""

    def __init__(self, config: uvicorn.Config, url: str) -> None:
        super().__init__(config)
        self.url = url

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            print(f"Devices API (independent Starlette server) serving at {self.url}", flush=True)


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.independent.starlette")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--api-version", choices=PROFILES, default=PROFILES[0])
    return parser.parse_args(argv)


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named, as `uvicorn --port` binds through getaddrinfo: asyncio turns Nagle off
    # only on a socket whose proto says TCP, and with it on every keep-alive answer waits ~40 ms
    # on the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    return sock


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    sock = bind(args.host, args.port)
    port = sock.getsockname()[1]
    shown = f"[{args.host}]" if ":" in args.host else args.host
    config = uvicorn.Config(create_app(args.api_version), log_level="warning")
    AnnouncingServer(config, f"http://{shown}:{port}/api/v2").run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
