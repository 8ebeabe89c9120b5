"""`devices-api-conformance`: the installed suite, run from any folder.

The same run as `pytest --pyargs conformance`: every option of docs/reference/options.md, and
any of pytest's, pass through; reports go under the current folder (or --report-dir).
"""

from __future__ import annotations

import sys

import pytest

# This module is part of the package pytest will load as a plugin: pytest finds the package
# imported already and warns that it cannot rewrite its asserts. The cases' modules, conftest
# and plugin are imported by pytest itself, after, and are rewritten as usual.
ALREADY_IMPORTED = (
    "ignore:Module already imported so cannot be rewritten; conformance"
    ":pytest.PytestAssertRewriteWarning"
)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    return int(pytest.main(["-W", ALREADY_IMPORTED, "--pyargs", "conformance", *args]))
