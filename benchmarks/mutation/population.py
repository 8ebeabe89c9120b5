"""The mutants of the reference server: every place an operator can change its behaviour.

A mutant is named so that the triage file can find it again in a later run:
``file:definition:operator:index``, the index counting that operator's mutants inside that
function or class only, so an edit elsewhere in the file does not rename it. The change itself
(the line before and after) is kept beside the name: a triage entry whose change no longer
matches names a mutant that moved or went away.

Scope: the behaviour of the server, ``app.py``, ``state.py``, ``numbers.py`` and
``fixtures.py``; not its command line (``__main__.py``) nor the HTTP server around it
(``server.py``). Left out inside those files, each for the reason given in ``OUT_OF_SCOPE``.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cosmic_ray.ast import ast_nodes, get_ast
from cosmic_ray.ast.ast_query import ASTQuery
from cosmic_ray.mutating import mutate_code

from .operators import OPERATOR_NAMES, operator

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "conformance/reference"
FILES = ("app.py", "state.py", "numbers.py", "fixtures.py")

# Definitions whose mutants no Devices API client is meant to see, and why.
OUT_OF_SCOPE = {
    ("app.py", "get_docs"): "the contract's HTML page, an extra of the reference server",
    ("app.py", "route_openapi"): "serving the contract file, an extra of the reference server",
    ("app.py", "get_openapi"): "serving the contract file, an extra of the reference server",
}
# A raise starting so is left whole: the fixture file's own error reports, which only the
# person editing that file sees (the embedded server's file never raises them).
UNMUTATED_STATEMENTS = ("raise FixtureError(",)
# The text a raise carries becomes an error's statusMessage, any text of which the contract
# accepts (openapi/decisions.md, "Error body"): changing it is equivalent by decision.
FREE_TEXT_OPERATOR = "StringReplacer"


@dataclass(frozen=True)
class Mutant:
    id: str
    file: str  # relative to the repository root
    line: int
    column: int
    operator: str
    occurrence: int  # cosmic-ray's: this operator's n-th position in the whole module
    definition: str

    @property
    def change(self) -> str:
        """The line as it was and as the mutant has it (computed on demand: a parse each)."""
        source = (ROOT / self.file).read_text(encoding="utf-8")
        before, after = _changed_lines(source, self.operator, self.occurrence)
        return f"{before} -> {after}"

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "change": self.change}


def population(root: Path = ROOT) -> list[Mutant]:
    """Every mutant, in file order then operator order (the order cosmic-ray counts them)."""
    return [mutant for name in FILES for mutant in _file_mutants(root, name)]


def by_id(mutants: list[Mutant]) -> dict[str, Mutant]:
    return {mutant.id: mutant for mutant in mutants}


def _file_mutants(root: Path, name: str) -> Iterator[Mutant]:
    path = root / PACKAGE / name
    source = path.read_text(encoding="utf-8")
    counts: Counter[tuple[str, str]] = Counter()
    for operator_name in OPERATOR_NAMES:
        for occurrence, (node, start) in enumerate(_positions(source, operator_name)):
            definition = ASTQuery(node).get_definition_name() or "<module>"
            if (name, definition) in OUT_OF_SCOPE or _left_whole(node, operator_name):
                continue
            key = (definition, operator_name)
            yield Mutant(
                id=f"{name}:{definition}:{operator_name}:{counts[key]}",
                file=f"{PACKAGE}/{name}",
                line=start[0],
                column=start[1],
                operator=operator_name,
                occurrence=occurrence,
                definition=definition,
            )
            counts[key] += 1


def _positions(source: str, operator_name: str) -> Iterator[tuple[Any, tuple[int, int]]]:
    mutation = operator(operator_name)
    for node in ast_nodes(get_ast(source)):
        for start, _end in mutation.mutation_positions(node):
            yield node, start


def _left_whole(node: Any, operator_name: str) -> bool:
    """Whether ``node`` lies in a raise left unmutated, or is the free text of a raise."""
    while node is not None:
        if node.type == "raise_stmt":
            code = str(node.get_code()).strip()
            return code.startswith(UNMUTATED_STATEMENTS) or operator_name == FREE_TEXT_OPERATOR
        node = node.parent
    return False


@cache
def _changed_lines(source: str, operator_name: str, occurrence: int) -> tuple[str, str]:
    mutated = mutate_code(source, operator(operator_name), occurrence) or source
    before: list[str] = []
    after: list[str] = []
    for line in difflib.ndiff(source.splitlines(), mutated.splitlines()):
        if line.startswith("- "):
            before.append(line[2:].strip())
        elif line.startswith("+ "):
            after.append(line[2:].strip())
    return " / ".join(before), " / ".join(after) or "(removed)"
