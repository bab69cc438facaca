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
        candidates = self._firings(base, clauses)
        fired = exp.select("person_id", alias(exp.Max(this=col("ts")), "fired_at"))
        fired = fired.from_(candidates.subquery("w")).group_by("person_id")
        fired_name = self.add_cte(self.names.make(base, "fired"), fired)
        self.add_cte(base, self._state(rule, fired_name))
        self.points.append(exp.select("person_id", "points").from_(table(base)))
        self.flags.append((f"{kind}__{rule.key}", base))

    def _firings(self, base: str, clauses: tuple[WindowClause, ...]) -> exp.Select:
        """(person_id, ts) of every moment the rule fires: every clause reaches at_least in its window."""
        with_same = any(c.same for c in clauses)
        hits = union_all([self.visit(c, i, with_same) for i, c in enumerate(clauses, 1)])
        hits_name = self.add_cte(self.names.make(base, "hits"), hits)
        people = self.add_cte(self.names.make(base, "people"), _could_fire(hits_name, clauses))
        windows = self._windows(hits_name, clauses).where(_among(people))
        windows_name = self.add_cte(self.names.make(base, "windows"), windows)
        holds = [
            exp.GTE(this=col(f"total_{index}"), expression=lit(float(clause.at_least)))
            for index, clause in enumerate(clauses, 1)
            if clause.same is None
        ]
        candidates = exp.select("person_id", "ts").from_(table(windows_name))
        if holds:
            candidates = candidates.where(and_(*holds))
        for index, clause in enumerate(clauses, 1):
            if clause.same is not None:
                name = self.add_cte(self.names.make(base, "cand"), candidates.distinct())
                same_name = self.add_cte(
                    self.names.make(base, f"same{index}"), self._same(hits_name, name, index, clause)
                )
                candidates = exp.select("person_id", "ts").from_(table(same_name))
        return candidates

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

    def _same(self, hits: str, candidates: str, index: int, clause: WindowClause) -> exp.Select:
        """The candidate times t where one `same` value totals at least `at_least` over [t - within, t].

        Each candidate is a probe (amount 0) for every value the person has hits of; one window per
        person and value sums the hits in [t - within, t], peers at t included, and a probe keeps its
        time when some value reaches `at_least`. Only the hits of people with a candidate are read.
        """
        mine = and_(exp.EQ(this=col("clause"), expression=lit(index)), _among(candidates))
        values = exp.select("person_id", "same_text", "same_number").distinct().from_(table(hits)).where(mine)
        on = exp.EQ(this=col("person_id", "v"), expression=col("person_id", "c"))
        probes = (
            exp.select(
                col("person_id", "c"),
                col("ts", "c"),
                col("same_text", "v"),
                col("same_number", "v"),
                alias(lit(1), "probe"),
                alias(num(0.0), "amount"),
            )
            .from_(table(candidates, "c"))
            .join(values.subquery("v"), on=on)
        )
        own = (
            exp.select("person_id", "ts", "same_text", "same_number", alias(lit(0), "probe"), "amount")
            .from_(table(hits))
            .where(mine.copy())
        )
        window = exp.Window(
            this=exp.Sum(this=col("amount")),
            partition_by=[col("person_id"), col("same_text"), col("same_number")],
            order=exp.Order(expressions=[self.dialect.ordered(col("ts"))]),
            spec=exp.WindowSpec(
                kind="RANGE", start=lit(clause.within), start_side="PRECEDING", end="CURRENT ROW"
            ),
        )
        totals = exp.select("person_id", "ts", "probe", alias(window, "total")).from_(
            union_all([probes, own]).subquery("s")
        )
        reached = and_(
            exp.EQ(this=col("probe"), expression=lit(1)),
            exp.GTE(this=col("total"), expression=lit(float(clause.at_least))),
        )
        return exp.select("person_id", "ts").distinct().from_(totals.subquery("t")).where(reached)

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


def _could_fire(hits: str, clauses: tuple[WindowClause, ...]) -> exp.Select:
    """The people whose positive amounts of every clause, over all their hits, reach its at_least.

    No window can total more than that, so nobody else can fire, and their hits need no windows.
    """
    reach = [
        exp.GTE(
            this=exp.Sum(
                this=case(
                    [
                        (
                            and_(
                                exp.EQ(this=col("clause"), expression=lit(index)),
                                exp.GT(this=col("amount"), expression=num(0.0)),
                            ),
                            col("amount"),
                        )
                    ],
                    num(0.0),
                )
            ),
            expression=lit(float(clause.at_least)),
        )
        for index, clause in enumerate(clauses, 1)
    ]
    return exp.select("person_id").from_(table(hits)).group_by("person_id").having(and_(*reach))


def _among(people: str) -> exp.Expression:
    """person_id IN (SELECT person_id FROM people)."""
    return exp.In(this=col("person_id"), query=exp.select("person_id").from_(table(people)).subquery())
