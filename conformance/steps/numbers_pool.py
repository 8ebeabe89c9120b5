"""Phone numbers the suite may create devices with: a reserved range no real line uses, minus
the numbers the target already has, so that repeated runs on one server do not collide."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pytest

# Ofcom keeps 020 7946 0000-0999 for drama: valid London numbers that never ring anyone.
RESERVED = [f"+442079460{n:03d}" for n in range(1000)]


class NumberPool:
    def __init__(self, in_use: Iterable[str]) -> None:
        used = set(in_use)
        self._free: Iterator[str] = (n for n in RESERVED if n not in used)

    def take(self) -> str:
        """A number no device on the target has, nor any earlier `take` gave out. When a
        long-lived target holds every one (the API has no DELETE), the case that needs it is
        skipped with the reason: a full test range says nothing about the server."""
        for number in self._free:
            return number
        pytest.skip(
            "every number of the reserved test range +44 20 7946 0000-0999 is in use on this "
            "target: creating devices cannot be tested here"
        )
