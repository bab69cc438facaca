"""Sales touches: calls, e-mails, meetings and notes recorded for a person."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from liidi.storage.repositories.base import Repository, upsert
from liidi.storage.tables import touches


class TouchRepository(Repository):
    """Every touch of every person; a touch from an event is stored once per event id."""

    def add(self, values: dict[str, Any]) -> int:
        """Store one touch; its id."""
        return self._insert(touches, values)

    def add_from_events(self, rows: list[dict[str, Any]]) -> int:
        """Store touches made from events; one already stored for its event id is skipped. How many new."""
        if not rows:
            return 0
        stmt = upsert(self.conn, touches).values(rows).on_conflict_do_nothing(index_elements=["event_id"])
        return int(self.conn.execute(stmt).rowcount)

    def of_person(self, person_id: int, limit: int = 100) -> list[dict[str, Any]]:
        """A person's touches, newest first."""
        stmt = select(touches).where(touches.c.person_id == person_id)
        stmt = stmt.order_by(touches.c.occurred_ts.desc(), touches.c.id.desc()).limit(limit)
        return [dict(r._mapping) for r in self.conn.execute(stmt)]

    def move_person(self, from_person: int, to_person: int) -> int:
        """Move one person's touches to another."""
        stmt = update(touches).where(touches.c.person_id == from_person)
        return int(self.conn.execute(stmt.values(person_id=to_person)).rowcount)
