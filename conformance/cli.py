"""`devices-api-conformance`: the installed suite, run from any folder.

The same run as `pytest --pyargs conformance`: every option of README.md's table, and any of
pytest's, pass through; reports go under the current folder (or --report-dir).
"""

from __future__ import annotations

import sys

import pytest


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    return int(pytest.main(["--pyargs", "conformance", *args]))
