"""Backtests: job records, and the outcome history a backtest reads (stage changes, deals, sales touches)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select, update

from liidi.storage.repositories.base import Repository, any_in
from liidi.storage.tables import backtest_jobs, events, lifecycle_history, opportunities, people


class BacktestRepository(Repository):
    """Rows of backtest_jobs, and read-only queries over the history a backtest replays."""

    def add(self, values: dict[str, Any]) -> int:
        """Store a new job."""
        return self._insert(backtest_jobs, values)

    def get(self, job_id: int) -> dict[str, Any] | None:
        """One job with its parameters and result."""
        row = self.conn.execute(select(backtest_jobs).where(backtest_jobs.c.id == job_id)).first()
        return dict(row._mapping) if row else None

    def change(self, job_id: int, values: dict[str, Any]) -> None:
        """Update a job's status, progress, result or error."""
        self.conn.execute(update(backtest_jobs).where(backtest_jobs.c.id == job_id).values(**values))

    def fail_unfinished(self, *, keep_runner: str, error: str, finished_ts: float) -> list[int]:
        """Mark failed every queued or running job not started by `keep_runner`; their ids."""
        j = backtest_jobs.c
        stmt = (
            update(backtest_jobs)
            .where(j.status.in_(("queued", "running")), or_(j.runner.is_(None), j.runner != keep_runner))
            .values(status="failed", error=error, finished_ts=finished_ts)
            .returning(j.id)
        )
        return sorted(int(job_id) for job_id in self.conn.execute(stmt).scalars())

    def stage_changes(self) -> list[tuple[int, float, str]]:
        """Every lifecycle change as (person_id, occurred_ts, to_stage)."""
        h = lifecycle_history.c
        stmt = select(h.person_id, h.occurred_ts, h.to_stage).order_by(h.occurred_ts, h.id)
        return [(int(p), float(ts), str(stage)) for p, ts, stage in self.conn.execute(stmt)]

    def deals(self) -> list[dict[str, Any]]:
        """Every opportunity's id, contact, account, stage and times."""
        o = opportunities.c
        stmt = select(o.id, o.person_id, o.account_id, o.stage, o.created_ts, o.closed_ts).order_by(o.id)
        return [dict(r._mapping) for r in self.conn.execute(stmt)]

    def touches(self, types: list[str]) -> list[tuple[int, float]]:
        """(person_id, occurred_ts) of every known person's events of these types."""
        if not types:
            return []
        e = events.c
        stmt = select(e.person_id, e.occurred_ts).where(
            e.person_id.is_not(None), any_in(self.conn, e.type, sorted(types))
        )
        return [(int(p), float(ts)) for p, ts in self.conn.execute(stmt)]

    def person_accounts(self) -> dict[int, int | None]:
        """Every person's account id."""
        stmt = select(people.c.id, people.c.account_id)
        return {int(p): (int(a) if a is not None else None) for p, a in self.conn.execute(stmt)}

    def arrivals(self) -> dict[int, float]:
        """Each live person's first moment in the store: created, first event or first stage change."""
        p, e, h = people.c, events.c, lifecycle_history.c
        live = select(p.id, p.created_ts).where(p.merged_into_id.is_(None))
        found = {int(pid): float(ts) for pid, ts in self.conn.execute(live)}
        first_event = select(e.person_id, func.min(e.occurred_ts)).where(e.person_id.is_not(None))
        first_change = select(h.person_id, func.min(h.occurred_ts))
        for first in (first_event.group_by(e.person_id), first_change.group_by(h.person_id)):
            for pid, ts in self.conn.execute(first):
                if int(pid) in found and float(ts) < found[int(pid)]:
                    found[int(pid)] = float(ts)
        return found

    def earliest_ts(self) -> float | None:
        """The first moment anyone lived in the store: the earliest arrival (see `arrivals`)."""
        parts = (
            select(func.min(people.c.created_ts)).where(people.c.merged_into_id.is_(None)),
            select(func.min(events.c.occurred_ts)).where(events.c.person_id.is_not(None)),
            select(func.min(lifecycle_history.c.occurred_ts)),
        )
        found = [self.conn.execute(stmt).scalar() for stmt in parts]
        return min((float(v) for v in found if v is not None), default=None)

    def latest_ts(self) -> float | None:
        """The latest moment the history records: an event, a stage change or a deal created or closed."""
        parts = (
            select(func.max(events.c.occurred_ts)),
            select(func.max(lifecycle_history.c.occurred_ts)),
            select(func.max(opportunities.c.created_ts)),
            select(func.max(opportunities.c.closed_ts)),
        )
        found = [self.conn.execute(stmt).scalar() for stmt in parts]
        return max((float(v) for v in found if v is not None), default=None)
