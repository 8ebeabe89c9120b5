"""A pytest plugin for the suite's runs against broken servers: it ends the run once every
requirement the server breaks has failed. What the rest of the run would find cannot change the
row's verdict (caught), it only costs time. The runs load it with ``-p tests.broken.until_caught``
and name the requirements in BROKEN_SERVER_BREAKS (comma-separated); rows of unfinished servers,
whose verdict asks what else failed, run whole without it."""

from __future__ import annotations

import os

import pytest

ENV = "BROKEN_SERVER_BREAKS"
EXPECTED = frozenset(filter(None, os.environ.get(ENV, "").split(",")))
# The suite's verdicts (conformance/plugin.py) of a case that reports its requirement broken.
NOTICED = {"fail", "warning"}


class UntilCaught:
    def __init__(self) -> None:
        self.session: pytest.Session | None = None
        self.failed: set[str] = set()

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        self.session = session

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        found = dict(report.user_properties)
        if found.get("verdict") not in NOTICED:
            return
        self.failed.add(str(found.get("broken") or found.get("requirement")))
        if EXPECTED and self.failed >= EXPECTED and self.session is not None:
            self.session.shouldstop = (
                f"every requirement the server breaks failed: {', '.join(sorted(EXPECTED))}"
            )


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(UntilCaught(), "until-caught")
