"""Step arithmetic and the ledger of a multi-step replay: what each event adds from which step on.

A replay scores everyone at the steps `start + k * every` (k = 0 … count - 1) in one query. Whatever can
be written as "from step k on, add this" goes into the ledger: a row (person_id, k, value) per change,
summed (or maximised) per person and step, then accumulated over the steps by one window. Decay that
depends on the step is read back in closed form:

- no decay: the running sum of the points;
- half-life h: Σ p · 0.5^((start - ts) / h) accumulated, times 0.5^((s_k - start) / h) at step k;
- lifespan L: two running sums, A = Σ p · (L + ts - start) / L and B = Σ p / L, removed again from the
  step the event has aged L; the points at step k are A - B · (s_k - start);
- steps: the kept share at the first step, then each change of share at the step it happens.

Every "first step at which" is computed with the reference's own comparison of ages in days, so an
event exactly on an edge lands on the same step as in a single as-of query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlglot import exp

from liidi.domain.scoring.spec import DAY, Decay
from liidi.engines.compile.base import alias, case, col, double, lit, num, table, union_all

Predicate = Callable[[exp.Expression], exp.Expression]


def _wrapped(item: exp.Expression) -> exp.Expression:
    """The item in parentheses when it is itself arithmetic (trees built by hand carry no precedence)."""
    return exp.paren(item, copy=False) if isinstance(item, exp.Binary) else item


def add(a: exp.Expression, b: exp.Expression) -> exp.Expression:
    return exp.Add(this=_wrapped(a), expression=_wrapped(b))


def sub(a: exp.Expression, b: exp.Expression) -> exp.Expression:
    return exp.Sub(this=_wrapped(a), expression=_wrapped(b))


def mul(a: exp.Expression, b: exp.Expression) -> exp.Expression:
    return exp.Mul(this=_wrapped(a), expression=_wrapped(b))


def div(a: exp.Expression, b: exp.Expression) -> exp.Expression:
    return exp.Div(this=_wrapped(a), expression=_wrapped(b))


def bigint(expression: exp.Expression) -> exp.Expression:
    return exp.cast(expression, "BIGINT")


@dataclass(frozen=True, slots=True)
class Steps:
    """The replay's steps: start + k * every for k in 0 … count - 1 (whole seconds)."""

    start: float
    every: int
    count: int

    @property
    def last(self) -> float:
        return self.start + (self.count - 1) * self.every

    def moments(self) -> list[float]:
        return [self.start + k * self.every for k in range(self.count)]

    def at(self, k: exp.Expression) -> exp.Expression:
        """s_k = start + k * every, as a DOUBLE (exact: whole seconds)."""
        return add(num(self.start), mul(double(k), num(float(self.every))))

    def ceil_index(self, moment: exp.Expression) -> exp.Expression:
        """CEIL((moment - start) / every) as BIGINT, written -FLOOR(-x) (SQLite has FLOOR only)."""
        ratio = div(sub(moment, num(self.start)), num(float(self.every)))
        return bigint(exp.Neg(this=exp.Floor(this=exp.Neg(this=exp.paren(ratio, copy=False)))))

    def bucket(self, ts: exp.Expression) -> exp.Expression:
        """The first step at or after ts (0 for everything before the first step)."""
        return greatest(lit(0), self.ceil_index(ts))

    def first(self, estimate: exp.Expression, holds: Predicate) -> exp.Expression:
        """The first k at which a predicate that stays true once true holds, near an estimate of it."""
        guess = self.ceil_index(estimate)
        before = sub(guess.copy(), lit(1))
        return case([(holds(before), before.copy()), (holds(guess.copy()), guess.copy())], add(guess, lit(1)))

    def age_days(self, k: exp.Expression, ts: exp.Expression) -> exp.Expression:
        """(s_k - ts) / 86400.0, as the reference computes ages."""
        return div(double(sub(self.at(k), ts)), num(DAY))

    def table(self, factors: dict[str, exp.Expression] | None = None) -> exp.Select:
        """The steps as rows (k, as_of_ts), with columns computed once per step (decay factors)."""
        rows = union_all(
            [exp.select(alias(lit(k), "k"), alias(num(m), "as_of_ts")) for k, m in enumerate(self.moments())]
        )
        extra = [alias(e, name) for name, e in (factors or {}).items()]
        return exp.select("k", "as_of_ts", *extra).from_(rows.subquery("v"))


