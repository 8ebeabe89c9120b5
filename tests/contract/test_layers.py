"""The folders of conformance/ are its layers: the import graph of the package, read from the
source with `ast` (imports under `if TYPE_CHECKING:` and inside functions count: each is a
dependency a reader must follow), has no circle, and no layer imports one after it in LAYERS.
Each proof beside a check feeds it a small made-up graph that breaks the rule."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from .lint import ROOT

PACKAGE = ROOT / "conformance"

# The layers in order, each with the layers it may import (its own modules too): every one is
# listed before it. A layer is a folder of conformance/; RUN is the modules beside the folders
# (the plugin, conftest.py, the command), which pytest and the command start.
RUN = "run"
LAYERS: dict[str, tuple[str, ...]] = {
    "contract": (),
    "target": ("contract",),
    "reference": ("contract",),
    "steps": ("contract", "target"),
    "checks": ("contract", "target", "steps"),
    "cases": ("contract", "target", "steps", "checks"),
    "report": ("contract", "target"),
    RUN: ("contract", "target", "reference", "steps", "checks", "cases", "report"),
}

Graph = Mapping[str, Iterable[str]]


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def sources(root: Path = PACKAGE) -> dict[str, Path]:
    return {module_name(path, root): path for path in sorted(root.rglob("*.py"))}


def imported(source: str, module: str, is_package: bool, known: Iterable[str]) -> set[str]:
    """The package's modules `source` imports anywhere in its tree: `from x import y` names the
    module x.y when there is one, else x; relative imports are resolved from `module`."""
    known = set(known)
    top = module.split(".")[0]
    here = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here.split(".")[: len(here.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            found |= {
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            }
    return {name for name in found if name.split(".")[0] == top and name != module}


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    found = sources(root)
    return {
        name: imported(path.read_text(encoding="utf-8"), name, path.name == "__init__.py", found)
        for name, path in found.items()
    }


def cycles(graph: Graph) -> list[list[str]]:
    """Each circle once, as the path that closes it (`a -> b -> a`), found by depth-first search."""
    found: list[list[str]] = []
    seen: set[frozenset[str]] = set()
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in path:
                circle = [*path[path.index(nxt) :], nxt]
                if frozenset(circle) not in seen:
                    seen.add(frozenset(circle))
                    found.append(circle)
            elif nxt not in done:
                visit(nxt, [*path, nxt])
        done.add(node)

    for node in sorted(graph):
        if node not in done:
            visit(node, [node])
    return found


def layer_of(module: str) -> str:
    """`conformance.target.client` is in layer `target`; a module beside the folders is in RUN."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS) else RUN


def upward(graph: Graph, layers: Mapping[str, tuple[str, ...]] = LAYERS) -> list[str]:
    """Each import of a layer its importer may not import, and each module in no layer."""
    wrong = []
    for module, targets in sorted(graph.items()):
        mine = layer_of(module)
        if mine not in layers:
            wrong.append(f"{module} is in no layer ({mine})")
            continue
        for target in sorted(targets):
            theirs = layer_of(target)
            if theirs != mine and theirs not in layers[mine]:
                wrong.append(f"{module} ({mine}) imports {target} ({theirs})")
    return wrong


def test_the_graph_is_read_from_every_module() -> None:
    graph = import_graph()
    assert len(graph) >= 60, f"only {len(graph)} modules read: the walk lost some"
    assert "conformance.contract.exchange" in graph["conformance.target.client"]
    # A relative import inside the reference server resolves to its module.
    assert "conformance.reference.state" in graph["conformance.reference.app"]


def test_no_import_circle() -> None:
    found = cycles(import_graph())
    assert not found, "import circles in conformance/: " + "; ".join(
        " -> ".join(circle) for circle in found
    )


def test_no_layer_imports_a_later_one() -> None:
    wrong = upward(import_graph())
    assert not wrong, "imports against the layers of conformance/: " + "; ".join(wrong)


def test_every_layer_may_import_only_earlier_layers() -> None:
    order = list(LAYERS)
    for layer, allowed in LAYERS.items():
        later = [other for other in allowed if order.index(other) >= order.index(layer)]
        assert not later, f"LAYERS lets {layer} import {later}, not before it"


def test_every_folder_is_a_layer_and_says_what_it_may_import() -> None:
    """Each folder's `__init__.py` names the layers it may import, as LAYERS does."""
    folders = {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    assert folders == set(LAYERS) - {RUN}
    for folder in folders:
        doc = ast.get_docstring(ast.parse((PACKAGE / folder / "__init__.py").read_text())) or ""
        said = re.search(r"May import: ([^.(]*)", doc)
        if not LAYERS[folder]:
            assert "imports nothing else of the kit" in doc, folder
            continue
        assert said, f"conformance/{folder}/__init__.py does not say what it may import"
        named = {word.strip() for word in said.group(1).split(",")}
        assert named == set(LAYERS[folder]), f"{folder}: its docstring says {named}"


# The proofs: each rule fails on a graph made to break it.


def test_a_circle_is_seen() -> None:
    graph = {
        "conformance.target.client": {"conformance.contract.failures"},
        "conformance.contract.failures": {"conformance.contract.exchange"},
        "conformance.contract.exchange": {"conformance.target.client"},
        "conformance.steps.steps": {"conformance.target.client"},
    }
    assert cycles(graph) == [
        [
            "conformance.contract.exchange",
            "conformance.target.client",
            "conformance.contract.failures",
            "conformance.contract.exchange",
        ]
    ]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    assert cycles({"a": {"a"}}) == [["a", "a"]]


def test_an_upward_import_is_seen() -> None:
    graph = {
        "conformance.contract.failures": {"conformance.target.client"},
        "conformance.cases.test_fuzz": {"conformance.plugin", "conformance.steps.steps"},
        "conformance.reference.app": {"conformance.steps.steps"},
        "conformance.plugin": {"conformance.report.results", "conformance.cases.test_me"},
        "conformance.extra.thing": set(),
    }
    assert upward(graph) == [
        "conformance.cases.test_fuzz (cases) imports conformance.plugin (run)",
        "conformance.contract.failures (contract) imports conformance.target.client (target)",
        "conformance.extra.thing is in no layer (extra)",
        "conformance.reference.app (reference) imports conformance.steps.steps (steps)",
    ]


def test_type_checking_and_function_imports_count(tmp_path: Path) -> None:
    package = tmp_path / "conformance"
    (package / "target").mkdir(parents=True)
    (package / "contract").mkdir()
    for path in ("__init__.py", "target/__init__.py", "contract/__init__.py"):
        (package / path).write_text("")
    (package / "target" / "client.py").write_text("from conformance.contract import failures\n")
    (package / "contract" / "failures.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from conformance.target.client import Client\n"
        "def later():\n"
        "    from ..target import client\n"
        "    import conformance.plugin\n"
    )
    graph = import_graph(package)
    assert graph["conformance.contract.failures"] == {
        "conformance.target.client",
        "conformance.plugin",
    }
    assert graph["conformance.target.client"] == {"conformance.contract.failures"}
    assert cycles(graph) == [
        [
            "conformance.contract.failures",
            "conformance.target.client",
            "conformance.contract.failures",
        ]
    ]
    assert len(upward(graph)) == 2
