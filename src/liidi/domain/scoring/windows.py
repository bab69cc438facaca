"""Window rules (signals and product rules): when they fire, and what they give at a moment."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from liidi.domain.events import Event
from liidi.domain.scoring import describe
from liidi.domain.scoring.card import RuleScore, SignalHit
from liidi.domain.scoring.conditions import is_missing, is_number
from liidi.domain.scoring.spec import DAY, ProductRule, Signal, WindowClause

WindowRule = Signal | ProductRule


@dataclass(frozen=True, slots=True)
class ClauseHit:
    """One event counted by a clause: its time, what it adds (1, or a summed property), its `same` value."""

    ts: float
    amount: float
    same: Hashable | None


@dataclass(frozen=True, slots=True)
class ClauseTotal:
    """A clause's total in one window, the `same` value it was reached with, its events and the earliest."""

    total: float
    same: Hashable | None
    earliest_ts: float | None
    events: int = 0


def clauses_of(rule: WindowRule) -> tuple[WindowClause, ...]:
    """A signal's clauses, or a product rule's one clause."""
    return rule.clauses if isinstance(rule, Signal) else (rule.clause,)


def clause_hits(clause: WindowClause, events: Sequence[Event]) -> list[ClauseHit]:
    """The matched events of a clause as hits, in time order; events without the `same` value are left out."""
    hits = []
    for event in events:
        same = event.properties.get(clause.same) if clause.same else None
        if clause.same and (
            is_missing(same) or isinstance(same, bool) or not isinstance(same, str | int | float)
        ):
            continue
        value = 1.0 if clause.measure == "count" else _number(event.properties.get(clause.field))
        hits.append(ClauseHit(event.occurred_ts, value, same))
    return hits


def _number(value: Any) -> float:
    """A summed property: numbers count, anything else adds 0."""
    return float(value) if is_number(value) else 0.0


def clause_total(
    clause: WindowClause, hits: Sequence[ClauseHit], t: float, times: Sequence[float] | None = None
) -> ClauseTotal:
    """The total over hits in [t - within, t]; with `same`, the largest total of one value."""
    times = times if times is not None else [h.ts for h in hits]
    window = hits[bisect_left(times, t - clause.within) : bisect_right(times, t)]
    if clause.same is None:
        earliest = window[0].ts if window else None
        return ClauseTotal(sum(h.amount for h in window), None, earliest, len(window))
    totals: dict[Hashable, float] = {}
    for hit in window:
        totals[hit.same] = totals.get(hit.same, 0.0) + hit.amount
    if not totals:
        return ClauseTotal(0.0, None, None)
    best = min(totals, key=lambda value: (-totals[value], str(value)))
    chosen = [h for h in window if h.same == best]
    return ClauseTotal(totals[best], best, chosen[0].ts, len(chosen))


def firing_times(rule: WindowRule, hits: Sequence[Sequence[ClauseHit]]) -> list[float]:
    """The times of clause events at which every clause held in its window ending then, ascending."""
    candidates = sorted({h.ts for clause_hits_ in hits for h in clause_hits_})
    clauses = clauses_of(rule)
    times = [[h.ts for h in clause_hits_] for clause_hits_ in hits]
    return [
        t
        for t in candidates
        if all(
            clause_total(c, h, t, ts).total >= c.at_least
            for c, h, ts in zip(clauses, hits, times, strict=True)
        )
    ]


def window_hit(
    rule: WindowRule, kind: str, fires: Sequence[float], hits: Sequence[Sequence[ClauseHit]], t: float
) -> SignalHit | None:
    """The rule's state at t: the last firing by t, whether it is still active, and its points."""
    index = bisect_right(fires, t)
    if index == 0:
        return None
    fired = fires[index - 1]
    age = t - fired
    active = age <= rule.active_for
    points = rule.points * rule.decay.factor(age / DAY) if active else 0.0
    totals = [clause_total(c, h, fired) for c, h in zip(clauses_of(rule), hits, strict=True)]
    detail = _detail(rule, totals, fired, age, active)
    events = sum(total.events for total in totals)
    return SignalHit(rule.name, rule.key, kind, fires[0], fired, active, points, detail, events)


def window_rule_score(hit: SignalHit, rule: WindowRule) -> RuleScore:
    """A fired window rule as a line of the score."""
    counted = hit.events if hit.active else 0
    return RuleScore(hit.name, hit.kind, rule.points, hit.points, counted, False, hit.detail, hit.events)


def _detail(rule: WindowRule, totals: Sequence[ClauseTotal], fired: float, age: float, active: bool) -> str:
    """'3 × page_view where … + 2 × email_click/ad_click in 6 days'."""
    parts, earliest = [], fired
    for clause, total in zip(clauses_of(rule), totals, strict=True):
        earliest = min(earliest, total.earliest_ts if total.earliest_ts is not None else fired)
        same = f" ({clause.same} {total.same})" if clause.same else ""
        if clause.measure == "count":
            parts.append(f"{describe.number(total.total)} × {describe.event_filter(clause.of)}{same}")
        else:
            parts.append(
                f"{clause.field} {describe.number(total.total)} over {describe.event_filter(clause.of)}{same}"
            )
    text = " + ".join(parts) + f" in {describe.days(fired - earliest)}"
    if age > 0:
        text += f", fired {describe.days(age)} ago"
    if not active:
        return text + f", no longer active (active for {describe.duration(rule.active_for)})"
    if rule.decay.kind != "none":
        text += f", decayed ({describe.decay(rule.decay)})"
    return text
