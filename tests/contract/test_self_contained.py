"""The repository points nowhere outside itself: the reasons for the contract's choices are in
openapi/decisions.md, and no file sends its reader to notes a user of the kit never gets."""

from __future__ import annotations

import re
from pathlib import Path

from .lint import ROOT

# What a pointer out of the repository has looked like: a sibling folder, an absolute path to
# the machine it was written on, notes by another name. Written with classes (`[/]`, `[.]`) so
# that this file holds none of them itself.
OUTSIDE = re.compile(
    r"[.][.][/]shared|shared[/]domain|devices-api[.]md|domain (page|notes)|[/]work[/]",
    re.IGNORECASE,
)
SHIPPED = ("openapi", "conformance", "tests", "benchmarks", ".ci", "docs")
TOP_LEVEL = ("README.md", "Makefile", "pyproject.toml", "conftest.py", "redocly.yaml", "mkdocs.yml")
TEXT_SUFFIXES = {".py", ".md", ".yaml", ".yml", ".toml", ".json", ""}


def shipped_files() -> list[Path]:
    found = [ROOT / name for name in TOP_LEVEL]
    for folder in SHIPPED:
        found += [
            path
            for path in (ROOT / folder).rglob("*")
            if path.is_file() and path.suffix in TEXT_SUFFIXES and "__pycache__" not in path.parts
        ]
    return [path for path in found if path.exists()]


def test_no_file_points_outside_the_repository() -> None:
    pointers = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in shipped_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert not pointers, "\n".join(pointers)


def test_the_check_sees_each_kind_of_pointer() -> None:
    # Put together here, so that the file itself holds no pointer.
    slash = "/"
    examples = [
        f"# a choice of ..{slash}shared{slash}domain{slash}notes.md where the sources are silent",
        f'"""(see {slash}work{slash}notes{slash}common.md)"""',
        "# Decision of the domain " + "page (HTTP status with the body's statusCode).",
        "Capability rules (see the domain " + "notes, Capabilities):",
    ]
    assert [line for line in examples if not OUTSIDE.search(line)] == []
