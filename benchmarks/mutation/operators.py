"""The mutation operators: a chosen subset of cosmic-ray's, and three it lacks.

cosmic-ray offers every comparison in place of every other (seven mutants per ``==``), which
multiplies runs without finding more; the subset keeps the negation of each comparison and its
boundary neighbour. It has no operator that changes a string, drops a statement or turns
``in`` into ``not in``: those are written here against its ``Operator`` interface (parso
nodes), so that they are applied, counted and named exactly as its own are.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import cosmic_ray.plugins
from cosmic_ray.operators.exception_replacer import ExceptionReplacer
from cosmic_ray.operators.operator import Example, Operator
from parso.python.tree import Keyword, Leaf, Name

Position = tuple[tuple[int, int], tuple[int, int]]

# cosmic-ray's own operators, by the name its plugin registry gives them.
CORE_OPERATORS = (
    "ReplaceComparisonOperator_Eq_NotEq",
    "ReplaceComparisonOperator_NotEq_Eq",
    "ReplaceComparisonOperator_Lt_GtE",
    "ReplaceComparisonOperator_Lt_LtE",
    "ReplaceComparisonOperator_LtE_Gt",
    "ReplaceComparisonOperator_LtE_Lt",
    "ReplaceComparisonOperator_Gt_LtE",
    "ReplaceComparisonOperator_Gt_GtE",
    "ReplaceComparisonOperator_GtE_Lt",
    "ReplaceComparisonOperator_GtE_Gt",
    "ReplaceComparisonOperator_Is_IsNot",
    "ReplaceComparisonOperator_IsNot_Is",
    "ReplaceBinaryOperator_Add_Sub",
    "ReplaceBinaryOperator_Sub_Add",
    "ReplaceBinaryOperator_Mul_Add",
    "ReplaceUnaryOperator_Delete_Not",
    "AddNot",
    "ReplaceAndWithOr",
    "ReplaceOrWithAnd",
    "ReplaceTrueWithFalse",
    "ReplaceFalseWithTrue",
    "ReplaceContinueWithBreak",
    "ReplaceBreakWithContinue",
    "NumberReplacer",
    "ZeroIterationForLoop",
)

# Statements whose removal leaves the rest well-formed: effects, guards and answers. Dropping
# an assignment to a local name only makes a NameError, which says nothing about the suite.
DROPPABLE = ("return_stmt", "raise_stmt", "atom_expr", "expr_stmt")


class MembershipReplacer(Operator):
    """``a in b`` becomes ``a not in b``, and ``a not in b`` becomes ``a in b``."""

    def mutation_positions(self, node: Any) -> Iterator[Position]:
        if _is_membership(node):
            yield (node.start_pos, node.end_pos)

    def mutate(self, node: Any, index: int) -> Any:
        first = node.get_first_leaf() if node.type == "comp_op" else node
        text = "in" if node.type == "comp_op" else "not in"
        return Keyword(text, first.start_pos, prefix=first.prefix)

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (Example("x = a in b", "x = a not in b"), Example("x = a not in b", "x = a in b"))


class StringReplacer(Operator):
    """A string literal (or the literal text of an f-string) gains ``XX`` at its start;
    docstrings are left alone."""

    def mutation_positions(self, node: Any) -> Iterator[Position]:
        if node.type in ("string", "fstring_string") and not _is_docstring(node):
            yield (node.start_pos, node.end_pos)

    def mutate(self, node: Any, index: int) -> Any:
        if node.type == "fstring_string":
            node.value = "XX" + node.value
            return node
        value = node.value
        start = len(value) - len(value.lstrip("rbuRBU"))
        cut = start + (3 if value[start : start + 3] in ('"""', "'''") else 1)
        node.value = value[:cut] + "XX" + value[cut:]
        return node

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (Example('x = "a"', 'x = "XXa"'),)


class StatementDropper(Operator):
    """A statement with an effect (a call, an assignment into an object, ``return``,
    ``raise``) becomes ``pass``."""

    def mutation_positions(self, node: Any) -> Iterator[Position]:
        if _is_droppable(node):
            yield (node.start_pos, node.end_pos)

    def mutate(self, node: Any, index: int) -> Any:
        first = node.get_first_leaf()
        return Keyword("pass", first.start_pos, prefix=first.prefix)

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (Example("def f():\n    g()\n", "def f():\n    pass\n"),)


class PlainExceptionReplacer(ExceptionReplacer):  # type: ignore[misc]
    """cosmic-ray's ExceptionReplacer (a caught exception type becomes one nothing raises),
    on plain names only: 8.7.0 fails on a dotted name such as ``yaml.YAMLError``."""

    @staticmethod
    def _name_nodes(node: Any) -> tuple[Any, ...]:
        names = ExceptionReplacer._name_nodes(node)
        return tuple(name for name in names if isinstance(name, Name))


EXTRA_OPERATORS: dict[str, type[Operator]] = {
    "ExceptionReplacer": PlainExceptionReplacer,
    "MembershipReplacer": MembershipReplacer,
    "StringReplacer": StringReplacer,
    "StatementDropper": StatementDropper,
}

OPERATOR_NAMES = (*CORE_OPERATORS, *EXTRA_OPERATORS)


def operator(name: str) -> Operator:
    """An instance of the operator called ``name`` (ours, or cosmic-ray's ``core/`` ones)."""
    if name in EXTRA_OPERATORS:
        return EXTRA_OPERATORS[name]()
    found: Operator = cosmic_ray.plugins.get_operator(f"core/{name}")()
    return found


def _is_membership(node: Any) -> bool:
    parent = node.parent
    if parent is None or parent.type != "comparison":
        return False
    if node.type == "comp_op":
        return [leaf.value for leaf in node.children] == ["not", "in"]
    return isinstance(node, Leaf) and node.value == "in"


def _is_docstring(node: Any) -> bool:
    statement = node.parent
    if node.type == "fstring_string" or statement is None or statement.type != "simple_stmt":
        return False
    return statement.children[0] is node


def _is_droppable(node: Any) -> bool:
    statement = node.parent
    if statement is None or statement.type != "simple_stmt" or node.type not in DROPPABLE:
        return False
    if node.type == "expr_stmt":
        targets = node.children[0]
        # An assignment into an attribute or item (state kept); not to a plain local name.
        return targets.type == "atom_expr" and node.children[1].type == "operator"
    if node.type == "atom_expr":
        last = node.children[-1]
        return last.type == "trailer" and getattr(last.children[0], "value", "") == "("
    return _inside_function(node)


def _inside_function(node: Any) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.type in ("funcdef", "lambdef"):
            return True
        parent = parent.parent
    return False
