"""The README's layout names every module the kit ships, so a newcomer finds each one there."""

from __future__ import annotations

import re
from pathlib import Path

from .lint import ROOT

README = ROOT / "README.md"
PACKAGES = ("conformance", "tests", "benchmarks")
CASES = Path("conformance/cases")


def layout() -> str:
    """The fenced block under `## Layout`."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    return section.split("```", 2)[1]


def modules() -> list[Path]:
    """Every module but packages' `__init__.py` and the kit's own test modules (their folder's
    line says what they test)."""
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            kit_test = package == "tests" and path.name.startswith("test_")
            if path.name != "__init__.py" and not kit_test:
                found.append(path.relative_to(ROOT))
    return found


def named(module: Path, block: str) -> bool:
    """Named by its path or its file name; a case module may be named by its stem, as the
    cases' line lists them (a stem such as `run` would match any word)."""
    if module.as_posix() in block or module.name in block:
        return True
    return module.parent == CASES and re.search(rf"\b{re.escape(module.stem)}\b", block) is not None


def test_the_layout_names_every_module() -> None:
    block = layout()
    missing = [module.as_posix() for module in modules() if not named(module, block)]
    assert not missing, f"README.md's layout does not name {missing}"


def test_a_module_the_layout_lacks_is_seen() -> None:
    assert not named(Path("conformance/imaginary.py"), layout())
    assert not named(CASES / "test_imaginary.py", layout())
