"""The compiler's foundations: the named error, the visitor dispatch and small sqlglot builders."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from liidi.domain.scoring.spec import Condition
from liidi.errors import LiidiError

if TYPE_CHECKING:
    from liidi.engines.compile.dialects import Dialect

_SAFE_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_RESERVED = frozenset({"all", "and", "or", "not", "in", "is", "order", "group", "select", "from", "where"})


class UnsupportedByDialect(LiidiError):
    """A scoring construct that one SQL dialect cannot express exactly; nothing was compiled."""

    code = "unsupported_by_dialect"

    def __init__(self, dialect: str, node: object, reason: str) -> None:
        self.dialect = dialect
        self.node = node
        self.reason = reason
        super().__init__(f"{dialect} cannot compile {describe_node(node)}: {reason}")


def describe_node(node: object) -> str:
    """A short name for a spec node in an error message."""
    if isinstance(node, str):
        return node
    if isinstance(node, Condition):
        return f"condition '{node.field}: {{{node.op}: {node.value!r}}}'"
    name = getattr(node, "name", None)
    kind = type(node).__name__
    return f"{kind} '{name}'" if isinstance(name, str) else kind


class Visitor:
    """Dispatches a spec node to `visit_<ClassName>`; a node without a method is a loud error."""

    dialect: Dialect

    def visit(self, node: object, *args: Any) -> Any:
        """Compile one node with the method named after its class."""
        method = getattr(self, f"visit_{type(node).__name__}", None)
        if method is None:
            raise UnsupportedByDialect(
                self.dialect.name, node, f"no visit_{type(node).__name__} in the compiler"
            )
        return method(node, *args)


def ident(name: str) -> exp.Identifier:
    """An identifier, quoted only when it needs to be."""
    return exp.Identifier(this=name, quoted=not _SAFE_NAME.fullmatch(name) or name in _RESERVED)


def col(name: str, table: str | None = None) -> exp.Column:
    """A column reference, optionally qualified by a table or CTE alias."""
    return exp.Column(this=ident(name), table=ident(table) if table else None)


def number_text(value: float) -> str:
    """A float as SQL text that every dialect reads back as the same double (≤ 15 digits, else exponent)."""
    text = repr(float(value))
    digits = len(re.sub(r"\D", "", text.split("e")[0]).lstrip("0"))
    return text if "e" in text or digits <= 15 else format(value, ".16e")


def lit(value: object) -> exp.Expression:
    """A literal: text, boolean, integer or float."""
    if isinstance(value, bool):
        return exp.true() if value else exp.false()
    if isinstance(value, str):
        return exp.Literal.string(value)
    if isinstance(value, int):
        return exp.Literal.number(str(value))
    if isinstance(value, float):
        return exp.Literal.number(number_text(value))
    raise TypeError(f"no SQL literal for {value!r}")


def num(value: float) -> exp.Expression:
    """A float literal cast to DOUBLE, so that arithmetic stays in floating point on every dialect."""
    return exp.cast(lit(float(value)), "DOUBLE")


def double(expression: exp.Expression) -> exp.Expression:
    """CAST(expression AS DOUBLE)."""
    return exp.cast(expression, "DOUBLE")


def fn(name: str, *args: exp.Expression) -> exp.Expression:
    """A call of a dialect's own function, written as named."""
    return exp.Anonymous(this=name, expressions=list(args))


def and_(*items: exp.Expression) -> exp.Expression:
    """Every item holds (TRUE when there are none); an OR inside is parenthesised."""
    if not items:
        return exp.true()
    result = _grouped(items[0], exp.Or)
    for item in items[1:]:
        result = exp.And(this=result, expression=_grouped(item, exp.Or))
    return result


def or_(*items: exp.Expression) -> exp.Expression:
    """Some item holds (FALSE when there are none); an AND inside is parenthesised for the reader."""
    if not items:
        return exp.false()
    result = _grouped(items[0], exp.And)
    for item in items[1:]:
        result = exp.Or(this=result, expression=_grouped(item, exp.And))
    return result


def _grouped(item: exp.Expression, kind: type) -> exp.Expression:
    """The item in parentheses when it is a connector of the given kind."""
    return exp.paren(item, copy=False) if isinstance(item, kind) else item


def not_(item: exp.Expression) -> exp.Expression:
    """NOT item."""
    return exp.Not(this=exp.paren(item, copy=False) if isinstance(item, exp.Connector) else item)


def known(item: exp.Expression) -> exp.Expression:
    """COALESCE(item, FALSE): an unknown (NULL) truth value counts as false."""
    return exp.Coalesce(this=item, expressions=[exp.false()])


def case(whens: Sequence[tuple[exp.Expression, exp.Expression]], default: exp.Expression | None) -> exp.Case:
    """CASE WHEN … THEN … [ELSE …] END."""
    node = exp.Case(ifs=[exp.If(this=cond, true=then) for cond, then in whens])
    return node.else_(default, copy=False) if default is not None else node


def alias(expression: exp.Expression, name: str) -> exp.Alias:
    """expression AS name."""
    return exp.Alias(this=expression, alias=ident(name))


def table(name: str, as_: str | None = None) -> exp.Table:
    """A table or CTE by name (dotted names are qualified), optionally aliased."""
    found = exp.to_table(name) if "." in name else exp.Table(this=ident(name))
    if as_:
        found.set("alias", exp.TableAlias(this=ident(as_)))
    return found


def union_all(selects: list[exp.Select]) -> exp.Query:
    """SELECT … UNION ALL SELECT …."""
    query: exp.Query = selects[0]
    for select in selects[1:]:
        query = exp.union(query, select, distinct=False, copy=False)
    return query


class Names:
    """Unique, readable names for CTEs and columns (at most 50 characters, PostgreSQL keeps 63)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, *parts: str) -> str:
        """A fresh name from slugs of the parts: `eng_service_page_visit`, `…_2` on a clash."""
        base = "_".join(slug(p) for p in parts if p)[:50].rstrip("_") or "x"
        name, index = base, 2
        while name in self.used:
            name, index = f"{base}_{index}", index + 1
        self.used.add(name)
        return name


def slug(text: str) -> str:
    """Lower case letters, digits and underscores only."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
