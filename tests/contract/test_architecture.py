"""The site's architecture page (docs/explanation/architecture.md) holds to the code: its layout
names every module the kit ships, so a newcomer finds each one there, and its picture names only
modules the package has."""

from __future__ import annotations

import re
from pathlib import Path

from .lint import ROOT

PAGE = ROOT / "docs" / "explanation" / "architecture.md"
PACKAGES = ("conformance", "tests", "benchmarks")
CASES = Path("conformance/cases")
# A name in the picture: a module (`steps.py`, `report/html.py`) or a folder (`cases/`).
PICTURED = re.compile(r"(?<![\w./-])((?:\w+/)*\w+(?:\.py|/))")


def fenced(heading: str) -> str:
    """The first fenced block under `## heading`."""
    text = PAGE.read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return section.split("```", 2)[1]


def layout() -> str:
    return fenced("Layout")


def picture() -> str:
    return fenced("The picture")


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


def pictured_names(block: str) -> list[str]:
    return PICTURED.findall(block)


def unknown_in_picture(block: str) -> list[str]:
    """The picture's names that are no module or folder of conformance/: a folder's modules are
    named inside it (`checks/ (numbers.py, ...)`), so a bare file name may be in any folder."""
    package = ROOT / "conformance"
    files = {path.relative_to(package).as_posix() for path in package.rglob("*.py")}
    files |= {path.name for path in package.rglob("*.py")}
    folders = {f"{path.relative_to(package).as_posix()}/" for path in package.rglob("*/")}
    return [name for name in pictured_names(block) if name not in files | folders]


def test_the_layout_names_every_module() -> None:
    block = layout()
    missing = [module.as_posix() for module in modules() if not named(module, block)]
    assert not missing, f"{PAGE.relative_to(ROOT)}'s layout does not name {missing}"


def test_a_module_the_layout_lacks_is_seen() -> None:
    assert not named(Path("conformance/imaginary.py"), layout())
    assert not named(CASES / "test_imaginary.py", layout())


def test_the_picture_names_only_modules_of_the_package() -> None:
    block = picture()
    assert len(pictured_names(block)) >= 20, "the picture lost its names, or the pattern did"
    unknown = unknown_in_picture(block)
    assert not unknown, f"{PAGE.relative_to(ROOT)}'s picture names no module: {unknown}"


def test_a_name_the_package_lacks_is_seen_in_the_picture() -> None:
    assert unknown_in_picture("plugin.py ──► imaginary.py, cases/, ghosts/") == [
        "imaginary.py",
        "ghosts/",
    ]