@dataclass(frozen=True, slots=True)
class Item:
    """Rows that earn points: `source` (selecting person_id), their time, signed amount and entry step."""

    source: exp.Select
    ts: exp.Expression
    amount: exp.Expression
    entry: exp.Expression


def greatest(a: exp.Expression, b: exp.Expression) -> exp.Expression:
    """The larger of two values that are never NULL."""
    return exp.Greatest(this=a, expressions=[b], ignore_nulls=True)


@dataclass
class Ledger:
    """Named running columns (sums or maxima) and the rows that change them."""

    steps: Steps
    channels: dict[object, tuple[str, str]] = field(default_factory=dict)
    entries: list[tuple[exp.Select, dict[str, exp.Expression]]] = field(default_factory=list)
    decays: dict[object, Decay] = field(default_factory=dict)

    def channel(self, key: object, kind: str = "sum") -> str:
        """The column for a key (one per decay shape, signal, stage…), made on first use."""
        if key not in self.channels:
            self.channels[key] = (f"l{len(self.channels) + 1}", kind)
        return self.channels[key][0]

    def add(self, source: exp.Select, step: exp.Expression, values: dict[str, exp.Expression]) -> None:
        """Rows of `source` (which has person_id) change these channels from `step` on."""
        self.entries.append((source.select(alias(step, "k"), copy=True), values))

    def decayed(self, item: Item, decay: Decay) -> None:
        """The item's signed amount per row, counted from its entry step on, decayed as `decay`."""
        steps, source, ts, amount, entry = self.steps, item.source, item.ts, item.amount, item.entry
        self.decays[decay_key(decay)] = decay
        if decay.kind == "half_life":
            days = decay.period / DAY
            anchor = exp.Pow(
                this=num(0.5), expression=div(div(double(sub(num(steps.start), ts)), num(DAY)), num(days))
            )
            self.add(source, entry, {self.channel(decay_key(decay)): mul(amount, anchor)})
        elif decay.kind == "lifespan":
            self._lifespan(item, decay)
        elif decay.kind == "step" and decay.steps:
            self._steps(item, decay)
        else:
            self.add(source, entry, {self.channel(decay_key(decay)): amount})

    def _lifespan(self, item: Item, decay: Decay) -> None:
        source, ts, amount, entry = item.source, item.ts, item.amount, item.entry
        steps, span = self.steps, float(decay.period)
        a_key, b_key = self.channel("lifespan_a"), self.channel("lifespan_b")
        a = mul(amount, div(add(num(span), sub(ts, num(steps.start))), num(span)))
        b = div(amount.copy(), num(span))
        gone = steps.first(
            add(ts, num(span)),
            lambda k: exp.GTE(this=steps.age_days(k, ts.copy()), expression=num(span / DAY)),
        )
        alive = source.where(exp.GT(this=gone.copy(), expression=entry.copy()), copy=True)
        self.add(alive, entry, {a_key: a, b_key: b})
        ended = alive.where(exp.LT(this=gone.copy(), expression=lit(steps.count)), copy=True)
        self.add(ended, gone, {a_key: exp.Neg(this=a.copy()), b_key: exp.Neg(this=b.copy())})

    def _steps(self, item: Item, decay: Decay) -> None:
        source, ts, amount, entry = item.source, item.ts, item.amount, item.entry
        steps, key = self.steps, self.channel("none")
        age = steps.age_days(entry.copy(), ts.copy())
        whens = [
            (exp.GTE(this=age.copy(), expression=num(s.after / DAY)), num(s.keep))
            for s in reversed(decay.steps)
        ]
        self.add(source, entry, {key: mul(amount, case(whens, num(1.0)))})
        kept = 1.0
        for step in decay.steps:
            change, kept = step.keep - kept, step.keep
            if change == 0.0:
                continue
            at = steps.first(
                add(ts.copy(), num(float(step.after))),
                lambda k, s=step: exp.GTE(this=steps.age_days(k, ts.copy()), expression=num(s.after / DAY)),
            )
            later = exp.and_(
                exp.GT(this=at.copy(), expression=entry.copy()),
                exp.LT(this=at.copy(), expression=lit(steps.count)),
            )
            self.add(source.where(later, copy=True), at, {key: mul(amount.copy(), num(change))})

    def deltas(self, people: str) -> exp.Select:
        """Per person and step with a change, every channel's change (sums) or candidate (maxima).

        Every person of `people` also gets a row at step 0, so that the running values cover all steps.
        """
        names = [name for name, _ in self.channels.values()]
        branches = [
            exp.select(
                "person_id", alias(lit(0), "k"), *(alias(exp.cast(exp.Null(), "DOUBLE"), n) for n in names)
            ).from_(table(people))
        ]
        for source, values in self.entries:
            cells = [
                alias(values[name], name) if name in values else alias(exp.cast(exp.Null(), "DOUBLE"), name)
                for name in names
            ]
            branches.append(source.select(*cells, copy=True))
        aggregates = [
            alias((exp.Sum if kind == "sum" else exp.Max)(this=col(name)), name)
            for name, kind in self.channels.values()
        ]
        return (
            exp.select("person_id", "k", *aggregates)
            .from_(union_all(branches).subquery("entries"))
            .group_by("person_id", "k")
        )

    def running(self, deltas: str) -> exp.Select:
        """Each channel accumulated over a person's changes, valid from step k until the next change."""

        def over(this: exp.Expression, cumulative: bool = True) -> exp.Window:
            spec = exp.WindowSpec(kind="ROWS", start="UNBOUNDED", start_side="PRECEDING", end="CURRENT ROW")
            return exp.Window(
                this=this,
                partition_by=[col("person_id")],
                order=exp.Order(expressions=[exp.Ordered(this=col("k"))]),
                spec=spec if cumulative else None,
            )

        columns: list[exp.Expression] = [col("person_id"), col("k")]
        following = exp.Lead(this=col("k"), offset=lit(1), default=lit(self.steps.count))
        columns.append(alias(over(following, cumulative=False), "until_k"))
        for name, kind in self.channels.values():
            columns.append(alias(over((exp.Sum if kind == "sum" else exp.Max)(this=col(name))), name))
        return exp.select(*columns).from_(table(deltas))

    def factors(self) -> dict[str, exp.Expression]:
        """Per half-life, its factor from the first step to step k: a column of the steps table."""
        found = {}
        for key, decay in self.decays.items():
            if decay.kind == "half_life":
                since = div(
                    div(double(sub(self.steps.at(col("k")), num(self.steps.start))), num(DAY)),
                    num(decay.period / DAY),
                )
                found[f"{self.channels[key][0]}_factor"] = exp.Pow(this=num(0.5), expression=since)
        return found

    def total(self, k: exp.Expression) -> exp.Expression:
        """The points at step k of everything in the ledger, each decay shape read in closed form."""
        total = num(0.0)
        for key, decay in self.decays.items():
            total = add(total, self._value(key, decay, k))
        return total

    def _value(self, key: object, decay: Decay, k: exp.Expression) -> exp.Expression:
        steps = self.steps

        def running(name: object) -> exp.Expression:
            return exp.Coalesce(this=col(self.channels[name][0]), expressions=[num(0.0)])

        if decay.kind == "half_life":
            return mul(running(key), col(f"{self.channels[key][0]}_factor"))
        if decay.kind == "lifespan":
            elapsed = double(sub(steps.at(k), num(steps.start)))
            return sub(running("lifespan_a"), mul(running("lifespan_b"), elapsed))
        return running(key)


def decay_key(decay: Decay) -> object:
    """The ledger channel that holds points of this decay shape.

    Points without decay and with step decay share one plain running sum (steps enter as changes of
    share); every lifespan shares the running pair A and B, read as A - B * (s_k - start); each
    half-life has its own channel, read with its factor.
    """
    if decay.kind == "half_life":
        return ("half_life", decay.period)
    return "lifespan_a" if decay.kind == "lifespan" else "none"
