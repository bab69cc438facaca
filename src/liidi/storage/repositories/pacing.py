"""Weekly pacing: counts per ISO week computed in SQL, notes per week, tasks (once per playbook and week)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Integer, case, cast, exists, func, literal, select, union_all, update
from sqlalchemy.sql import ColumnElement

from liidi.storage.repositories.base import Repository, upsert
from liidi.storage.tables import lifecycle_history, people, tasks, touches, week_notes

WEEK_SECONDS = 7 * 86400
MONDAY_OFFSET = 3 * 86400
RANKS = {"lead": 1, "mql": 2, "sal": 3, "sql": 4, "opportunity": 5, "customer": 6}
LEVELS = {"mqls": 2, "sals": 3, "meetings": 4}
_H, _P = lifecycle_history.c, people.c


def _rank(column: Any) -> ColumnElement[int]:
    """A stage's place in the funnel (subscriber, recycled, disqualified and none: 0)."""
    return case({stage: rank for stage, rank in RANKS.items()}, value=column, else_=0)


class PacingRepository(Repository):
    """Leads, MQLs, SALs and meetings per ISO week (UTC), optionally split by a first-touch field."""

    def weekly_counts(
        self,
        metrics: Sequence[str],
        since: float,
        until: float,
        by: str | None = None,
        where: Mapping[str, Sequence[str]] | None = None,
    ) -> dict[str, list[tuple[int, str | None, int]]]:
        """Per metric, (week index, group, people counted) for the weeks in [since, until): leads in one
        query, the stage metrics together in one pass over the window's changes and meeting touches."""
        found: dict[str, list[tuple[int, str | None, int]]] = {}
        if "leads" in metrics:
            found["leads"] = self._counted(self._leads(since, until), {"leads": None}, by, where)["leads"]
        stages = {m: LEVELS[m] for m in metrics if m in LEVELS}
        if stages:
            found |= self._counted(self._crossings(stages, since, until), stages, by, where)
        return found

    def _counted(
        self,
        moments: Any,
        metrics: Mapping[str, int | None],
        by: str | None,
        where: Mapping[str, Sequence[str]] | None,
    ) -> dict[str, list[tuple[int, str | None, int]]]:
        """Distinct people per week and group, for each metric (level None: every moment counts)."""
        sub = moments.subquery()
        week = self._week(sub.c.ts)
        group = _P[by] if by else literal(None, type_=people.c.channel.type)
        counts = [
            func.count(
                (
                    sub.c.person_id if level is None else case((_crossed(sub, level), sub.c.person_id))
                ).distinct()
            )
            for level in metrics.values()
        ]
        stmt = (
            select(week.label("week"), group.label("grp"), *counts)
            .select_from(sub.join(people, _P.id == sub.c.person_id))
            .where(_P.merged_into_id.is_(None))
            .group_by(week, group)
        )
        for dimension, values in (where or {}).items():
            stmt = stmt.where(_P[dimension].in_(list(values)))
        rows = self.conn.execute(stmt).all()
        return {
            metric: [(int(r[0]), r[1], int(r[2 + i])) for r in rows if r[2 + i]]
            for i, metric in enumerate(metrics)
        }

    def _week(self, ts: Any) -> ColumnElement[int]:
        """Whole weeks since the Monday before the epoch (floor; moments are never before 1970)."""
        shifted = (ts + MONDAY_OFFSET) / WEEK_SECONDS
        if self.conn.dialect.name == "postgresql":
            return cast(func.floor(shifted), Integer)
        return cast(shifted, Integer)

    def _leads(self, since: float, until: float) -> Any:
        """Each person at the moment first known: the earlier of created and the first dated stage change.

        Either created in the window with no change before that, or a change in the window that is the
        person's first and earlier than their creation (a history imported after the fact)."""
        h2 = lifecycle_history.alias("earlier")
        created = (
            select(_P.id.label("person_id"), _P.created_ts.label("ts"))
            .where(_P.created_ts >= since, _P.created_ts < until)
            .where(~exists().where(h2.c.person_id == _P.id, h2.c.occurred_ts < _P.created_ts))
        )
        changed = (
            select(_H.person_id.label("person_id"), _H.occurred_ts.label("ts"))
            .select_from(lifecycle_history.join(people, _P.id == _H.person_id))
            .where(_H.occurred_ts >= since, _H.occurred_ts < until, _H.occurred_ts < _P.created_ts)
            .where(~exists().where(h2.c.person_id == _H.person_id, h2.c.occurred_ts < _H.occurred_ts))
        )
        return union_all(created, changed)

    def _crossings(self, levels: Mapping[str, int], since: float, until: float) -> Any:
        """Stage changes in the window that reach at least the lowest level asked for, with the ranks
        they move between; meeting touches (for meetings) count as reaching SQL from just below it, so they
        count as meetings and never as MQLs or SALs."""
        lowest = min(levels.values())
        reaching = [stage for stage, rank in RANKS.items() if rank >= lowest]
        crossed = select(
            _H.person_id.label("person_id"),
            _H.occurred_ts.label("ts"),
            _rank(_H.to_stage).label("to_rank"),
            _rank(_H.from_stage).label("from_rank"),
        ).where(_H.occurred_ts >= since, _H.occurred_ts < until, _H.to_stage.in_(reaching))
        if "meetings" not in levels:
            return crossed
        met = select(
            touches.c.person_id,
            touches.c.occurred_ts,
            literal(LEVELS["meetings"], Integer),
            literal(LEVELS["meetings"] - 1, Integer),  # crosses the meetings level only
        ).where(touches.c.kind == "meeting", touches.c.occurred_ts >= since, touches.c.occurred_ts < until)
        return union_all(crossed, met)


