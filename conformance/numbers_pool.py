"""Phone numbers the suite may create devices with: a reserved range no real line uses, minus
the numbers the target already has, so that repeated runs on one server do not collide."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

# Ofcom keeps 020 7946 0000-0999 for drama: valid London numbers that never ring anyone.
RESERVED = [f"+442079460{n:03d}" for n in range(1000)]


class NumberPool:
    def __init__(self, in_use: Iterable[str]) -> None:
        used = set(in_use)
        self._free: Iterator[str] = (n for n in RESERVED if n not in used)

    def take(self) -> str:
        try:
            return next(self._free)
        except StopIteration:
            raise RuntimeError("the reserved test range is used up on this target") from None
