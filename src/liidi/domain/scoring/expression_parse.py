"""Parsing qualify expressions: a tokenizer and a recursive-descent parser that report 1-based columns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from liidi.domain.scoring.expressions import (
    BoolOp,
    Compare,
    ExpressionError,
    InList,
    Name,
    Node,
    Not,
    Number,
    Operand,
)

KEYWORDS = frozenset({"and", "or", "not", "in"})
_TOKEN = re.compile(
    r"(?P<space>\s+)|(?P<number>-?\d+(?:\.\d+)?)|(?P<name>[^\W\d][\w]*(?:\.[\w]+)*)"
    r"|(?P<op>>=|<=|==|!=|>|<|=)|(?P<punct>[()\[\],])"
)


@dataclass(frozen=True, slots=True)
class Token:
    """One token: kind is number, name, keyword, op, punct or end."""

    kind: str
    text: str
    column: int


def tokenize(text: str) -> list[Token]:
    """Split an expression into tokens; raise ExpressionError at the first bad character."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            raise ExpressionError(f"unexpected character {text[pos]!r}", pos + 1)
        kind = match.lastgroup or ""
        word = match.group()
        if kind == "op" and word == "=":
            raise ExpressionError("use '==' to compare", pos + 1)
        if kind == "name" and word.lower() in KEYWORDS:
            kind, word = "keyword", word.lower()
        if kind != "space":
            tokens.append(Token(kind, word, pos + 1))
        pos = match.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


class _Parser:
    """Recursive descent: or < and < not < comparison."""

    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.pos = 0

    def peek(self) -> Token:
        """The current token."""
        return self.tokens[self.pos]

    def take(self) -> Token:
        """Consume the current token."""
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def expect(self, text: str) -> Token:
        """Consume a given punctuation token or fail."""
        token = self.peek()
        if token.text != text or token.kind not in ("punct", "keyword"):
            raise ExpressionError(f"expected '{text}', got {_shown(token)}", token.column)
        return self.take()

    def boolean(self, op: str, below: Any) -> Node:
        """Parse items of `op` joined by the keyword."""
        items = [below()]
        while self.peek().kind == "keyword" and self.peek().text == op:
            self.take()
            items.append(below())
        return items[0] if len(items) == 1 else BoolOp(op, tuple(items))

    def disjunction(self) -> Node:
        """`a or b`."""
        return self.boolean("or", self.conjunction)

    def conjunction(self) -> Node:
        """`a and b`."""
        return self.boolean("and", self.negation)

    def negation(self) -> Node:
        """`not a`."""
        if self.peek().kind == "keyword" and self.peek().text == "not":
            self.take()
            return Not(self.negation())
        return self.comparison()

    def comparison(self) -> Node:
        """`x op y`, `x in [..]`, `x not in [..]`, a bare reference or a parenthesised expression."""
        if self.peek().text == "(" and self.peek().kind == "punct":
            self.take()
            inner = self.disjunction()
            self.expect(")")
            return inner
        left = self.operand()
        token = self.peek()
        if token.kind == "op":
            self.take()
            return Compare(left, token.text, self.operand(), token.column)
        if token.kind == "keyword" and token.text in ("in", "not"):
            return self.membership(left)
        return left

    def membership(self, left: Operand) -> Node:
        """`x in [a, b]` or `x not in [a, b]`."""
        start = self.take()
        if start.text == "not":
            self.expect("in")
        if not isinstance(left, Name):
            raise ExpressionError("only a name can be tested with 'in'", start.column)
        self.expect("[")
        items = [self.operand()]
        while self.peek().text == ",":
            self.take()
            items.append(self.operand())
        self.expect("]")
        return InList(left, tuple(items), start.text == "not", start.column)

    def operand(self) -> Operand:
        """A number or a name."""
        token = self.take()
        if token.kind == "number":
            return Number(float(token.text), token.column)
        if token.kind == "name":
            return Name(token.text, token.column)
        raise ExpressionError(f"expected a name or a number, got {_shown(token)}", token.column)


def _shown(token: Token) -> str:
    """How a token is named in an error."""
    return "the end of the expression" if token.kind == "end" else repr(token.text)


def parse(text: str) -> Node:
    """Parse an expression's text into a tree; raise ExpressionError with a column."""
    parser = _Parser(text)
    if parser.peek().kind == "end":
        raise ExpressionError("the expression is empty", 1)
    root = parser.disjunction()
    token = parser.peek()
    if token.kind != "end":
        raise ExpressionError(f"unexpected {_shown(token)}", token.column)
    return root
