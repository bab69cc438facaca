"""One query for a whole replay: everyone's row at every step, sharing the work between the steps.

A backtest asks for the same model as of 26 (or 520) moments. Run one as-of query per step and every
step re-reads the history, re-parses its JSON and re-sorts every cap window. This compiler writes one
query instead, exact to the single as-of query at every step (docs/batch.md, "Replays"):

- events are read and matched once (`ev`, as of the last step);
- rules without caps, capped events whose caps can no longer change ("settled"), signal firings,
  hand-raisers and buying-stage evidence go to the ledger (`ledger.py`): from which step on they count;
- capped events that can still change are replayed step by step: each such event is paired with the
  steps at which it is unsettled, and the same cap windows run with the step as one more partition key.

An event's capped amount depends only on newer events of its cap periods (latest first). Once every
period it shares with other events is over, it is final, unless a lifetime cap still binds it; a
lifetime cap that does not bind at the last step never bound before (what is newer only grows), so a
person's events of a rule stay unsettled only when its lifetime cap binds them by the last step.
"""

from __future__ import annotations

from sqlglot import exp

from liidi.domain.scoring.spec import EngagementRule, Group
from liidi.engines.compile.base import (
    alias,
    and_,
    case,
    col,
    lit,
    num,
    table,
    union_all,
)
from liidi.engines.compile.ledger import Item, Ledger, Steps, greatest, mul
from liidi.engines.compile.model import ModelCompiler


