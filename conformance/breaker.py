"""A circuit breaker per operation. After LIMIT timeouts in a row on one operation (method and
path template), its other requests are not sent: the cases that need it are reported as not run,
naming the timeouts, and the rest of the API is still judged. A target that hangs on one
operation then costs LIMIT timeouts, not one per request (h2spec bounds each case the same way).

Each xdist worker has its own breaker: a worker pays the timeouts it meets."""

from __future__ import annotations

import re
import threading
from functools import cache
from urllib.parse import urlsplit

import pytest

from conformance.contract import spec

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


def operation_of(method: str, url: str) -> str:
    """`GET /me/devices/{id}` for any device id; an unknown path stands for itself."""
    path = urlsplit(url).path
    path = path.split(BASE_PATH, 1)[1] if BASE_PATH in path else path
    for pattern, template in templates():
        if pattern.match(path):
            return f"{method.upper()} {template}"
    return f"{method.upper()} {path}"


class Breaker:
    def __init__(self) -> None:
        self._streaks: dict[str, int] = {}
        self._lock = threading.Lock()

    def check(self, method: str, url: str) -> None:
        """Skip the case calling when the operation has timed out LIMIT times in a row."""
        operation = operation_of(method, url)
        if self._streaks.get(operation, 0) >= LIMIT:
            pytest.skip(
                f"not run: {operation} timed out {LIMIT} times in a row (DEV-HTTP-002); "
                "its other requests are not sent"
            )

    def record(self, method: str, url: str, *, timed_out: bool) -> None:
        operation = operation_of(method, url)
        with self._lock:
            self._streaks[operation] = self._streaks.get(operation, 0) + 1 if timed_out else 0

    def reset(self) -> None:
        with self._lock:
            self._streaks.clear()


BREAKER = Breaker()
