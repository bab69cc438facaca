"""Acceptance of handed-over leads: of the moves to MQL in a period, how many sales accepted or rejected.

A hand-over is a move to `mql` (by the scoring model or by hand) dated in [since, until). Its outcome is
the person's next stage change, whenever it came: to sal, sql, opportunity or customer is **accepted**,
to recycled or disqualified is **rejected** (with its reason), none yet is **waiting**, anything else
(e.g. an imported change back to lead) is **other**. The sales-ready share is accepted / (accepted +
rejected): of the leads sales judged, how many were ready for sales.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

ACCEPTED = frozenset({"sal", "sql", "opportunity", "customer"})
REJECTED = frozenset({"recycled", "disqualified"})
HOUR = 3600.0

Row = tuple[int, float, str, str | None]  # person, time, stage moved to, reason


@dataclass(frozen=True, slots=True)
class HandOver:
    """One move to MQL and what came of it."""

    person_id: int
    ts: float
    outcome: str  # accepted, rejected, waiting, other
    to_stage: str | None = None
    reason: str | None = None
    decided_ts: float | None = None


@dataclass(frozen=True, slots=True)
class AcceptanceReport:
    """Counts and shares of the hand-overs of a period."""

    since: float | None
    until: float | None
    handed_over: int
    accepted: int
    rejected: int
    waiting: int
    other: int
    sales_ready: float | None
    median_hours_to_decision: float | None
    by_reason: list[dict[str, Any]] = field(default_factory=list)
    by: str | None = None
    groups: list[dict[str, Any]] | None = None

    def share(self, count: int) -> float | None:
        """A count as a share of the hand-overs (None when there were none)."""
        return round(count / self.handed_over, 4) if self.handed_over else None

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of the API and `--json`."""
        return {
            "since": self.since,
            "until": self.until,
            "handed_over": self.handed_over,
            "accepted": {"count": self.accepted, "share": self.share(self.accepted)},
            "rejected": {"count": self.rejected, "share": self.share(self.rejected)},
            "waiting": {"count": self.waiting, "share": self.share(self.waiting)},
            "other": {"count": self.other, "share": self.share(self.other)},
            "sales_ready": self.sales_ready,
            "median_hours_to_decision": self.median_hours_to_decision,
            "rejected_by_reason": self.by_reason,
            "by": self.by,
            "groups": self.groups,
        }


def hand_overs(rows: Iterable[Row], since: float | None, until: float | None) -> list[HandOver]:
    """Every move to MQL in the period with its outcome; `rows` are each person's changes in time order."""
    found: list[HandOver] = []
    for person_id, changes in groupby(rows, key=lambda r: r[0]):
        timeline = list(changes)
        for i, (_, ts, stage, _reason) in enumerate(timeline):
            if stage == "mql" and (since is None or ts >= since) and (until is None or ts < until):
                found.append(_outcome(person_id, ts, timeline[i + 1] if i + 1 < len(timeline) else None))
    return found


def _outcome(person_id: int, ts: float, after: Row | None) -> HandOver:
    if after is None:
        return HandOver(person_id, ts, "waiting")
    _, decided, stage, reason = after
    outcome = "accepted" if stage in ACCEPTED else "rejected" if stage in REJECTED else "other"
    return HandOver(person_id, ts, outcome, stage, reason, decided)


def acceptance(
    rows: Iterable[Row],
    since: float | None = None,
    until: float | None = None,
    *,
    by: str | None = None,
    groups: list[dict[str, Any]] | None = None,
) -> AcceptanceReport:
    """The acceptance report of the hand-overs in [since, until), with the groups counted `by` if any."""
    found = hand_overs(rows, since, until)
    count = {o: sum(1 for h in found if h.outcome == o) for o in ("accepted", "rejected", "waiting", "other")}
    judged = count["accepted"] + count["rejected"]
    waits = [
        (h.decided_ts - h.ts) / HOUR
        for h in found
        if h.outcome in ("accepted", "rejected") and h.decided_ts is not None
    ]
    return AcceptanceReport(
        since,
        until,
        len(found),
        count["accepted"],
        count["rejected"],
        count["waiting"],
        count["other"],
        round(count["accepted"] / judged, 4) if judged else None,
        round(statistics.median(waits), 2) if waits else None,
        _by_reason([h for h in found if h.outcome == "rejected"]),
        by,
        groups,
    )


def _by_reason(rejected: list[HandOver]) -> list[dict[str, Any]]:
    """Rejections per (reason, stage), most frequent first; share of all rejections."""
    counts: dict[tuple[str, str], int] = {}
    for h in rejected:
        key = (h.reason or "(none)", h.to_stage or "")
        counts[key] = counts.get(key, 0) + 1
    total = len(rejected)
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [
        {"reason": reason, "to": stage, "count": n, "share": round(n / total, 4)}
        for (reason, stage), n in ordered
    ]
