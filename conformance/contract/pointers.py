"""JSON pointers into the contract document (RFC 6901): a reference token escaped for a
pointer, and the tokens of a pointer read back."""

from __future__ import annotations


def escape(token: str) -> str:
    """One reference token (RFC 6901, section 3): `~` and `/` escaped, in that order."""
    return token.replace("~", "~0").replace("/", "~1")


def tokens(pointer: str) -> list[str]:
    """The reference tokens of a pointer (`/paths/~1me~1devices` -> `paths`, `/me/devices`):
    `~1` undone before `~0` (section 4)."""
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer.split("/")[1:]]
