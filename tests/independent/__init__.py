"""Independent implementations of the Devices API: correct servers written from the vendor's
pages and openapi/decisions.md on stacks other than the reference server's, importing nothing of
the kit. They keep their framework's defaults wherever the vendor is silent (the base64 decoder,
body parsing, trailing slashes, HEAD), so the suite meets the answers a real deployment built
another way gives. They are controls beside the reference server: a case that fails one of them
demands what no source does (openapi/decisions.md#what-strictness-rests-on).

Each runs in a process of its own and says where it answers on its first line of output."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.harness import announced_process

HERE = Path(__file__).resolve().parent
START_TIMEOUT = 60


@dataclass(frozen=True)
class Implementation:
    name: str
    stack: str  # what it is built on, for the reports
    command: Callable[[str], list[str]]  # the command line that serves `profile`
    fixtures: Path  # its own users and devices, and the logins of the four identities

    def logins(self) -> dict[str, tuple[str, str]]:
        found = json.loads(self.fixtures.read_text(encoding="utf-8"))["logins"]
        return {
            identity: (str(user), str(password)) for identity, (user, password) in found.items()
        }


def _starlette(profile: str) -> list[str]:
    return [sys.executable, "-m", "tests.independent.starlette", "--port", "0",
            "--api-version", profile]  # fmt: skip


def _node(profile: str) -> list[str]:
    return ["node", str(HERE / "node" / "server.mjs"), "--port", "0", "--api-version", profile]


IMPLEMENTATIONS = (
    Implementation(
        "starlette", "Starlette on uvicorn", _starlette, HERE / "starlette/fixtures.json"
    ),
    Implementation("node-http", "Node.js node:http", _node, HERE / "node/fixtures.json"),
)
BY_NAME = {implementation.name: implementation for implementation in IMPLEMENTATIONS}


@contextmanager
def serving(implementation: Implementation, profile: str) -> Iterator[str]:
    """The implementation serving `profile` on a free loopback port while the block runs;
    yields its base URL."""
    command = implementation.command(profile)
    with announced_process(command, implementation.name, start_timeout=START_TIMEOUT) as url:
        yield url
