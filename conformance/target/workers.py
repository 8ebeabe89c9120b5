"""What crosses between pytest-xdist's controller and its workers besides test reports. A worker
started over SSH (`--tx ssh=...`) inherits neither the controller's environment nor its stash, so
the credentials travel in the worker's input; and a worker that finds the target unusable hands
its reason back, so the controller ends the run with that one line instead of a crashed worker."""

from __future__ import annotations

from typing import Any

import pytest

from conformance.target.target import Credentials

CREDENTIALS = "devices_api_credentials"
ABORTED = "devices_api_aborted"


def is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def share_of_rate(rate: float | None, config: pytest.Config) -> float | None:
    """A worker's part of --rate-limit: the limit is the target's, whatever the worker count."""
    workers = int(getattr(config, "workerinput", {}).get("workercount", 1))
    return rate / workers if rate else rate


def send_credentials(workerinput: dict[str, Any], credentials: dict[str, Credentials]) -> None:
    """On the controller, before the worker starts. execnet carries plain data only; the channel
    is the SSH connection (or a local pipe)."""
    workerinput[CREDENTIALS] = {
        identity: [found.user, found.password, found.env_var]
        for identity, found in credentials.items()
    }


def credentials_received(config: pytest.Config) -> dict[str, Credentials] | None:
    """What the controller sent, on a worker; None elsewhere."""
    sent = getattr(config, "workerinput", {}).get(CREDENTIALS)
    if sent is None:
        return None
    return {identity: Credentials(*fields) for identity, fields in sent.items()}


def hand_back_abort(session: pytest.Session, message: str, returncode: int) -> None:
    """On a worker: stop after this case and tell the controller why. xdist reads `shouldstop`
    as an orderly stop, where a bare exit would count as a crash of the case under way."""
    output: dict[str, Any] = getattr(session.config, "workeroutput", {})
    output[ABORTED] = [message, returncode]
    session.shouldstop = message


def abort_handed_back(node: Any) -> tuple[str, int] | None:
    """On the controller: the reason a finished worker stopped the run, if it did."""
    aborted = getattr(node, "workeroutput", {}).get(ABORTED)
    return (str(aborted[0]), int(aborted[1])) if aborted else None
