"""Type checking of qualify expressions: names exist, comparisons make sense, the result is true/false."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence

from liidi.domain.scoring.expression_parse import parse
from liidi.domain.scoring.expressions import (
    BoolOp,
    Compare,
    Expression,
    ExpressionError,
    InList,
    Name,
    Node,
    Not,
    Number,
    Operand,
    Word,
)

NUMBER, BOOL, GRADE, STAGE = "number", "true/false value", "grade", "stage"
RANKED = (GRADE, STAGE)


def compile_expression(
    text: str,
    kinds: Mapping[str, str],
    vocab: Mapping[str, Sequence[str]],
    hints: Mapping[str, str] | None = None,
) -> Expression:
    """Parse and check an expression; `kinds` types each name, `vocab` lists grade and stage words."""
    root = parse(text)
    return Expression(text, _Checker(kinds, vocab, hints or {}).boolean(root))


class _Checker:
    """Walks a parsed tree, resolving words and refusing ill-typed parts."""

    def __init__(
        self, kinds: Mapping[str, str], vocab: Mapping[str, Sequence[str]], hints: Mapping[str, str]
    ):
        self.kinds = kinds
        self.vocab = vocab
        self.hints = hints

    def boolean(self, node: Node) -> Node:
        """Check a node that must be true or false."""
        if isinstance(node, BoolOp):
            return BoolOp(node.op, tuple(self.boolean(item) for item in node.items))
        if isinstance(node, Not):
            return Not(self.boolean(node.item))
        if isinstance(node, Compare):
            return self.compare(node)
        if isinstance(node, InList):
            return self.membership(node)
        if isinstance(node, Name):
            kind = self.kind_of(node)
            if kind == BOOL:
                return node
            raise ExpressionError(f"'{node.text}' is a {kind}, not true or false: compare it", node.column)
        assert isinstance(node, Number | Word)
        raise ExpressionError("a number alone is not true or false", node.column)

    def kind_of(self, name: Name) -> str:
        """The type of a reference, or an error naming what is known."""
        kind = self.kinds.get(name.text)
        if kind is None:
            raise ExpressionError(self.unknown(name.text), name.column)
        return kind

    def unknown(self, text: str) -> str:
        """An error message for an unknown name, with a suggestion."""
        if text in self.hints:
            return self.hints[text]
        family, _, rest = text.partition(".")
        if family in ("signal", "product") and rest:
            known = sorted(k.partition(".")[2] for k in self.kinds if k.startswith(family + "."))
            listed = ", ".join(known) if known else "none defined"
            return f"unknown {family} '{rest}' (known: {listed}){_suggest(rest, known)}"
        known = sorted(self.kinds)
        return f"unknown name '{text}'; use one of {', '.join(known)}{_suggest(text, known)}"

    def operand(self, node: Operand, other: Operand) -> tuple[Operand, str]:
        """Resolve one side of a comparison: a word takes its kind from a grade/stage on the other side."""
        if isinstance(node, Number):
            return node, NUMBER
        assert isinstance(node, Name)
        other_kind = self.kinds.get(other.text) if isinstance(other, Name) else None
        if node.text not in self.kinds and other_kind in RANKED:
            return self.word(node, other_kind or ""), other_kind or ""
        return node, self.kind_of(node)

    def word(self, node: Name, kind: str) -> Word:
        """A grade letter or stage name, or an error listing the allowed ones."""
        allowed = list(self.vocab.get(kind, ()))
        if node.text not in allowed:
            raise ExpressionError(
                f"expected a {kind} ({', '.join(allowed)}), got '{node.text}'{_suggest(node.text, allowed)}",
                node.column,
            )
        return Word(node.text, kind, node.column)

    def compare(self, node: Compare) -> Compare:
        """Both sides of a comparison must be of one kind, and not true/false values."""
        left, left_kind = self.operand(node.left, node.right)
        right, right_kind = self.operand(node.right, node.left)
        if BOOL in (left_kind, right_kind):
            raise ExpressionError("a signal is true or false: use it alone or with 'not'", node.column)
        if left_kind != right_kind:
            raise ExpressionError(f"cannot compare a {left_kind} with a {right_kind}", node.column)
        if isinstance(left, Word) and isinstance(right, Word):
            raise ExpressionError("compare a name with a value, not two values", node.column)
        return Compare(left, node.op, right, node.column)

    def membership(self, node: InList) -> InList:
        """`x in [..]`: the items must be of x's kind."""
        kind = self.kind_of(node.operand)
        if kind == BOOL:
            raise ExpressionError("a signal is true or false: use it alone or with 'not'", node.column)
        items: list[Operand] = []
        for item in node.items:
            if kind in RANKED and isinstance(item, Name):
                items.append(self.word(item, kind))
            elif kind == NUMBER and isinstance(item, Number):
                items.append(item)
            else:
                raise ExpressionError(f"expected a {kind} in the list", item.column)
        return InList(node.operand, tuple(items), node.negated, node.column)


def _suggest(text: str, known: Sequence[str]) -> str:
    """'; did you mean x?' when a close match exists."""
    close = difflib.get_close_matches(text, list(known), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""
