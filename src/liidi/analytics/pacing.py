"""The weekly review: leads, MQLs, SALs and meetings per ISO week against the plan, with the week's notes.

The counts come from SQL (one grouped query per metric); this module lays them out by week and group and
sets each beside its target: the weekly target with the week's override for the total, the segment's
target for a group of a split report (none when the plan has no segment for it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from liidi.domain.pacing import METRICS, PacingPlan, Targets, Week, share

Counts = Mapping[str, list[tuple[int, str | None, int]]]
NONE = "(none)"


@dataclass(frozen=True, slots=True)
class Row:
    """One week (or one group of a week): each metric's count, target and share of target."""

    key: str
    actual: dict[str, int]
    targets: Targets

    def as_dict(self) -> dict[str, Any]:
        """{'key', 'leads': {'actual', 'target', 'share'}, …}."""
        return {
            "key": self.key,
            **{
                m: {
                    "actual": self.actual.get(m, 0),
                    "target": self.targets.of(m),
                    "share": share(self.actual.get(m, 0), self.targets.of(m)),
                }
                for m in METRICS
            },
        }


@dataclass(frozen=True, slots=True)
class WeekRow:
    """A week: its total against the plan, its groups when split, and its notes."""

    week: Week
    partial: bool
    total: Row
    groups: list[Row]
    done: str | None
    next: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "week": self.week.label,
            "start": self.week.start,
            "end": self.week.end,
            "partial": self.partial,
            "total": self.total.as_dict(),
            "groups": [g.as_dict() for g in self.groups],
            "done": self.done,
            "next": self.next,
        }


@dataclass(frozen=True, slots=True)
class PacingReport:
    """The weekly review over consecutive weeks, oldest first."""

    weeks: list[WeekRow]
    by: str | None
    plan: str | None
    plan_version: int | None
    now: float

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of the API and `--json`."""
        return {
            "by": self.by,
            "plan": self.plan,
            "plan_version": self.plan_version,
            "now": self.now,
            "weeks": [w.as_dict() for w in self.weeks],
        }


def pacing_report(
    weeks: list[Week],
    totals: Counts,
    split: Counts | None,
    *,
    by: str | None,
    plan: PacingPlan | None,
    notes: Mapping[str, Mapping[str, Any]],
    now: float,
    plan_version: int | None = None,
) -> PacingReport:
    """Weeks with their totals (from `totals`, counted without a split) and groups (from `split`)."""
    total_of = _by_week(totals)
    groups_of = _by_week_and_group(split or {})
    rows = []
    for week in weeks:
        targets = plan.targets_for(week) if plan else Targets()
        total = Row("total", total_of.get(week.index, {}), targets)
        found = groups_of.get(week.index, {})
        groups = [
            Row(key, found[key], plan.segment_targets(by, key) if plan and by else Targets())
            for key in sorted(found)
        ]
        note = notes.get(week.label, {})
        partial = week.start <= now < week.end
        rows.append(WeekRow(week, partial, total, groups, note.get("done"), note.get("next")))
    name = plan.name if plan else None
    return PacingReport(rows, by, name, plan_version, now)


def _by_week(counts: Counts) -> dict[int, dict[str, int]]:
    found: dict[int, dict[str, int]] = {}
    for metric, rows in counts.items():
        for week, _, n in rows:
            found.setdefault(week, {})[metric] = found.get(week, {}).get(metric, 0) + n
    return found


def _by_week_and_group(counts: Counts) -> dict[int, dict[str, dict[str, int]]]:
    found: dict[int, dict[str, dict[str, int]]] = {}
    for metric, rows in counts.items():
        for week, group, n in rows:
            cell = found.setdefault(week, {}).setdefault(group if group else NONE, {})
            cell[metric] = cell.get(metric, 0) + n
    return found
