"""One request the suite sent and the response to it, as the checks judge it and a failure
reports it: a curl line names the credentials' environment variable, never the password."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from typing import Any

from conformance.contract.identities import ANONYMOUS


@dataclass
class Exchange:
    """One request and the response to it."""

    method: str
    url: str
    identity: str
    # Kept out of repr: the request headers hold the credentials.
    request_headers: dict[str, str] = field(repr=False)
    request_body: bytes | None = field(repr=False)
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    body: bytes = field(default=b"", repr=False)
    env_var: str | None = None
    elapsed: float = 0.0
    cacert: str | None = None

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def json(self) -> Any:
        """The body as JSON, or None when it is not JSON."""
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError):
            return None

    def curl(self) -> str:
        parts = ["curl", "-i", "-X", self.method]
        if self.identity == ANONYMOUS:
            pass
        elif self.env_var:
            parts += ["-u", f'"${self.env_var}"']
        else:
            auth = self.request_headers.get("Authorization", "")
            parts += ["-H", shlex.quote(f"Authorization: {redact_authorization(auth)}")]
        for name, value in self.request_headers.items():
            if name.lower() in {"authorization", "user-agent", "accept-encoding", "connection"}:
                continue
            parts += ["-H", shlex.quote(f"{name}: {value}")]
        if self.cacert:
            parts += ["--cacert", shlex.quote(self.cacert)]
        if self.request_body is not None:
            parts += ["--data-binary", shlex.quote(self.request_body.decode("utf-8", "replace"))]
        parts.append(shlex.quote(self.url))
        return " ".join(parts)

    def describe(self) -> str:
        # One line: an HTML error page would otherwise spread over the whole message.
        parts = [f"HTTP {self.status}", self.content_type or "(no content type)"]
        location = self.headers.get("location")
        if 300 <= self.status < 400 and location:
            # Never followed: another origin must not receive the credentials.
            parts.append(f"redirect to {location} (not followed)")
        parts += self.body[:300].decode("utf-8", "replace").split()
        return " ".join(parts)


def redact_authorization(value: str) -> str:
    scheme, _, _ = value.partition(" ")
    return f"{scheme} [redacted]" if value else ""