class StepsEngagement(ModelCompiler):
    """Engagement rules of a replay: the ledger for what is settled, step-keyed cap windows for the rest."""

    steps: Steps
    ledger: Ledger
    step_points: list[exp.Select]

    def engagement(self) -> None:
        """Plain rules into the ledger; capped rules: settled events into the ledger, the rest replayed."""
        pooled = {
            r.name for g in self.model.groups if g.caps for r in self.model.engagement if r.group == g.name
        }
        for rule in self.model.engagement:
            if not rule.caps and rule.name not in pooled:
                source = exp.select("person_id").from_(table("ev")).where(self.event_filter(rule.when))
                amount = num(rule.points)
                self.ledger.decayed(Item(source, col("ts"), amount, self.steps.bucket(col("ts"))), rule.decay)
        capped = [r for r in self.model.engagement if r.caps or r.name in pooled]
        chains = {r.name: self._chain(r, self._items(r), ()) for r in capped}
        final: dict[str, tuple[str, int | None]] = {r.name: (chains[r.name][-1], None) for r in capped}
        for group, members in self._capped_groups(capped):
            final |= self._group_chain(group, members, {m: final[m][0] for m in members}, ())
        bound = {r.name: self._bound(r, chains[r.name][-2]) for r in capped if _lifetime(r)}
        units = self._units(capped)
        forever = self._forever(units, {n: c[0] for n, c in chains.items()}, bound)
        held = (forever, self._binding(units, final))
        replay = {r.name: self._replay_items(r, chains[r.name][0], held) for r in capped}
        replayed: dict[str, tuple[str, int | None]]
        replayed = {r.name: (self._chain(r, replay[r.name], ("k",))[-1], None) for r in capped}
        for group, members in self._capped_groups(capped):
            replayed |= self._group_chain(group, members, {m: replayed[m][0] for m in members}, ("k",))
        for rule in capped:
            self._settled(rule, *final[rule.name], held)
            self.step_points.append(self._replayed_points(rule, *replayed[rule.name]))

    def _capped_groups(self, capped: list[EngagementRule]) -> list[tuple[Group, list[str]]]:
        found = []
        for group in (g for g in self.model.groups if g.caps):
            members = sorted(r.name for r in capped if r.group == group.name)
            if members:
                found.append((group, members))
        return found

    def _units(self, capped: list[EngagementRule]) -> dict[str, list[EngagementRule]]:
        """The capped rules by what caps them together: their group with caps, or the rule alone."""
        units: dict[str, list[EngagementRule]] = {}
        for rule in capped:
            group = self._group(rule)
            units.setdefault(group.name if group else f"rule {rule.name}", []).append(rule)
        return units

    def _binding(
        self, units: dict[str, list[EngagementRule]], final: dict[str, tuple[str, int | None]]
    ) -> dict[str, str]:
        """Per rule, a CTE of the (person_id, block) in which a cap cuts some event at the last step.

        Caps only cut more as newer events arrive: an event kept whole at the last step was whole at
        every step. In a block where no cap cuts anything at the last step, no cap ever cut, so its
        events are final from the step that first sees them.
        """
        found: dict[str, str] = {}
        for unit, members in units.items():
            size = self._block(members[0])
            if size is None:
                continue
            branches = []
            for member in members:
                source, rank = final[member.name]
                block = exp.Floor(this=exp.Div(this=col("ts"), expression=num(size)))
                cut = exp.LT(this=col("amount"), expression=num(abs(member.points)))
                branch = exp.select("person_id", alias(block, "block")).from_(table(source)).where(cut)
                if rank is not None:
                    branch = branch.where(exp.EQ(this=col("rule_rank"), expression=lit(rank)))
                branches.append(branch)
            pairs = exp.select("person_id", "block").distinct().from_(union_all(branches).subquery("u"))
            name = self.add_cte(self.names.make("binding", unit), pairs)
            found |= {m.name: name for m in members}
        return found

    def _items(self, rule: EngagementRule) -> str:
        items = (
            exp.select("person_id", "event_id", "ts", alias(num(abs(rule.points)), "amount"))
            .from_(table("ev"))
            .where(self.event_filter(rule.when))
        )
        return self.add_cte(self.names.make("eng", rule.name), items)

    def _chain(self, rule: EngagementRule, source: str, keys: tuple[str, ...]) -> list[str]:
        """The source and each of the rule's caps applied in turn (CTE names)."""
        names = [source]
        for index, cap in enumerate(rule.caps, 1):
            names.append(
                self.add_cte(self.names.make(source, f"cap{index}"), self.visit(cap, names[-1], [], keys))
            )
        return names

    def _group_chain(
        self, group: Group, members: list[str], capped: dict[str, str], keys: tuple[str, ...]
    ) -> dict[str, tuple[str, int | None]]:
        columns = ["person_id", *keys, "event_id", "ts"]
        pool = union_all(
            [
                exp.select(*columns, alias(lit(rank), "rule_rank"), "amount").from_(table(capped[name]))
                for rank, name in enumerate(members)
            ]
        )
        name = base = self.add_cte(self.names.make("grp", group.name, *keys), pool)
        for index, cap in enumerate(group.caps, 1):
            name = self.add_cte(
                self.names.make(base, f"cap{index}"), self.visit(cap, name, ["rule_rank"], keys)
            )
        return {member: (name, rank) for rank, member in enumerate(members)}

    def _bound(self, rule: EngagementRule, source: str) -> str:
        """People whose lifetime cap of this rule (fed by `source`) binds some event by the last step."""
        lifetime = rule.caps[-1]
        order = [col("ts"), self.dialect.ordered_text(col("event_id"))]
        upto = exp.Window(
            this=exp.Sum(this=col("amount")),
            partition_by=[col("person_id")],
            order=exp.Order(expressions=[self.dialect.ordered(o, desc=True) for o in order]),
            spec=exp.WindowSpec(kind="ROWS", start="UNBOUNDED", start_side="PRECEDING", end="CURRENT ROW"),
        )
        inner = exp.select("person_id", alias(upto, "upto")).from_(table(source))
        query = (
            exp.select("person_id")
            .distinct()
            .from_(inner.subquery("u"))
            .where(exp.GT(this=col("upto"), expression=num(lifetime.points)))
        )
        return self.add_cte(self.names.make("bound", rule.name), query)

    def _forever(
        self, units: dict[str, list[EngagementRule]], items: dict[str, str], bound: dict[str, str]
    ) -> dict[str, str]:
        """Per rule, a CTE of (person_id, block) whose events never settle within the steps.

        A person whose lifetime cap of a rule binds keeps all their events of it unsettled, and in a
        capped group every event of the blocks those events are in.
        """
        found: dict[str, str] = {}
        for unit, members in units.items():
            branches = []
            for member in (m for m in members if m.name in bound):
                size = self._block(member)
                block = exp.Floor(this=exp.Div(this=col("ts", "m"), expression=num(size))) if size else lit(0)
                on = exp.EQ(this=col("person_id", "x"), expression=col("person_id", "m"))
                select = exp.select(col("person_id", "m"), alias(block, "block")).distinct()
                branches.append(
                    select.from_(table(items[member.name], "m")).join(table(bound[member.name], "x"), on=on)
                )
            if branches:
                pairs = exp.select("person_id", "block").distinct().from_(union_all(branches).subquery("u"))
                name = self.add_cte(self.names.make("unsettled", unit), pairs)
                found |= {m.name: name for m in members}
        return found

    def _settle(
        self, rule: EngagementRule, source: str, held: tuple[dict[str, str], dict[str, str]]
    ) -> exp.Select:
        """The source's rows with b (the first step that sees them) and e (the step they settle at).

        An event settles when its block is over; at once where no cap cuts in its block (`_binding`);
        never where a lifetime cap binds (`_forever`).
        """
        steps, size = self.steps, self._block(rule)
        forever, binding = held
        b = steps.bucket(col("ts", "i"))
        e: exp.Expression = b
        block: exp.Expression = lit(0)
        query = exp.select(*(col(c, "i") for c in self._columns_of(source))).from_(table(source, "i"))
        if size is not None:
            block = exp.Floor(this=exp.Div(this=col("ts", "i"), expression=num(size)))
            end = mul(exp.paren(exp.Add(this=block.copy(), expression=lit(1)), copy=False), num(size))
            e = greatest(b.copy(), steps.ceil_index(end))
        if rule.name in binding:
            query = query.join(
                table(binding[rule.name], "c"), on=self._same_block("c", block), join_type="LEFT"
            )
            e = case([(exp.Is(this=col("person_id", "c"), expression=exp.Null()), b.copy())], e)
        if rule.name in forever:
            query = query.join(
                table(forever[rule.name], "f"), on=self._same_block("f", block), join_type="LEFT"
            )
            kept = exp.Not(this=exp.Is(this=col("person_id", "f"), expression=exp.Null()))
            e = case([(kept, lit(steps.count))], e)
        return query.select(alias(b.copy(), "b"), alias(e, "e"))

    @staticmethod
    def _same_block(other: str, block: exp.Expression) -> exp.Expression:
        return and_(
            exp.EQ(this=col("person_id", other), expression=col("person_id", "i")),
            exp.EQ(this=col("block", other), expression=block.copy()),
        )

    def _columns_of(self, name: str) -> list[str]:
        """The output columns of one of this query's CTEs."""
        query = next(q for n, q in self.ctes if n == name)
        return list(query.named_selects)

    def _block(self, rule: EngagementRule) -> float | None:
        """The cap block of a rule: its cap period, or the largest period of its group (they nest)."""
        group = self._group(rule)
        members = [r for r in self.model.engagement if r.group == group.name] if group else [rule]
        periods = [float(c.per) for c in group.caps if c.per] if group else []
        periods += [float(c.per) for r in members for c in r.caps if c.per]
        return max(periods) if periods else None

    def _group(self, rule: EngagementRule) -> Group | None:
        return next((g for g in self.model.groups if g.name == rule.group and g.caps), None)

    def _replay_items(
        self, rule: EngagementRule, items: str, held: tuple[dict[str, str], dict[str, str]]
    ) -> str:
        """The unsettled events of a rule, paired with each step at which they are unsettled."""
        settle = self._settle(rule, items, held).subquery("s")
        on = and_(
            exp.GTE(this=col("k", "t"), expression=col("b", "s")),
            exp.LT(this=col("k", "t"), expression=col("e", "s")),
        )
        columns = [
            col("person_id", "s"),
            col("k", "t"),
            col("event_id", "s"),
            col("ts", "s"),
            col("amount", "s"),
        ]
        query = exp.select(*columns).from_(settle).join(table("steps", "t"), on=on)
        return self.add_cte(self.names.make(items, "steps"), query)

    def _settled(
        self,
        rule: EngagementRule,
        source: str,
        rank: int | None,
        held: tuple[dict[str, str], dict[str, str]],
    ) -> None:
        """Final capped amounts into the ledger from the step each event settles at."""
        settle = self._settle(rule, source, held)
        if rank is not None:
            settle = settle.where(exp.EQ(this=col("rule_rank", "i"), expression=lit(rank)))
        rows = exp.select("person_id").from_(settle.subquery("st"))
        rows = rows.where(exp.LT(this=col("e"), expression=lit(self.steps.count)))
        amount = col("amount") if rule.points >= 0 else exp.Neg(this=col("amount"))
        self.ledger.decayed(Item(rows, col("ts"), amount, col("e")), rule.decay)

    def _replayed_points(self, rule: EngagementRule, source: str, rank: int | None) -> exp.Select:
        """sign * Σ amount * decay(age at the step) per person and step, from the replayed capped items."""
        factor = self.visit(rule.decay, self.steps.age_days(col("k"), col("ts")))
        kept = exp.Mul(this=col("amount"), expression=factor) if rule.decay.kind != "none" else col("amount")
        total: exp.Expression = exp.Sum(this=kept)
        if rule.points < 0:
            total = exp.Neg(this=total)
        select = exp.select("person_id", "k", alias(total, "points")).from_(table(source))
        if rank is not None:
            select = select.where(exp.EQ(this=col("rule_rank"), expression=lit(rank)))
        return select.group_by("person_id", "k")


def _lifetime(rule: EngagementRule) -> bool:
    return any(c.per is None for c in rule.caps)
