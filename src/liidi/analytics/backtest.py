"""Backtesting: who a model flags as of each step, and what sales recorded afterwards.

Pure computation over everyone's scores at every step (StepScores columns) and outcome records, no I/O.
Times are UTC epoch seconds. The meaning of every number is documented in docs/backtest.md.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np

from liidi.analytics.lift import lift
from liidi.analytics.outcomes import (
    BANDS,
    DAY,
    HEADLINE,
    OPPORTUNITY_STAGES,
    OUTCOMES,
    SQL_STAGES,
    WEEK,
    Deal,
    Flag,
    Outcomes,
    Window,
    share,
    wins,
)
from liidi.domain.scoring import ScoreCard
from liidi.engines.batch import StepScores

__all__ = [
    "BANDS",
    "DAY",
    "HEADLINE",
    "OPPORTUNITY_STAGES",
    "OUTCOMES",
    "SQL_STAGES",
    "WEEK",
    "Deal",
    "Flag",
    "Outcomes",
    "Window",
    "lift",
    "share",
    "wins",
]


def first_flags(scores: StepScores) -> dict[int, Flag]:
    """Each person's first step at which they qualify (MQL, PQL or hand-raiser), in step order."""
    rows = np.flatnonzero(scores.qualified)
    if bool(np.any(scores.step[1:] < scores.step[:-1])):
        rows = rows[np.argsort(scores.step[rows], kind="stable")]
    _, first = np.unique(scores.person_id[rows], return_index=True)
    rows = rows[np.sort(first)]
    steps = [float(ts) for ts in scores.steps]
    columns = (scores.person_id[rows].tolist(), scores.step[rows].tolist(), scores.hand_raiser[rows].tolist())
    return {pid: Flag(pid, steps[step], hand) for pid, step, hand in zip(*columns, strict=True)}


def summarise(
    scores: StepScores, outcomes: Outcomes, window: Window, capacity: float | None = None
) -> dict[str, Any]:
    """One model's backtest: volumes, capacity, precision, recall, days gained, per-step series and lift."""
    flags = first_flags(scores)
    mqls = [f for f in flags.values() if not f.hand_raiser]
    raisers = [f for f in flags.values() if f.hand_raiser]
    series = per_step(scores.steps, flags, outcomes, window)
    return {
        "totals": totals(series, mqls, outcomes, window),
        "capacity": capacity_use(series, window, capacity),
        "precision": precision(mqls, outcomes, window.horizon),
        "hand_raiser_precision": precision(raisers, outcomes, window.horizon),
        "recall": recall(flags, outcomes, window),
        "days_gained": days_gained(mqls, outcomes, window.horizon),
        "per_step": series,
        "lift": lift(scores, outcomes, window.horizon, HEADLINE),
    }


def per_step(
    steps: Sequence[float], flags: Mapping[int, Flag], outcomes: Outcomes, window: Window
) -> list[dict[str, Any]]:
    """New MQLs and hand-raisers at each step, per week, and how many of the MQLs reached each outcome."""
    scale = WEEK / window.every
    by_step: dict[float, list[Flag]] = {}
    for flag in flags.values():
        by_step.setdefault(flag.ts, []).append(flag)
    rows = []
    for ts in map(float, steps):
        at = by_step.get(ts, [])
        mqls = [f for f in at if not f.hand_raiser]
        counts = reach_counts(mqls, outcomes, window.horizon)
        rows.append(
            {
                "ts": ts,
                "date": iso_date(ts),
                "mqls": len(mqls),
                "hand_raisers": len(at) - len(mqls),
                "mqls_per_week": len(mqls) * scale,
                "hand_raisers_per_week": (len(at) - len(mqls)) * scale,
                **counts,
                "precision": {name: share(n, len(mqls)) for name, n in counts.items()},
            }
        )
    return rows


def totals(
    series: Sequence[dict[str, Any]], mqls: Sequence[Flag], outcomes: Outcomes, window: Window
) -> dict[str, Any]:
    """Counts over the window; per-week rates leave out the first step (everyone already qualified)."""
    flow = series[1:]
    weeks = len(flow) * window.every / WEEK
    rate = (lambda key: sum(s[key] for s in flow) / weeks) if weeks else (lambda key: None)
    return {
        "mqls": sum(s["mqls"] for s in series),
        "hand_raisers": sum(s["hand_raisers"] for s in series),
        "opening_mqls": series[0]["mqls"] if series else 0,
        "opening_hand_raisers": series[0]["hand_raisers"] if series else 0,
        "mqls_per_week": rate("mqls"),
        "hand_raisers_per_week": rate("hand_raisers"),
        "censored": sum(1 for f in mqls if f.ts + window.horizon > outcomes.until),
    }


def capacity_use(
    series: Sequence[dict[str, Any]], window: Window, capacity: float | None
) -> dict[str, Any] | None:
    """Leads handed to sales (MQLs and hand-raisers) per week against sales' weekly capacity."""
    flow = series[1:]
    if capacity is None or not flow:
        return None
    per_step_capacity = capacity * window.every / WEEK
    leads = [s["mqls"] + s["hand_raisers"] for s in flow]
    per_week = sum(leads) / (len(flow) * window.every / WEEK)
    return {
        "per_week": capacity,
        "leads_per_week": per_week,
        "utilisation": per_week / capacity if capacity else None,
        "steps_over": sum(1 for n in leads if n > per_step_capacity),
        "excess_leads": sum(max(0.0, n - per_step_capacity) for n in leads),
    }


