"""The replay query: signals, hand-raisers and the buying stage through the ledger, then the step grid.

The grid is every person at every step (`person_fit` × `steps`), with each ledger channel accumulated
over the steps by one window; the step-keyed points of unsettled capped events are joined to it; the
signals' state, the buying stage, the grade and the verdicts are then read per row exactly as the
single as-of query reads them.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from liidi.domain.scoring.spec import DAY, BuyingStage, ScoringModel
from liidi.engines.compile.base import alias, and_, case, col, double, known, lit, num, or_, table, union_all
from liidi.engines.compile.dialects import Dialect
from liidi.engines.compile.ledger import Ledger, Steps, add, sub
from liidi.engines.compile.replayable import check_replayable
from liidi.engines.compile.steps import StepsEngagement
from liidi.engines.compile.windows import WindowRule


class StepsCompiler(StepsEngagement):
    """The model at every step, one row per person and step: k, as_of_ts, then the as-of query's columns."""

    carried = ()  # 26 million person-steps carry no e-mails: a step's row is read by person_id

    def __init__(self, model: ScoringModel, dialect: Dialect, steps: Steps, people: str, events: str) -> None:
        check_replayable(model, dialect, steps)
        super().__init__(model, dialect, steps.last, people, events)
        self.steps = steps
        self.ledger = Ledger(steps)
        self.step_points = []
        self.window_states: list[tuple[WindowRule, str]] = []
        self.stage_channels: list[tuple[str, str]] = []
        self.hand_channel: str | None = None
        self.names.used.update({"steps", "person_fit", "deltas", "running", "grid", "step_points"})

    def compile(self, ordered: bool = True, columns: Sequence[str] | None = None) -> exp.Query:
        """SELECT k, as_of_ts, person_id, fit, grade, engagement, score, mql, pql, hand_raiser, flags…

        With `columns`, only those (the engine then computes nothing else per person-step).
        """
        fit = self._fit()
        self.engagement()
        self.window_rules()
        self._hand_raisers()
        stage = self.uses_stage()
        if stage:
            self.visit(self.model.buying_stage)
        rules, self.ctes = self.ctes, []
        deltas = self.ledger.deltas("person") if self.ledger.entries else None
        used = {c.name for _, cte in rules for c in cte.find_all(exp.Column)}
        used |= {c.name for c in deltas.find_all(exp.Column)} if deltas is not None else set()
        self.add_cte("steps", self.steps.table(self.ledger.factors()))
        self._inputs(stage, used)
        self.ctes += rules
        self.add_cte("person_fit", exp.select("person_id", alias(fit, "fit")).from_(table("person")))
        if deltas is not None:
            self.add_cte("deltas", deltas)
            running = self.ledger.running("deltas").subquery("r")
            same = exp.EQ(this=col("person_id", "p"), expression=col("person_id", "r"))
            fitted = (
                exp.select(exp.Column(this=exp.Star(), table=exp.to_identifier("r")), col("fit", "p"))
                .select(*self._per_change())
                .from_(running)
                .join(table("person_fit", "p"), on=same)
            )
            self.add_cte("running", fitted)
        self.add_cte("grid", self._grid(deltas is not None))
        if self.step_points:
            points = exp.select("person_id", "k", alias(exp.Sum(this=col("points")), "points"))
            self.add_cte(
                "step_points",
                points.from_(union_all(self.step_points).subquery("x")).group_by("person_id", "k"),
            )
        self.add_cte("scored", self._step_scored())
        graded = self._graded().select("k", "as_of_ts")
        self.add_cte("graded", graded)
        query = self._verdicts().select("k", "as_of_ts")
        if columns is not None:
            query = exp.select(*columns).from_(query.subquery("v"))
        if ordered:
            query = query.order_by(self.dialect.ordered(col("k")), self.dialect.ordered(col("person_id")))
        if self.dialect.materialize:
            self.materialized |= _shared(self.ctes)
        for name, cte in self.ctes:
            materialized = True if name in self.materialized else None
            query = query.with_(name, as_=cte, materialized=materialized, copy=False)
        return query

    # ── signals, hand-raisers, buying stage ──────────────────────────────────────────────────────────
    def _window_rule(self, rule: WindowRule, kind: str, clauses: tuple) -> None:  # type: ignore[type-arg]
        """Every firing once; the latest by each step is a running maximum of the ledger."""
        base = self.names.make("sig" if kind == "signal" else "prod", rule.name)
        firings = self.add_cte(self.names.make(base, "fired"), self._firings(base, clauses).distinct())
        channel = self.ledger.channel(("fired", kind, rule.key), "max")
        source = exp.select("person_id").from_(table(firings))
        self.ledger.add(source, self.steps.bucket(col("ts")), {channel: col("ts")})
        flag = f"{kind}__{rule.key}"
        self.window_states.append((rule, channel))
        self.flags.append((flag, channel))

    def _hand_raisers(self) -> bool:
        if not self.model.hand_raisers:
            return False
        any_filter = or_(*(exp.paren(self.event_filter(f), copy=False) for f in self.model.hand_raisers))
        self.hand_channel = self.ledger.channel("hand_raiser", "max")
        source = exp.select("person_id").from_(table("ev")).where(any_filter)
        self.ledger.add(source, self.steps.bucket(col("ts")), {self.hand_channel: lit(1)})
        return True

    def visit_BuyingStage(self, spec: BuyingStage) -> str:
        """Each stage's evidence counted from its step until it leaves the look-back; its latest moment.

        One pass over the events for all stages (an event is evidence of the stages it is tagged with),
        one more for the evidence leaving the look-back within the steps.
        """
        self.uses_ev = True
        steps, tag = self.steps, self.properties.value(spec.property, spec)
        within = float(spec.within)
        out = steps.first(
            add(col("ts"), num(within)),
            lambda k: exp.LT(this=col("ts"), expression=sub(steps.at(k), num(within))),
        )
        entering: dict[str, exp.Expression] = {}
        leaving: dict[str, exp.Expression] = {}
        evidence = []
        for rank, stage in enumerate(spec.order):
            text, listed = tag.text(), tag.has(stage)
            equal = None if text is None else exp.EQ(this=text, expression=lit(stage))
            tagged = self.event_flag(or_(*(t for t in (equal, listed) if t is not None)))
            strong_types = [lit(t) for t, s in spec.strong_events if s == stage]
            weight: exp.Expression = case([(tagged.copy(), lit(1))], lit(0))
            counts: exp.Expression = tagged.copy()
            if strong_types:
                strong = self.event_flag(exp.In(this=col("type"), expressions=strong_types))
                weight = add(weight, case([(strong.copy(), lit(spec.min_events))], lit(0)))
                counts = exp.paren(or_(counts, strong), copy=False)
            count = self.ledger.channel(("stage_weight", rank))
            latest = self.ledger.channel(("stage_ts", rank), "max")
            entering[count] = case([(counts.copy(), weight)], None)
            entering[latest] = case([(counts.copy(), col("ts"))], None)
            leaving[count] = case([(counts.copy(), exp.Neg(this=weight.copy()))], None)
            evidence.append(counts)
            self.stage_channels.append((count, latest))
        seen = exp.GTE(this=col("ts"), expression=num(steps.start - spec.within))
        source = exp.select("person_id").from_(table("ev")).where(and_(or_(*evidence), seen))
        source = source.where(exp.GT(this=out.copy(), expression=steps.bucket(col("ts"))))
        self.ledger.add(source, steps.bucket(col("ts")), entering)
        gone = source.where(exp.LT(this=out.copy(), expression=lit(steps.count)), copy=True)
        self.ledger.add(gone, out, leaving)
        return "stage"

    # ── the grid ─────────────────────────────────────────────────────────────────────────────────────
    def _per_change(self) -> list[exp.Expression]:
        """What depends on the running values alone, read once per change rather than once per step."""
        found: list[exp.Expression] = []
        if self.hand_channel:
            raised = exp.EQ(this=col(self.hand_channel), expression=lit(1))
            found.append(alias(known(raised), "hand_raiser"))
        if self.stage_channels:
            found.append(alias(self._strongest_stage(), "stage_rank"))
        return found

    def _read_once(self) -> set[str]:
        """The channels `_per_change` consumes: the grid carries its columns instead."""
        names = {self.hand_channel} if self.hand_channel else set()
        return names | {name for pair in self.stage_channels for name in pair}

    def _grid(self, has_deltas: bool) -> exp.Select:
        """Every person at every step: the running ledger values in force at the step, and the fit."""
        columns = [col("person_id", "p"), col("k", "s"), col("as_of_ts", "s"), col("fit", "p")]
        if not has_deltas:
            grid = exp.select(*columns).from_(table("person_fit", "p"))
            return grid.join(table("steps", "s"), join_type="CROSS")
        during = and_(
            exp.GTE(this=col("k", "s"), expression=col("k", "r")),
            exp.LT(this=col("k", "s"), expression=col("until_k", "r")),
        )
        columns = [col("person_id", "r"), col("k", "s"), col("as_of_ts", "s"), col("fit", "r")]
        once = self._read_once()
        channels = [col(name, "r") for name, _ in self.ledger.channels.values() if name not in once]
        channels += [col(name.alias_or_name, "r") for name in self._per_change()]
        channels += [col(name, "s") for name in self.ledger.factors()]
        grid = exp.select(*columns, *channels).from_(table("running", "r"))
        spread = self.dialect.spread(col("k", "r"), col("until_k", "r"), "step_k")
        if spread is None:
            return grid.join(table("steps", "s"), on=during)
        at = exp.EQ(this=col("k", "s"), expression=col("step_k", "u"))
        return grid.join(spread, on=exp.true()).join(table("steps", "s"), on=at)

    def _step_scored(self) -> exp.Select:
        k = col("k", "g")
        engagement = self.ledger.total(k) if self.ledger.decays else num(0.0)
        if self.step_points:
            engagement = add(engagement, exp.Coalesce(this=col("points", "x"), expressions=[num(0.0)]))
        columns: list[exp.Expression] = [
            col("person_id", "g"),
            col("k", "g"),
            col("as_of_ts", "g"),
            col("fit", "g"),
        ]
        for rule, channel in self.window_states:
            engagement = add(engagement, self._window_points(rule, channel))
        columns.append(alias(engagement, "engagement"))
        raised = col("hand_raiser", "g") if self.hand_channel else exp.false()
        columns.append(alias(raised, "hand_raiser"))
        for rule, channel in self.window_states:
            columns.append(
                alias(known(self._active(rule, channel)), next(f for f, c in self.flags if c == channel))
            )
        if self.stage_channels:
            columns.append(alias(col("stage_rank", "g"), "stage_rank"))
        query = exp.select(*columns).from_(table("grid", "g"))
        if self.step_points:
            on = and_(
                exp.EQ(this=col("person_id", "x"), expression=col("person_id", "g")),
                exp.EQ(this=col("k", "x"), expression=col("k", "g")),
            )
            query = query.join(table("step_points", "x"), on=on, join_type="LEFT")
        return query

    def _active(self, rule: WindowRule, channel: str) -> exp.Expression:
        age = double(sub(self.steps.at(col("k", "g")), col(channel)))
        return exp.LTE(this=age, expression=lit(rule.active_for))

    def _window_points(self, rule: WindowRule, channel: str) -> exp.Expression:
        if rule.decay.kind == "none":
            points: exp.Expression = num(rule.points)
        else:
            age = exp.Div(this=double(sub(self.steps.at(col("k", "g")), col(channel))), expression=num(DAY))
            points = exp.Mul(this=num(rule.points), expression=self.visit(rule.decay, age))
        return case([(known(self._active(rule, channel)), points)], num(0.0))

    def _strongest_stage(self) -> exp.Expression:
        """The strong stage with the latest evidence (ties: the later stage), or NULL."""
        spec = self.model.buying_stage
        assert spec is not None
        keys = [
            case(
                [
                    (
                        exp.GTE(
                            this=exp.Coalesce(this=col(c), expressions=[lit(0)]),
                            expression=lit(spec.min_events),
                        ),
                        col(t),
                    )
                ],
                None,
            )
            for c, t in self.stage_channels
        ]
        whens = []
        for rank, key in enumerate(keys):
            beats = [
                or_(
                    exp.Is(this=other.copy(), expression=exp.Null()),
                    (exp.GTE if other_rank < rank else exp.GT)(this=key.copy(), expression=other.copy()),
                )
                for other_rank, other in enumerate(keys)
                if other_rank != rank
            ]
            holds = and_(
                exp.Not(this=exp.Is(this=key.copy(), expression=exp.Null())), *(exp.paren(b) for b in beats)
            )
            whens.append((holds, lit(rank)))
        return case(whens, exp.cast(exp.Null(), "INT"))


def _shared(ctes: list[tuple[str, exp.Query]]) -> set[str]:
    """The CTEs that more than one other CTE reads (computed once instead of once per reader)."""
    names = {name for name, _ in ctes}
    readers: dict[str, int] = {}
    for _, query in ctes:
        for name in {t.name for t in query.find_all(exp.Table)} & names:
            readers[name] = readers.get(name, 0) + 1
    return {name for name, count in readers.items() if count > 1}
