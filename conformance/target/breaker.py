"""A circuit breaker per path. After LIMIT timeouts in a row on one path of the contract (a
template such as `/me/devices/{id}`, whatever the method), its other requests are not sent: the
cases that need it are reported as not run, naming the timeouts, and the rest of the API is still
judged. A target that hangs on one path then costs LIMIT timeouts, not one per request (h2spec
bounds each case the same way). A path, not a method: a server slow on one route is slow for each
method it is asked there (the 405 probes included), and a breaker per method would pay the
timeouts again for each.

Each xdist worker has its own breaker: a worker pays the timeouts it meets."""

from __future__ import annotations

import re
import threading
from functools import cache
from urllib.parse import urlsplit

import pytest

from conformance.contract.contract import spec

LIMIT = 3
# check_base_url: every base URL ends in /api/v2; the contract's paths follow it.
BASE_PATH = "/api/v2"


@cache
def templates() -> list[tuple[re.Pattern[str], str]]:
    """The contract's path templates, each as a pattern matching its concrete paths."""
    found = []
    for template in spec()["paths"]:
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        found.append((re.compile(f"^{pattern}/?$"), template))
    return found


def path_of(url: str) -> str:
    """`/me/devices/{id}` for any device id; a path outside the contract stands for itself."""
    path = urlsplit(url).path
    path = path.split(BASE_PATH, 1)[1] if BASE_PATH in path else path
    for pattern, template in templates():
        if pattern.match(path):
            return template
    return path


class Breaker:
    def __init__(self) -> None:
        self._streaks: dict[str, int] = {}
        self._lock = threading.Lock()

    def check(self, url: str) -> None:
        """Skip the case calling when the path has timed out LIMIT times in a row."""
        path = path_of(url)
        if self._streaks.get(path, 0) >= LIMIT:
            pytest.skip(
                f"not run: {path} timed out {LIMIT} times in a row (DEV-HTTP-002); "
                "its other requests are not sent"
            )

    def record(self, url: str, *, timed_out: bool) -> None:
        path = path_of(url)
        with self._lock:
            self._streaks[path] = self._streaks.get(path, 0) + 1 if timed_out else 0


BREAKER = Breaker()