def reach_counts(flags: Sequence[Flag], outcomes: Outcomes, horizon: float) -> dict[str, int]:
    """How many of these flags reached SQL, opportunity and won within the horizon after their step."""
    ids = np.array([f.person_id for f in flags], dtype=np.int64)
    at = np.array([f.ts for f in flags], dtype=np.float64)
    return {name: int(np.count_nonzero(outcomes.reached_many(ids, at, horizon, name))) for name in OUTCOMES}


def precision(flags: Sequence[Flag], outcomes: Outcomes, horizon: float) -> dict[str, Any]:
    """The counts of reach_counts with their shares of the flags."""
    counts = reach_counts(flags, outcomes, horizon)
    shares = {name: {"count": n, "share": share(n, len(flags))} for name, n in counts.items()}
    return {"flagged": len(flags), **shares}


def recall(flags: Mapping[int, Flag], outcomes: Outcomes, window: Window) -> dict[str, Any]:
    """Of the deals created in the window (all, and those won), how many were flagged before they opened."""
    by_account: dict[int, list[Flag]] = {}
    for flag in flags.values():
        account = outcomes.accounts.get(flag.person_id)
        if account is not None:
            by_account.setdefault(account, []).append(flag)
    deals = [d for d in outcomes.deals if window.start < d.created_ts <= window.end]
    data = {}
    for name, chosen in (("opportunity", deals), ("won", [d for d in deals if d.won])):
        hits = [_flagged_before(d, flags, by_account, window.horizon) for d in chosen]
        by_mql = sum(1 for h in hits if "mql" in h)
        by_lead = sum(1 for h in hits if h)
        data[name] = {
            "total": len(chosen),
            "flagged": by_mql,
            "share": share(by_mql, len(chosen)),
            "flagged_with_hand_raisers": by_lead,
            "share_with_hand_raisers": share(by_lead, len(chosen)),
        }
    return data


def _flagged_before(
    deal: Deal, flags: Mapping[int, Flag], by_account: Mapping[int, list[Flag]], horizon: float
) -> set[str]:
    """How a deal was flagged ('mql', 'hand_raiser') by its contact or account within the horizon before."""
    near = list(by_account.get(deal.account_id, [])) if deal.account_id is not None else []
    if deal.person_id is not None and deal.person_id in flags:
        near.append(flags[deal.person_id])
    early = (f for f in near if deal.created_ts - horizon <= f.ts < deal.created_ts)
    return {"hand_raiser" if f.hand_raiser else "mql" for f in early}


def days_gained(flags: Sequence[Flag], outcomes: Outcomes, horizon: float) -> dict[str, Any]:
    """Days from each MQL step to the first sales touch or hand-raise after it (within the horizon)."""
    days = []
    for f in flags:
        touch = outcomes.first_touch(f.person_id, f.ts, horizon)
        if touch is not None:
            days.append((touch - f.ts) / DAY)
    before = sum(1 for f in flags if outcomes.touched_before(f.person_id, f.ts, horizon))
    quartiles = statistics.quantiles(days, n=4) if len(days) >= 2 else [None, None, None]
    return {
        "median": statistics.median(days) if days else None,
        "p25": quartiles[0],
        "p75": quartiles[2],
        "touched": len(days),
        "untouched": len(flags) - len(days),
        "already_touched": before,
    }


def overlap(a: Mapping[int, Flag], b: Mapping[int, Flag]) -> dict[str, list[int]]:
    """People flagged by both models, only by the first, only by the second (sorted ids)."""
    return {
        "both": sorted(a.keys() & b.keys()),
        "only_first": sorted(a.keys() - b.keys()),
        "only_second": sorted(b.keys() - a.keys()),
    }


def sample(ids: Sequence[int], size: int) -> list[int]:
    """Up to `size` ids spread evenly over a sorted list (deterministic)."""
    if len(ids) <= size:
        return list(ids)
    return [ids[i * len(ids) // size] for i in range(size)]


def rule_contributions(pairs: Iterable[tuple[ScoreCard, ScoreCard]], top: int = 8) -> list[dict[str, Any]]:
    """The flagging model's rules by mean points on these cards, beside the other model's same rule."""
    mine: dict[tuple[str, str], list[float]] = {}
    theirs: dict[str, float] = {}
    count = 0
    for flagging, other in pairs:
        count += 1
        for rule in flagging.rules:
            mine.setdefault((rule.rule, rule.kind), []).append(rule.points)
        for rule in other.rules:
            theirs[rule.rule] = theirs.get(rule.rule, 0.0) + rule.points
    means = {key: sum(points) / count for key, points in mine.items() if any(abs(p) > 1e-9 for p in points)}
    ranked = sorted(means, key=lambda key: (-means[key], key))[:top]
    return [
        {
            "rule": rule,
            "kind": kind,
            "people": sum(abs(p) > 1e-9 for p in mine[(rule, kind)]),
            "mean_points": means[(rule, kind)],
            "other_mean_points": theirs[rule] / count if rule in theirs else None,
        }
        for rule, kind in ranked
    ]


def iso_date(ts: float) -> str:
    """The UTC date of a moment, as YYYY-MM-DD."""
    return datetime.fromtimestamp(ts, tz=UTC).date().isoformat()
