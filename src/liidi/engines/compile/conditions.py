"""Conditions and event filters as SQL predicates, with the reference's strict types and NULL rules."""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from liidi.domain.scoring.spec import AllOf, AnyOf, Condition, EventFilter, ScoringModel
from liidi.engines.compile.base import Names, UnsupportedByDialect, Visitor, and_, col, known, lit, not_, or_
from liidi.engines.compile.regex import matches_empty
from liidi.engines.compile.values import ColumnValue, JsonColumns, Value
from liidi.engines.layout import ACCOUNT_ATTRIBUTE_COLUMNS, PERSON_ATTRIBUTE_COLUMNS

_COMPARISONS: dict[str, Callable[..., exp.Expression]] = {
    "above": exp.GT,
    "below": exp.LT,
    "at_least": exp.GTE,
    "at_most": exp.LTE,
}


class ConditionCompiler(Visitor):
    """visit_AllOf / visit_AnyOf / visit_Condition / visit_EventFilter; operators as `_op_<name>`."""

    # A predicate may be NULL where the reference says false: it is used only where NULL counts as false
    # (WHERE, CASE WHEN, AND, OR) and wrapped in COALESCE(…, FALSE) wherever it is negated.

    model: ScoringModel
    names: Names
    person_traits: JsonColumns
    account_traits: JsonColumns
    properties: JsonColumns
    person_columns: set[str]
    ev_needs_person: bool

    def visit_AllOf(self, node: AllOf) -> exp.Expression:
        return and_(*(self.visit(item) for item in node.items))

    def visit_AnyOf(self, node: AnyOf) -> exp.Expression:
        return or_(*(self.visit(item) for item in node.items))

    def visit_EventFilter(self, node: EventFilter) -> exp.Expression:
        types = exp.In(this=col("type"), expressions=[lit(t) for t in node.types])
        where = self.visit(node.where) if node.where.items else None
        return and_(types, where) if where is not None else types

    def visit_Condition(self, node: Condition) -> exp.Expression:
        op = getattr(self, f"_op_{node.op}", None)
        if op is None:
            raise UnsupportedByDialect(self.dialect.name, node, f"unknown operator '{node.op}'")
        result: exp.Expression = op(self.value_of(node), node)
        return result

    def value_of(self, node: Condition) -> Value:
        """The value a condition reads: an event property, or a column or trait of the person/account."""
        if node.scope == "event":
            return self.properties.value(node.key, node)
        if self._in_event_filter:
            self.ev_needs_person = True
        if node.key.startswith("traits."):
            traits = self.person_traits if node.scope == "person" else self.account_traits
            return traits.value(node.key.removeprefix("traits."), node)
        columns = PERSON_ATTRIBUTE_COLUMNS if node.scope == "person" else ACCOUNT_ATTRIBUTE_COLUMNS
        name = columns[node.key]
        self.person_columns.add(name)
        return ColumnValue(name, numeric=name == "employees")

    _in_event_filter = False

    def event_flag(self, predicate: exp.Expression) -> exp.Expression:
        """A predicate over one event, as the rules read it (the model compiler makes it a column)."""
        return predicate

    def event_filter(self, node: EventFilter) -> exp.Expression:
        """An event filter over the columns of `ev`."""
        self._in_event_filter = True
        try:
            return self.visit(node)  # type: ignore[no-any-return]
        finally:
            self._in_event_filter = False

    # ── operators ────────────────────────────────────────────────────────────────────────────────────
    def _equal_any(self, value: Value, choices: tuple[object, ...]) -> exp.Expression | None:
        """The value equals one of the choices, types strict; None when none can match."""
        tests: list[exp.Expression] = []
        texts = [c for c in choices if isinstance(c, str) and c != ""]
        numbers = [float(c) for c in choices if isinstance(c, int | float) and not isinstance(c, bool)]
        flags = sorted({c for c in choices if isinstance(c, bool)})
        text = value.text() if texts else None
        number = value.number() if numbers else None
        boolean = value.boolean() if flags else None
        if text is not None:
            tests.append(_in_or_equal(text, texts))
        if number is not None:
            tests.append(_in_or_equal(number, numbers))
        if boolean is not None:
            tests += [exp.EQ(this=boolean.copy(), expression=lit(flag)) for flag in flags]
        return or_(*tests) if tests else None

    def _op_equals(self, value: Value, node: Condition) -> exp.Expression:
        return self._equal_any(value, (node.value,)) or exp.false()

    def _op_in(self, value: Value, node: Condition) -> exp.Expression:
        return self._equal_any(value, tuple(node.value)) or exp.false()

    def _op_not(self, value: Value, node: Condition) -> exp.Expression:
        return self._none_of(value, (node.value,))

    def _op_not_in(self, value: Value, node: Condition) -> exp.Expression:
        return self._none_of(value, tuple(node.value))

    def _none_of(self, value: Value, choices: tuple[object, ...]) -> exp.Expression:
        """Known, and equal to none of the choices."""
        present = not_(value.missing())
        found = self._equal_any(value, choices)
        return present if found is None else and_(present, not_(known(found)))

    def _op_between(self, value: Value, node: Condition) -> exp.Expression:
        number = value.number()
        if number is None:
            return exp.false()
        low, high = node.value
        return exp.Between(this=number, low=lit(float(low)), high=lit(float(high)))

    def _compare(self, value: Value, node: Condition) -> exp.Expression:
        number = value.number()
        if number is None:
            return exp.false()
        return _COMPARISONS[node.op](this=number, expression=lit(float(node.value)))

    _op_above = _op_below = _op_at_least = _op_at_most = _compare

    def _op_matches(self, value: Value, node: Condition) -> exp.Expression:
        text = value.text()
        if text is None:
            return exp.false()
        found = self.dialect.regex_match(text, node.value, node)
        return (
            and_(exp.NEQ(this=text.copy(), expression=lit("")), found) if matches_empty(node.value) else found
        )

    def _op_starts_with(self, value: Value, node: Condition) -> exp.Expression:
        text = value.text()
        if text is None:
            return exp.false()
        prefix = exp.Substring(this=text, start=lit(1), length=lit(len(node.value)))
        return exp.EQ(this=prefix, expression=lit(node.value))

    def _op_ends_with(self, value: Value, node: Condition) -> exp.Expression:
        text = value.text()
        if text is None:
            return exp.false()
        return exp.EQ(this=self.dialect.text_suffix(text, len(node.value)), expression=lit(node.value))

    def _op_contains(self, value: Value, node: Condition) -> exp.Expression:
        text, listed = value.text(), value.has(node.value)
        tests = [listed] if listed is not None else []
        if isinstance(node.value, str) and text is not None:
            if node.value == "":
                tests.insert(0, exp.NEQ(this=text, expression=lit("")))
            else:
                found = exp.StrPosition(this=text, substr=lit(node.value))
                tests.insert(0, exp.GT(this=found, expression=lit(0)))
        return or_(*tests)

    def _op_missing(self, value: Value, node: Condition) -> exp.Expression:
        return value.missing() if node.value else not_(value.missing())


def _in_or_equal(value: exp.Expression, choices: list[str] | list[float]) -> exp.Expression:
    """value = a, or value IN (a, b, …)."""
    if len(choices) == 1:
        return exp.EQ(this=value, expression=lit(choices[0]))
    return exp.In(this=value, expressions=[lit(c) for c in choices])
