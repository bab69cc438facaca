"""Engagement points: each matching event earns the rule's points, caps keep the freshest, decay ages them."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from liidi.domain.events import Event
from liidi.domain.scoring import describe
from liidi.domain.scoring.card import RuleScore
from liidi.domain.scoring.spec import DAY, Cap, EngagementRule, Group, ScoringModel


def cap_period(ts: float, per: int | None) -> int | None:
    """The cap period of an event: floor(ts / per), aligned to the Unix epoch; None for lifetime."""
    return None if per is None else math.floor(ts / per)


def apply_cap(
    times: Sequence[float], amounts: Sequence[float], latest_first: Iterable[int], cap: Cap
) -> list[float]:
    """Fill each cap period up to the cap, visiting items latest first; older items get what room is left."""
    used: dict[int | None, float] = {}
    result = list(amounts)
    for index in latest_first:
        period = cap_period(times[index], cap.per)
        before = used.get(period, 0.0)
        result[index] = min(amounts[index], max(0.0, cap.points - before))
        used[period] = before + amounts[index]
    return result


def events_until(events: Sequence[Event], times: Sequence[float], t: float) -> Sequence[Event]:
    """The prefix of time-ordered events that happened at or before t (`times` are their timestamps)."""
    return events[: bisect_right(times, t)]


@dataclass(slots=True)
class _Earned:
    """One rule's events by time t, with raw, rule-capped and final magnitudes."""

    rule: EngagementRule
    events: Sequence[Event]
    raw: list[float]
    after_rule: list[float]
    final: list[float]


def engagement_scores(
    model: ScoringModel,
    matched: Mapping[str, Sequence[Event]],
    times: Mapping[str, Sequence[float]],
    t: float,
) -> list[RuleScore]:
    """Every engagement rule with at least one event by time t, after caps (rule, then group) and decay."""
    earned: dict[str, _Earned] = {}
    for rule in model.engagement:
        events = events_until(matched[rule.name], times[rule.name], t)
        raw = [abs(rule.points)] * len(events)
        amounts, stamps = raw, [e.occurred_ts for e in events]
        for cap in rule.caps:
            amounts = apply_cap(stamps, amounts, range(len(events) - 1, -1, -1), cap)
        earned[rule.name] = _Earned(rule, events, raw, amounts, list(amounts))
    for group in model.groups:
        _apply_group_caps(group, [e for e in earned.values() if e.rule.group == group.name])
    return [_rule_score(e, t) for e in earned.values() if e.events]


def _apply_group_caps(group: Group, members: list[_Earned]) -> None:
    """Cap a group's pooled earnings, latest first by (ts, event_id, rule name), all descending."""
    pool = [(m, i) for m in members for i in range(len(m.events))]
    stamps = [m.events[i].occurred_ts for m, i in pool]
    amounts = [m.final[i] for m, i in pool]
    order = sorted(range(len(pool)), key=lambda k: _pool_key(pool[k]), reverse=True)
    for cap in group.caps:
        amounts = apply_cap(stamps, amounts, order, cap)
    for (member, index), amount in zip(pool, amounts, strict=True):
        member.final[index] = amount


def _pool_key(item: tuple[_Earned, int]) -> tuple[float, str, str]:
    """The ordering key of group caps (sorted descending)."""
    member, index = item
    return member.events[index].occurred_ts, member.events[index].event_id, member.rule.name


def _rule_score(earned: _Earned, t: float) -> RuleScore:
    """One rule's RuleScore at time t, with a detail line saying how it was reached."""
    rule, events = earned.rule, earned.events
    sign = 1.0 if rule.points >= 0 else -1.0
    points = sign * sum(
        a * rule.decay.factor((t - e.occurred_ts) / DAY) for a, e in zip(earned.final, events, strict=True)
    )
    rule_capped = any(a < r for a, r in zip(earned.after_rule, earned.raw, strict=True))
    group_capped = any(f < a for f, a in zip(earned.final, earned.after_rule, strict=True))
    counted = sum(1 for amount in earned.final if amount > 0)
    return RuleScore(
        rule=rule.name,
        kind="engagement",
        raw_points=rule.points * len(events),
        points=points,
        events_counted=counted,
        capped=rule_capped or group_capped,
        detail=_detail(rule, len(events), counted, rule_capped, group_capped),
        events_matched=len(events),
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
