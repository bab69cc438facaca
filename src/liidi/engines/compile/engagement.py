"""Engagement rules: matched events, caps (rule, then group; latest first), decay and the rule's points."""

from __future__ import annotations

from abc import ABC, abstractmethod

from sqlglot import exp

from liidi.domain.scoring.spec import DAY, Cap, Decay, EngagementRule, Group
from liidi.engines.compile.base import alias, case, col, double, lit, num, or_, table, union_all
from liidi.engines.compile.conditions import ConditionCompiler


class EngagementCompiler(ConditionCompiler, ABC):
    """visit_EngagementRule / visit_Cap / visit_Group / visit_Decay; adds CTEs and points branches."""

    as_of: float
    points: list[exp.Select]

    @abstractmethod
    def add_cte(self, name: str, query: exp.Query) -> str:
        """Append a CTE (its name made by `self.names`); returns the name."""

    def engagement(self) -> None:
        """Capped rules: items, caps, group caps, one points branch each; the rest: one grouped sum."""
        pooled = {
            r.name for g in self.model.groups if g.caps for r in self.model.engagement if r.group == g.name
        }
        plain = [r for r in self.model.engagement if not r.caps and r.name not in pooled]
        capped = {rule.name: self.visit(rule) for rule in self.model.engagement if rule not in plain}
        final: dict[str, tuple[str, int | None]] = {name: (cte, None) for name, cte in capped.items()}
        for group in self.model.groups:
            final |= self.visit(group, capped)
        for rule in self.model.engagement:
            if rule.name in final:
                self.points.append(self._rule_points(rule, *final[rule.name]))
        if plain:
            self.points.append(self._plain_points(plain))

    def _plain_points(self, rules: list[EngagementRule]) -> exp.Select:
        """Rules without caps in one pass over `ev`: Σ per rule of sign * Σ |points| * decay(age)."""
        total: exp.Expression | None = None
        matched = []
        for rule in rules:
            match = self.event_filter(rule.when)
            matched.append(match.copy())
            factor = self.visit(rule.decay, self.age_days(col("ts")))
            amount = num(abs(rule.points))
            kept = exp.Mul(this=amount, expression=factor) if rule.decay.kind != "none" else amount
            rule_sum: exp.Expression = exp.Coalesce(
                this=exp.Sum(this=case([(match, kept)], None)), expressions=[num(0.0)]
            )
            if rule.points < 0:
                rule_sum = exp.Neg(this=rule_sum)
            total = rule_sum if total is None else exp.Add(this=total, expression=rule_sum)
        assert total is not None
        query = exp.select("person_id", alias(total, "points")).from_(table("ev"))
        return query.where(or_(*matched)).group_by("person_id")

    def visit_EngagementRule(self, rule: EngagementRule) -> str:
        items = (
            exp.select("person_id", "event_id", "ts", alias(num(abs(rule.points)), "amount"))
            .from_(table("ev"))
            .where(self.event_filter(rule.when))
        )
        base = name = self.add_cte(self.names.make("eng", rule.name), items)
        for index, cap in enumerate(rule.caps, 1):
            name = self.add_cte(self.names.make(base, f"cap{index}"), self.visit(cap, name, []))
        return name

    def visit_Cap(self, cap: Cap, source: str, extra: list[str], keys: tuple[str, ...] = ()) -> exp.Select:
        """Latest first: amount := min(amount, max(0, cap - Σ amounts after it in its period)).

        `keys` are further partition columns carried through (the step of a multi-step replay).
        """
        partition: list[exp.Expression] = [col("person_id"), *(col(k) for k in keys)]
        if cap.per is not None:
            partition.append(exp.Floor(this=exp.Div(this=col("ts"), expression=lit(cap.per))))
        order = [col("ts"), self.dialect.ordered_text(col("event_id")), *(col(c) for c in extra)]
        before = exp.Window(
            this=exp.Sum(this=col("amount")),
            partition_by=partition,
            order=exp.Order(expressions=[self.dialect.ordered(o, desc=True) for o in order]),
            spec=exp.WindowSpec(
                kind="ROWS", start="UNBOUNDED", start_side="PRECEDING", end=lit(1), end_side="PRECEDING"
            ),
        )
        used = exp.Coalesce(this=before, expressions=[num(0.0)])
        room = self._greatest(num(0.0), exp.Sub(this=num(cap.points), expression=used))
        amount = self._least(col("amount"), room)
        carried = ["person_id", *keys, "event_id", "ts", *extra]
        return exp.select(*carried, alias(amount, "amount")).from_(table(source))

    def visit_Group(self, group: Group, capped: dict[str, str]) -> dict[str, tuple[str, int | None]]:
        """Pool the members' capped items (rule rank = order of names) and cap them together."""
        members = sorted(r.name for r in self.model.engagement if r.group == group.name)
        if not members or not group.caps:
            return {}
        pool = union_all(
            [
                exp.select("person_id", "event_id", "ts", alias(lit(rank), "rule_rank"), "amount").from_(
                    table(capped[name])
                )
                for rank, name in enumerate(members)
            ]
        )
        base = name = self.add_cte(self.names.make("grp", group.name), pool)
        for index, cap in enumerate(group.caps, 1):
            name = self.add_cte(self.names.make(base, f"cap{index}"), self.visit(cap, name, ["rule_rank"]))
        return {member: (name, rank) for rank, member in enumerate(members)}

    def visit_Decay(self, decay: Decay, age_days: exp.Expression) -> exp.Expression:
        """The share of points kept at an age in days (half-life, lifespan, steps, or 1)."""
        if decay.kind == "half_life":
            return exp.Pow(
                this=num(0.5), expression=exp.Div(this=age_days, expression=num(decay.period / DAY))
            )
        if decay.kind == "lifespan":
            left = exp.Sub(
                this=num(1.0), expression=exp.Div(this=age_days, expression=num(decay.period / DAY))
            )
            return self._greatest(num(0.0), left)
        if decay.kind == "step" and decay.steps:
            whens = [
                (exp.GTE(this=age_days.copy(), expression=num(step.after / DAY)), num(step.keep))
                for step in reversed(decay.steps)
            ]
            return case(whens, num(1.0))
        return num(1.0)

    def age_days(self, ts: exp.Expression) -> exp.Expression:
        """(as_of - ts) / 86400.0, in floating point."""
        return exp.Div(this=double(exp.Sub(this=num(self.as_of), expression=ts)), expression=num(DAY))

    def _rule_points(self, rule: EngagementRule, source: str, rank: int | None) -> exp.Select:
        """sign * Σ amount * decay(age) per person, from the rule's final (capped) items."""
        factor = self.visit(rule.decay, self.age_days(col("ts")))
        kept = exp.Mul(this=col("amount"), expression=factor) if rule.decay.kind != "none" else col("amount")
        total = exp.Sum(this=kept)
        signed = total if rule.points >= 0 else exp.Neg(this=total)
        select = exp.select("person_id", alias(signed, "points")).from_(table(source))
        if rank is not None:
            select = select.where(exp.EQ(this=col("rule_rank"), expression=lit(rank)))
        return select.group_by("person_id")

    def _greatest(self, a: exp.Expression, b: exp.Expression) -> exp.Expression:
        return exp.Greatest(this=a, expressions=[b], ignore_nulls=self.dialect.name == "duckdb")

    def _least(self, a: exp.Expression, b: exp.Expression) -> exp.Expression:
        return exp.Least(this=a, expressions=[b], ignore_nulls=self.dialect.name == "duckdb")