def _crossed(sub: Any, level: int) -> ColumnElement[bool]:
    """A moment that reaches `level` from below it."""
    return (sub.c.to_rank >= level) & (sub.c.from_rank < level)  # type: ignore[no-any-return]


class WeekNoteRepository(Repository):
    """What was done and what is next, per ISO week."""

    def save(self, values: dict[str, Any]) -> None:
        """Store a week's note; the parts given replace the stored ones, the others are kept."""
        stmt = upsert(self.conn, week_notes).values(values)
        kept = {k: v for k, v in values.items() if k != "week" and v is not None}
        self.conn.execute(stmt.on_conflict_do_update(index_elements=["week"], set_=kept))

    def of_weeks(self, labels: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The notes of the given weeks, by week."""
        stmt = select(week_notes).where(week_notes.c.week.in_(list(labels)))
        return {row.week: dict(row._mapping) for row in self.conn.execute(stmt)}

    def get(self, label: str) -> dict[str, Any] | None:
        """One week's note, if any."""
        row = self.conn.execute(select(week_notes).where(week_notes.c.week == label)).first()
        return dict(row._mapping) if row else None


class TaskRepository(Repository):
    """Tasks for people; a playbook's task is stored once per playbook and period."""

    def add_once(self, values: dict[str, Any]) -> int | None:
        """Store a playbook's task; None when one for its playbook and period exists (or is racing in)."""
        stmt = (
            upsert(self.conn, tasks)
            .values(values)
            .on_conflict_do_nothing(index_elements=["playbook", "period"])
            .returning(tasks.c.id)
        )
        found = self.conn.execute(stmt).scalar()
        return int(found) if found is not None else None

    def exists(self, playbook: str, period: str) -> bool:
        """Whether a playbook's task for a period is stored."""
        stmt = select(tasks.c.id).where(tasks.c.playbook == playbook, tasks.c.period == period)
        return self.conn.execute(stmt).first() is not None

    def set_outbox(self, task_id: int, outbox_id: int) -> None:
        """Link a task to the message that announced it."""
        self.conn.execute(update(tasks).where(tasks.c.id == task_id).values(outbox_id=outbox_id))

    def list(self, status: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """Tasks, newest first."""
        stmt = select(tasks).order_by(tasks.c.created_ts.desc(), tasks.c.id.desc()).limit(limit)
        if status is not None:
            stmt = stmt.where(tasks.c.status == status)
        return [dict(r._mapping) for r in self.conn.execute(stmt)]
