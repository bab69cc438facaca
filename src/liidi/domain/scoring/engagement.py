"""Engagement points: each matching event earns the rule's points, caps keep the freshest, decay ages them."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from liidi.domain.events import Event
from liidi.domain.scoring import describe
from liidi.domain.scoring.card import RuleScore
from liidi.domain.scoring.spec import DAY, Cap, EngagementRule, ScoringModel


@dataclass(frozen=True, slots=True)
class Earning:
    """What one event earned under one rule, as a magnitude (the rule's sign is applied last)."""

    ts: float
    event_id: str
    rule: str
    amount: float


def cap_period(ts: float, per: int | None) -> int | None:
    """The cap period of an event: floor(ts / per), aligned to the Unix epoch; None for lifetime."""
    return None if per is None else math.floor(ts / per)


def apply_cap(earnings: Sequence[Earning], cap: Cap) -> list[Earning]:
    """Fill each period up to the cap, latest first by (ts, event_id, rule), all descending."""
    order = sorted(range(len(earnings)), key=lambda i: _latest_first(earnings[i]), reverse=True)
    used: dict[int | None, float] = {}
    result = list(earnings)
    for index in order:
        earning = earnings[index]
        period = cap_period(earning.ts, cap.per)
        before = used.get(period, 0.0)
        result[index] = replace(earning, amount=min(earning.amount, max(0.0, cap.points - before)))
        used[period] = before + earning.amount
    return result


def _latest_first(earning: Earning) -> tuple[float, str, str]:
    """The ordering key of caps (sorted descending)."""
    return earning.ts, earning.event_id, earning.rule


def events_until(events: Sequence[Event], t: float) -> Sequence[Event]:
    """The prefix of time-ordered events that happened at or before t."""
    return events[: bisect_right([e.occurred_ts for e in events], t)]


def engagement_scores(
    model: ScoringModel, matched: Mapping[str, Sequence[Event]], t: float
) -> list[RuleScore]:
    """Every engagement rule with at least one event by time t, after caps (rule, then group) and decay."""
    raw: dict[str, list[Earning]] = {}
    after_rule: dict[str, list[Earning]] = {}
    for rule in model.engagement:
        events = events_until(matched.get(rule.name, ()), t)
        raw[rule.name] = [Earning(e.occurred_ts, e.event_id, rule.name, abs(rule.points)) for e in events]
        earnings = raw[rule.name]
        for cap in rule.caps:
            earnings = apply_cap(earnings, cap)
        after_rule[rule.name] = earnings
    final = _group_caps(model, after_rule)
    return [
        _rule_score(rule, raw[rule.name], after_rule[rule.name], final[rule.name], t)
        for rule in model.engagement
        if raw[rule.name]
    ]


def _group_caps(model: ScoringModel, earnings: dict[str, list[Earning]]) -> dict[str, list[Earning]]:
    """Apply each group's caps to the pooled earnings of its rules."""
    final = dict(earnings)
    for group in model.groups:
        members = [rule.name for rule in model.engagement if rule.group == group.name]
        pooled = [e for name in members for e in final[name]]
        for cap in group.caps:
            pooled = apply_cap(pooled, cap)
        for name in members:
            final[name] = [e for e in pooled if e.rule == name]
    return final


def _rule_score(
    rule: EngagementRule, raw: list[Earning], after_rule: list[Earning], final: list[Earning], t: float
) -> RuleScore:
    """One rule's RuleScore at time t, with a detail line saying how it was reached."""
    sign = 1.0 if rule.points >= 0 else -1.0
    points = sign * sum(e.amount * rule.decay.factor((t - e.ts) / DAY) for e in final)
    rule_capped = any(a.amount < r.amount for a, r in zip(after_rule, raw, strict=True))
    group_capped = any(f.amount < a.amount for f, a in zip(final, after_rule, strict=True))
    counted = sum(1 for e in final if e.amount > 0)
    return RuleScore(
        rule=rule.name,
        kind="engagement",
        raw_points=rule.points * len(raw),
        points=points,
        events_counted=counted,
        capped=rule_capped or group_capped,
        detail=_detail(rule, len(raw), counted, rule_capped, group_capped),
        events_matched=len(raw),
    )


def _detail(rule: EngagementRule, matched: int, counted: int, rule_capped: bool, group_capped: bool) -> str:
    """'14 events (10 counted), 42.0 raw, capped at 30 per 30d, decayed (half-life 14d)'."""
    parts = [
        f"{matched} event{'' if matched == 1 else 's'}"
        + (f" ({counted} counted)" if counted < matched else "")
    ]
    parts.append(f"{rule.points * matched:.1f} raw")
    if rule_capped:
        parts.append(f"capped at {describe.caps(rule.caps)}")
    if group_capped:
        parts.append(f"group '{rule.group}' cap reached")
    if rule.decay.kind != "none":
        parts.append(f"decayed ({describe.decay(rule.decay)})")
    return ", ".join(parts)
