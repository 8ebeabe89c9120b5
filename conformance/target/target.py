"""The server under test: where it is, who we are on it, and how much we may change on it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from conformance.contract.identities import IDENTITIES

if TYPE_CHECKING:
    import pytest

WRITE_LEVELS = ("none", "reversible", "all")


def env_var(identity: str) -> str:
    return "DEVICES_API_" + identity.upper().replace("-", "_")


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = field(repr=False)
    env_var: str = ""

    @classmethod
    def parse(cls, text: str, source: str) -> Credentials:
        user, sep, password = text.partition(":")
        if not sep or not user:
            raise ValueError(f"{source} must be USER:PASSWORD")
        return cls(user, password, source)


@dataclass(frozen=True)
class Target:
    base_url: str
    credentials: dict[str, Credentials]
    writes: str
    embedded: bool
    timeout: float
    max_body: int
    strict: bool = False
    # requests' `verify`: True for the system's CAs, or a CA bundle (--ca-bundle).
    tls_verify: bool | str = True

    def allows(self, level: str) -> bool:
        return WRITE_LEVELS.index(self.writes) >= WRITE_LEVELS.index(level)

    def secrets(self) -> list[str]:
        return [c.password for c in self.credentials.values() if c.password]


def credentials_from(options: dict[str, str | None]) -> dict[str, Credentials]:
    """Per identity: the option wins over the environment variable; absent means skipped."""
    found: dict[str, Credentials] = {}
    for identity in IDENTITIES:
        variable = env_var(identity)
        option = options.get(identity)
        if option:
            found[identity] = Credentials.parse(option, f"--{identity}")
            # The reproduction lines name the variable, never the password.
            found[identity] = Credentials(found[identity].user, found[identity].password, variable)
        elif os.environ.get(variable):
            found[identity] = Credentials.parse(os.environ[variable], variable)
    return found


def write_level(config: pytest.Config) -> str:
    """--writes, or its default: read-only against a --base-url, everything when embedded."""
    chosen = config.getoption("writes")
    return str(chosen or ("none" if config.getoption("base_url", None) else "all"))
