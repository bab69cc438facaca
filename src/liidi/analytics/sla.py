"""The SLA report: of the response clocks started in a period, how many were met in time, late, or not.

Each clock started in [since, until) is counted once, in its group (owner, team, motion or the UTC month
it started in) and in the total, as one of:

- **met**: first touched before its deadline;
- **late**: first touched at or after its deadline;
- **breached**: still waiting for a first touch at `now`, its deadline passed;
- **open**: still waiting, its deadline not yet come;
- **closed**: given to someone else before any touch (the new owner's clock is counted on its own).

The share **within SLA** is met / judged, where judged is every clock whose outcome is known: met, late,
breached, and the closed ones whose deadline had passed when they were closed (a lead reassigned after its
breach counts against the owner it breached with). The response time is first touch − start in working
seconds of the policy's calendar, reported in business hours: the median and the 90th percentile
(nearest rank: the smallest time at or above 90 % of them). Clocks without a touch are counted but have no
response time.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from liidi.domain.business_time import BusinessCalendar

GROUPS = ("owner", "team", "motion", "month")
OUTCOMES = ("met", "late", "breached", "open", "closed")
HOUR = 3600.0
NONE = "(none)"


@dataclass(frozen=True, slots=True)
class SlaGroup:
    """Counts, share within SLA and response times of the clocks of one group."""

    key: str
    clocks: int
    counts: Mapping[str, int]
    judged: int
    within_sla: float | None
    responded: int
    median_hours: float | None
    p90_hours: float | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "clocks": self.clocks,
            **{o: self.counts[o] for o in OUTCOMES},
            "judged": self.judged,
            "within_sla": self.within_sla,
            "responded": self.responded,
            "median_hours": self.median_hours,
            "p90_hours": self.p90_hours,
        }


@dataclass(frozen=True, slots=True)
class SlaReport:
    """The SLA report of a period: one group per value of `by` (none without it) and the total."""

    since: float
    until: float
    now: float
    by: str | None
    groups: list[SlaGroup]
    total: SlaGroup

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of the API and `--json`."""
        return {
            "since": self.since,
            "until": self.until,
            "now": self.now,
            "by": self.by,
            "groups": [g.as_dict() for g in self.groups],
            "total": self.total.as_dict(),
        }


def outcome(clock: Mapping[str, Any], now: float) -> str:
    """What became of one clock by `now`: met, late, breached, open or closed."""
    touched = clock["first_touch_ts"]
    if touched is not None:
        return "met" if touched < clock["due_ts"] else "late"
    if clock["status"] == "closed":
        return "closed"
    return "breached" if clock["status"] == "breached" or now >= clock["due_ts"] else "open"


def _judged(clock: Mapping[str, Any], result: str) -> bool:
    if result == "open":
        return False
    if result == "closed":
        closed = clock["closed_ts"]
        return clock["breached_ts"] is not None or (closed is not None and closed >= clock["due_ts"])
    return True


def nearest_rank(values: list[float], share: float) -> float:
    """The smallest value at or above `share` of the sorted values (nearest-rank percentile)."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(share * len(ordered))) - 1]


def group_key(clock: Mapping[str, Any], by: str) -> str:
    """The group a clock falls in: its owner, team, motion, or the UTC month it started in."""
    if by == "month":
        return datetime.fromtimestamp(clock["started_ts"], UTC).strftime("%Y-%m")
    value = clock[by]
    return str(value) if value else NONE


def summarise(
    key: str,
    clocks: list[Mapping[str, Any]],
    now: float,
    calendar_of: Callable[[str], BusinessCalendar | None],
) -> SlaGroup:
    """One group's counts, share within SLA and response times."""
    counts = dict.fromkeys(OUTCOMES, 0)
    judged = 0
    hours: list[float] = []
    for clock in clocks:
        result = outcome(clock, now)
        counts[result] += 1
        judged += _judged(clock, result)
        calendar = calendar_of(clock["policy"])
        if clock["first_touch_ts"] is not None and calendar is not None:
            hours.append(calendar.between(clock["started_ts"], clock["first_touch_ts"]) / HOUR)
    return SlaGroup(
        key,
        len(clocks),
        counts,
        judged,
        round(counts["met"] / judged, 4) if judged else None,
        len(hours),
        round(statistics.median(hours), 2) if hours else None,
        round(nearest_rank(hours, 0.9), 2) if hours else None,
    )


def sla_report(
    clocks: Iterable[Mapping[str, Any]],
    *,
    since: float,
    until: float,
    now: float,
    by: str | None,
    calendar_of: Callable[[str], BusinessCalendar | None],
) -> SlaReport:
    """The report of the clocks started in [since, until), grouped `by` (sorted by key) with a total."""
    started = [c for c in clocks if since <= c["started_ts"] < until]
    groups: dict[str, list[Mapping[str, Any]]] = {}
    if by is not None:
        for clock in started:
            groups.setdefault(group_key(clock, by), []).append(clock)
    return SlaReport(
        since,
        until,
        now,
        by,
        [summarise(k, groups[k], now, calendar_of) for k in sorted(groups)],
        summarise("total", started, now, calendar_of),
    )
