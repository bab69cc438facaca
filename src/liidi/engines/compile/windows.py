"""Signals and product rules: clause hits, totals in [t - within, t], the last firing and its points."""

from __future__ import annotations

from sqlglot import exp

from liidi.domain.scoring.spec import ProductRule, Signal, WindowClause
from liidi.engines.compile.base import alias, and_, case, col, double, lit, num, or_, table, union_all
from liidi.engines.compile.engagement import EngagementCompiler

WindowRule = Signal | ProductRule


class WindowCompiler(EngagementCompiler):
    """visit_Signal / visit_ProductRule / visit_WindowClause: a CTE (fired_at, active, points) per rule."""

    flags: list[tuple[str, str]]

    def window_rules(self) -> None:
        """Every signal, then every product rule."""
        for signal in self.model.signals:
            self.visit(signal)
        for product in self.model.product:
            self.visit(product)

    def visit_Signal(self, node: Signal) -> None:
        self._window_rule(node, "signal", node.clauses)

    def visit_ProductRule(self, node: ProductRule) -> None:
        self._window_rule(node, "product", (node.clause,))

    def visit_WindowClause(self, node: WindowClause, index: int, with_same: bool) -> exp.Select:
        """The clause's hits: (person_id, ts, clause, amount[, same_text, same_number])."""
        if node.measure == "count":
            amount = num(1.0)
        else:
            number = self.properties.value(node.field, node).number()
            amount = exp.Coalesce(this=number, expressions=[num(0.0)])
        columns: list[exp.Expression] = [col("person_id"), col("ts"), alias(lit(index), "clause")]
        columns.append(alias(amount, "amount"))
        where = self.event_filter(node.of)
        if node.same is not None:
            same = self.properties.value(node.same, node)
            text, number = same.text(), same.number()
            assert text is not None and number is not None
            columns += [alias(text, "same_text"), alias(number, "same_number")]
            present = or_(
                exp.NEQ(this=text.copy(), expression=lit("")),
                exp.Not(this=exp.Is(this=number.copy(), expression=exp.Null())),
            )
            where = and_(where, exp.paren(present, copy=False))
        elif with_same:
            columns.append(alias(exp.cast(exp.Null(), "TEXT"), "same_text"))
            columns.append(alias(exp.cast(exp.Null(), "DOUBLE"), "same_number"))
        return exp.select(*columns).from_(table("ev")).where(where)

    def _window_rule(self, rule: WindowRule, kind: str, clauses: tuple[WindowClause, ...]) -> None:
        base = self.names.make("sig" if kind == "signal" else "prod", rule.name)
        with_same = any(c.same for c in clauses)
        hits = union_all([self.visit(c, i, with_same) for i, c in enumerate(clauses, 1)])
        hits_name = self.add_cte(self.names.make(base, "hits"), hits)
        windows_name = self.add_cte(self.names.make(base, "windows"), self._windows(hits_name, clauses))
        fired = exp.select(col("person_id", "w"), alias(exp.Max(this=col("ts", "w")), "fired_at"))
        fired = fired.from_(table(windows_name, "w"))
        holds: list[exp.Expression] = []
        for index, clause in enumerate(clauses, 1):
            if clause.same is None:
                holds.append(exp.GTE(this=col(f"total_{index}", "w"), expression=lit(float(clause.at_least))))
                continue
            same_name = self.add_cte(
                self.names.make(base, f"same{index}"), self._same(hits_name, index, clause)
            )
            alias_ = f"s{index}"
            on = and_(
                exp.EQ(this=col("person_id", alias_), expression=col("person_id", "w")),
                exp.EQ(this=col("ts", alias_), expression=col("ts", "w")),
            )
            fired = fired.join(table(same_name, alias_), on=on, join_type="LEFT")
            total = exp.Coalesce(this=col("total", alias_), expressions=[num(0.0)])
            holds.append(exp.GTE(this=total, expression=lit(float(clause.at_least))))
        fired = fired.where(and_(*holds)).group_by(col("person_id", "w"))
        fired_name = self.add_cte(self.names.make(base, "fired"), fired)
        self.add_cte(base, self._state(rule, fired_name))
        self.points.append(exp.select("person_id", "points").from_(table(base)))
        self.flags.append((f"{kind}__{rule.key}", base))

    def _windows(self, hits: str, clauses: tuple[WindowClause, ...]) -> exp.Select:
        """At each hit's time t, the total of every clause without `same` over [t - within, t]."""
        columns: list[exp.Expression] = [col("person_id"), col("ts")]
        for index, clause in enumerate(clauses, 1):
            if clause.same is not None:
                continue
            mine = case([(exp.EQ(this=col("clause"), expression=lit(index)), col("amount"))], num(0.0))
            window = exp.Window(
                this=exp.Sum(this=mine),
                partition_by=[col("person_id")],
                order=exp.Order(expressions=[self.dialect.ordered(col("ts"))]),
                spec=exp.WindowSpec(
                    kind="RANGE", start=lit(clause.within), start_side="PRECEDING", end="CURRENT ROW"
                ),
            )
            columns.append(alias(window, f"total_{index}"))
        return exp.select(*columns).from_(table(hits))

    def _same(self, hits: str, index: int, clause: WindowClause) -> exp.Select:
        """At each candidate time t, the largest total of one `same` value over [t - within, t]."""
        candidates = exp.select("person_id", "ts").distinct().from_(table(hits)).subquery("c")
        on = and_(
            exp.EQ(this=col("person_id", "h"), expression=col("person_id", "c")),
            exp.EQ(this=col("clause", "h"), expression=lit(index)),
            exp.GTE(
                this=col("ts", "h"), expression=exp.Sub(this=col("ts", "c"), expression=lit(clause.within))
            ),
            exp.LTE(this=col("ts", "h"), expression=col("ts", "c")),
        )
        per_value = (
            exp.select(
                col("person_id", "c"), col("ts", "c"), alias(exp.Sum(this=col("amount", "h")), "total")
            )
            .from_(candidates)
            .join(table(hits, "h"), on=on)
            .group_by(col("person_id", "c"), col("ts", "c"), col("same_text", "h"), col("same_number", "h"))
        )
        return (
            exp.select("person_id", "ts", alias(exp.Max(this=col("total")), "total"))
            .from_(per_value.subquery("v"))
            .group_by("person_id", "ts")
        )

    def _state(self, rule: WindowRule, fired: str) -> exp.Select:
        """Active iff as_of - fired_at <= active_for; points decayed from the last firing while active."""
        age = double(exp.Sub(this=num(self.as_of), expression=col("fired_at")))
        active = exp.LTE(this=age, expression=lit(rule.active_for))
        if rule.decay.kind == "none":
            points: exp.Expression = num(rule.points)
        else:
            points = exp.Mul(
                this=num(rule.points), expression=self.visit(rule.decay, self.age_days(col("fired_at")))
            )
        state = case([(active.copy(), points)], num(0.0))
        return exp.select("person_id", "fired_at", alias(active, "active"), alias(state, "points")).from_(
            table(fired)
        )
