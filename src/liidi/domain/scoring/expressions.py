"""The qualify expression language: its tree, evaluation (never Python's eval) and canonical text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class ExpressionError(ValueError):
    """A problem in an expression, at a 1-based column of its text."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


@dataclass(frozen=True, slots=True)
class Number:
    """A number literal."""

    value: float
    column: int


@dataclass(frozen=True, slots=True)
class Name:
    """A reference (fit, signal.x …) or a word such as a grade letter or a stage name."""

    text: str
    column: int


@dataclass(frozen=True, slots=True)
class Word:
    """A grade letter or a stage name, resolved by the type check."""

    text: str
    kind: str
    column: int


@dataclass(frozen=True, slots=True)
class Compare:
    """`left op right`."""

    left: Operand
    op: str
    right: Operand
    column: int


@dataclass(frozen=True, slots=True)
class InList:
    """`operand in [items]`, or `not in` when negated."""

    operand: Name
    items: tuple[Operand, ...]
    negated: bool
    column: int


@dataclass(frozen=True, slots=True)
class BoolOp:
    """`and` / `or` over two or more items."""

    op: str
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    """`not item`."""

    item: Node


Operand = Number | Name | Word
Node = Number | Name | Word | Compare | InList | BoolOp | Not


@dataclass(frozen=True, slots=True)
class Expression:
    """A parsed, type-checked expression with the text it came from."""

    source: str
    root: Node

    def evaluate(self, env: Mapping[str, Any], ranks: Mapping[str, Mapping[str, int]]) -> bool:
        """Evaluate against values by name; `ranks` orders the words of grade and stage."""
        return bool(_eval(self.root, env, ranks))

    def canonical(self) -> str:
        """The expression rendered with normalised spacing and parentheses."""
        return render(self.root)

    def names(self) -> set[str]:
        """Every reference used."""
        return _names(self.root)


def _eval(node: Node, env: Mapping[str, Any], ranks: Mapping[str, Mapping[str, int]]) -> Any:
    """Evaluate a checked node; grade and stage values compare by their rank."""
    if isinstance(node, BoolOp):
        values = (_eval(item, env, ranks) for item in node.items)
        return all(values) if node.op == "and" else any(values)
    if isinstance(node, Not):
        return not _eval(node.item, env, ranks)
    if isinstance(node, Compare):
        return _compare(_value(node.left, env, ranks), node.op, _value(node.right, env, ranks))
    if isinstance(node, InList):
        value = _value(node.operand, env, ranks)
        if value is None:
            return False
        found = value in {_value(item, env, ranks) for item in node.items}
        return found != node.negated
    return _value(node, env, ranks)


def _value(node: Node, env: Mapping[str, Any], ranks: Mapping[str, Mapping[str, int]]) -> Any:
    """A number, the rank of a word, or a reference looked up in `env` (ranked for grade and stage)."""
    if isinstance(node, Number):
        return node.value
    if isinstance(node, Word):
        return ranks[node.kind].get(node.text)
    assert isinstance(node, Name)
    value = env[node.text]
    if node.text in ranks:
        return None if value is None else ranks[node.text].get(value)
    return value


def _compare(left: Any, op: str, right: Any) -> bool:
    """Compare two values; anything compared with an unknown (None) is false."""
    if left is None or right is None:
        return False
    if op == "==":
        return bool(left == right)
    if op == "!=":
        return bool(left != right)
    if op == ">=":
        return bool(left >= right)
    if op == "<=":
        return bool(left <= right)
    return bool(left > right) if op == ">" else bool(left < right)


def render(node: Node) -> str:
    """Text for a node, fully parenthesised where precedence needs it."""
    if isinstance(node, Number):
        return f"{node.value:g}"
    if isinstance(node, Name | Word):
        return node.text
    if isinstance(node, Compare):
        return f"{render(node.left)} {node.op} {render(node.right)}"
    if isinstance(node, InList):
        inner = ", ".join(render(i) for i in node.items)
        return f"{render(node.operand)} {'not in' if node.negated else 'in'} [{inner}]"
    if isinstance(node, Not):
        return f"not {_wrapped(node.item)}"
    return f" {node.op} ".join(_wrapped(item) for item in node.items)


def _wrapped(node: Node) -> str:
    """Render, with parentheses around a boolean operation."""
    return f"({render(node)})" if isinstance(node, BoolOp) else render(node)


def _names(node: Node) -> set[str]:
    """Names used anywhere under a node."""
    if isinstance(node, Name):
        return {node.text}
    if isinstance(node, Compare):
        return _names(node.left) | _names(node.right)
    if isinstance(node, InList):
        return {node.operand.text}.union(*(_names(i) for i in node.items))
    if isinstance(node, Not):
        return _names(node.item)
    if isinstance(node, BoolOp):
        return set().union(*(_names(i) for i in node.items))
    return set()
