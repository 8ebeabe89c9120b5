"""How a case reports a broken requirement: ID, sentence, expected, actual, reproduction."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from conformance.contract.contract import requirement

if TYPE_CHECKING:
    from conformance.contract.exchange import Exchange


# The curl line of the generated request a fuzzing case failed on, kept by the case where it has
# the request at hand: the reports never dig it out of schemathesis's text.
REPRODUCTION = pytest.StashKey[str]()
# The identity that request went out as: one generated request is sent as several identities.
REPRODUCED_AS = pytest.StashKey[str]()


class RequirementFailure(AssertionError):
    """A requirement does not hold. Carries its own ID, which may differ from the case's marker:
    a case about `fields` that meets a 500 reports DEV-HTTP-002, the rule actually broken."""

    def __init__(
        self, req_id: str, expected: str, actual: str, exchange: Exchange | None = None
    ) -> None:
        self.req_id = req_id
        self.expected = expected
        self.actual = actual
        self.exchange = exchange
        super().__init__(self.render())

    @property
    def level(self) -> str:
        return requirement(self.req_id).level

    @property
    def curl(self) -> str | None:
        return self.exchange.curl() if self.exchange is not None else None

    @property
    def request(self) -> str | None:
        return f"{self.exchange.method} {self.exchange.url}" if self.exchange is not None else None

    def facts(self) -> list[tuple[str, str]]:
        """What the reports show of the failure, as data: they never read the rendered text."""
        found: dict[str, str | None] = {"expected": self.expected, "actual": self.actual}
        found |= {"request": self.request, "curl": self.curl}
        return [(name, value) for name, value in found.items() if value is not None]

    def render(self) -> str:
        req = requirement(self.req_id)
        lines = [
            f"{req.id} ({req.level}): {req.text}",
            f"Expected: {self.expected}",
            f"Actual:   {self.actual}",
        ]
        if self.exchange is not None:
            lines.append(f"Request:  {self.request}")
            lines.append(f"Reproduce: {self.curl}")
        return "\n".join(lines)


def expect(
    condition: object,
    req_id: str,
    expected: str,
    actual: str,
    exchange: Exchange | None = None,
) -> None:
    """Raise a RequirementFailure unless `condition` holds."""
    if not condition:
        raise RequirementFailure(req_id, expected, actual, exchange)
