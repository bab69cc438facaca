"""Events: idempotent bulk insert, re-attribution of anonymous history, and timelines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, func, select, update

from liidi.domain.events import Event
from liidi.storage.repositories.base import Repository, any_in, upsert
from liidi.storage.tables import events


def _to_event(row: Row[Any]) -> Event:
    m = row._mapping
    return Event(
        event_id=m["event_id"],
        type=m["type"],
        occurred_ts=m["occurred_ts"],
        received_ts=m["received_ts"],
        properties=dict(m["properties"] or {}),
        person_id=m["person_id"],
        anonymous_id=m["anonymous_id"],
        account_id=m["account_id"],
    )


class EventRepository(Repository):
    """Rows of the events table."""

    def existing_ids(self, event_ids: Sequence[str]) -> set[str]:
        """Which of these idempotency keys are already stored."""
        if not event_ids:
            return set()
        stmt = select(events.c.event_id).where(any_in(self.conn, events.c.event_id, list(event_ids)))
        return {str(v) for v in self.conn.execute(stmt).scalars()}

    def add_many(self, rows: list[dict[str, Any]]) -> set[str]:
        """Insert events in key order; the keys this call stored (one stored meanwhile by another is not)."""
        if not rows:
            return set()
        ordered = sorted(rows, key=lambda row: str(row["event_id"]))
        stmt = upsert(self.conn, events).on_conflict_do_nothing(index_elements=["event_id"])
        result = self.conn.execute(stmt.returning(events.c.event_id), ordered)
        return {str(v) for v in result.scalars()}

    def attach_anonymous(self, anonymous_id: str, person_id: int, account_id: int | None) -> int:
        """Give a person the not yet attributed history of an anonymous id; returns how many events."""
        stmt = (
            update(events)
            .where(events.c.anonymous_id == anonymous_id, events.c.person_id.is_(None))
            .values(person_id=person_id, account_id=account_id)
        )
        return int(self.conn.execute(stmt).rowcount)

    def move_person(self, from_person: int, to_person: int, account_id: int | None) -> int:
        """Move all events of one person to another; returns how many moved."""
        stmt = update(events).where(events.c.person_id == from_person)
        return int(self.conn.execute(stmt.values(person_id=to_person, account_id=account_id)).rowcount)

    def set_account(self, person_id: int, account_id: int | None) -> None:
        """Re-file a person's events under an account."""
        stmt = update(events).where(events.c.person_id == person_id).values(account_id=account_id)
        self.conn.execute(stmt)

    def for_person(self, person_id: int, *, before: float | None = None, limit: int = 100) -> list[Event]:
        """A person's events, newest first, optionally before a time."""
        stmt = select(events).where(events.c.person_id == person_id)
        if before is not None:
            stmt = stmt.where(events.c.occurred_ts < before)
        stmt = stmt.order_by(events.c.occurred_ts.desc(), events.c.id.desc()).limit(limit)
        return [_to_event(r) for r in self.conn.execute(stmt)]

    def all_for_person(self, person_id: int) -> list[Event]:
        """Every event of a person, oldest first."""
        stmt = select(events).where(events.c.person_id == person_id)
        return [
            _to_event(r) for r in self.conn.execute(stmt.order_by(events.c.occurred_ts, events.c.event_id))
        ]

    def for_people(self, person_ids: set[int]) -> dict[int, list[Event]]:
        """Every event of many people, oldest first per person."""
        found: dict[int, list[Event]] = {pid: [] for pid in person_ids}
        if not person_ids:
            return found
        stmt = select(events).where(any_in(self.conn, events.c.person_id, sorted(person_ids)))
        for row in self.conn.execute(stmt.order_by(events.c.occurred_ts, events.c.event_id)):
            event = _to_event(row)
            found[int(event.person_id or 0)].append(event)
        return found

    def for_account(self, account_id: int, *, before: float | None = None, limit: int = 100) -> list[Event]:
        """An account's events, newest first."""
        stmt = select(events).where(events.c.account_id == account_id)
        if before is not None:
            stmt = stmt.where(events.c.occurred_ts < before)
        stmt = stmt.order_by(events.c.occurred_ts.desc(), events.c.id.desc()).limit(limit)
        return [_to_event(r) for r in self.conn.execute(stmt)]

    def count(self, *, person_id: int | None = None) -> int:
        """How many events there are, for one person or in all."""
        stmt = select(func.count()).select_from(events)
        if person_id is not None:
            stmt = stmt.where(events.c.person_id == person_id)
        return int(self.conn.execute(stmt).scalar_one())
