"""The answers discovery got: `GET /me` as every identity, `GET /me/devices?fields=*` as every
agent and `GET /devices?fields=*` as the admin. Nothing is sent again; a forbidden answer fails
here under the requirement it broke, while the run goes on with what the other answers taught."""

from __future__ import annotations

import pytest

from conformance.steps.discovery import ALL_DEVICES, ME, MY_DEVICES, Inventory, Step

ASKED = [
    *((identity, ME) for identity in ("admin", "supervisor", "agent", "other-agent")),
    *((identity, MY_DEVICES) for identity in ("supervisor", "agent", "other-agent")),
    ("admin", ALL_DEVICES),
]


def asked_params() -> list[object]:
    return [
        pytest.param(identity, step, id=f"{identity}:{step.name}", marks=marks(identity, step))
        for identity, step in ASKED
    ]


def marks(identity: str, step: Step) -> list[pytest.MarkDecorator]:
    """Its requirement, and the matrix cell of the operation it sent: a refusal met in discovery
    makes that cell unexpected."""
    return [
        pytest.mark.requirement(step.requirement),
        pytest.mark.cell(step.operation_id, identity, "discovery"),
    ]


@pytest.mark.parametrize(("identity", "step"), asked_params())
def test_a_discovery_answer_conforms(identity: str, step: Step, inventory: Inventory) -> None:
    """Judges the answer to the discovery request the identity sent (status, envelope,
    contract, and the member the suite reads from it)."""
    outcome = inventory.outcomes.get((identity, step.name))
    if outcome is None:
        pytest.skip(f"discovery sent no {step.describe()} as {identity}")
    if outcome.failure is not None:
        raise outcome.failure
    if outcome.not_sent:
        pytest.skip(f"not sent: {outcome.not_sent}")
