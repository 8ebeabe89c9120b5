"""Runs the conformance suite against a target as a user would, `pytest conformance` in a
subprocess with credentials in the environment, and checks that the run ended cleanly."""

from __future__ import annotations

import base64
import re

import pytest

from conformance.reference.server import credentials
from tests.harness import KILLED, SuiteRun, run_suite, suite_environment

# Distinctive, so that any copy of it in an output or a report is found.
SECRET = "hostile-S3cret-pw"
# The reference fixtures' user names, so that a run against a reference-based server can log in
# when that server is given fixtures holding SECRET as every password.
USERS = {identity: user for identity, (user, _) in credentials().items()}
# Generous against a loaded machine; a run that outlives it was killed and fails every check.
KILL_AFTER = 120.0
MAX_RSS_MB = 600


def secrets() -> list[str]:
    """The password, and each Authorization value that carries it."""
    tokens = [base64.b64encode(f"{user}:{SECRET}".encode()).decode() for user in USERS.values()]
    return [SECRET, *tokens]


def run_hostile(base_url: str, *args: str) -> SuiteRun:
    """`pytest conformance --base-url URL ARGS` with SECRET as every password, at the run's
    default writes; killed after KILL_AFTER seconds."""
    logins = {identity: (user, SECRET) for identity, user in USERS.items()}
    env = suite_environment(logins)
    return run_suite(base_url, *args, env=env, timeout=KILL_AFTER, writes=None)


def assert_ended_cleanly(run: SuiteRun, message: str, *, within: float) -> None:
    """What every hostile target must leave: a failed run, on time, saying `message` (a regular
    expression), without a crash of pytest, a traceback, a secret, or a memory blow-up."""
    shown = f"\n--- output ---\n{run.output[-3000:]}"
    assert run.returncode not in (0, KILLED), f"exit code {run.returncode}{shown}"
    assert run.elapsed < within, f"ran {run.elapsed:.1f} s, more than {within} s{shown}"
    assert re.search(message, run.output), f"no line matches {message!r}{shown}"
    assert "INTERNALERROR" not in run.output, shown
    assert run.output.count("Traceback (most recent call last)") == 0, shown
    assert run.max_rss_mb < MAX_RSS_MB, f"peak memory {run.max_rss_mb:.0f} MB"
    assert_no_secret(run)


def assert_no_secret(run: SuiteRun) -> None:
    places = {"output": run.output, **run.reports}
    for secret in secrets():
        leaks = [name for name, text in places.items() if secret in text]
        assert not leaks, f"a credential ({secret[:6]}...) appears in {leaks}"


def selected(request: pytest.FixtureRequest) -> list[str]:
    """The `name` parameters of the tests this session runs in the requesting module, so that
    a module-wide fixture starts only the runs they need (`-k hang` starts one, not all)."""
    names = set()
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        here = getattr(item, "module", None) is request.module
        if here and callspec is not None and "name" in callspec.params:
            names.add(str(callspec.params["name"]))
    return sorted(names)
