"""Notes per week and tasks (a playbook's task once per playbook and week)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update

from liidi.storage.repositories.base import Repository, upsert
from liidi.storage.tables import tasks, week_notes


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
