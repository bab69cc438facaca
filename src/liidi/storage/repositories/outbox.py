"""The outbox: messages written with the change they describe, claimed by workers under a lease, retried."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, case, func, insert, or_, select, update

from liidi.domain.messages import Message, message_from
from liidi.errors import NotFound
from liidi.storage.repositories.base import Repository, any_in
from liidi.storage.tables import outbox

PENDING, DELIVERED, DEAD = "pending", "delivered", "dead"
MAX_ATTEMPTS = 10


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One claimed row: what to deliver and how often it was tried before."""

    id: int
    topic: str
    payload: dict[str, Any]
    attempts: int
    created_ts: float

    def message(self) -> Message:
        """The typed message; ValidationFailed if the row holds an unknown topic or payload."""
        return message_from(self.topic, self.payload)


class OutboxRepository(Repository):
    """Domain messages waiting for delivery; written in the same transaction as the change they describe."""

    def add(self, message: Message, now: float) -> int:
        """Queue one message."""
        values = {"topic": message.topic, "payload": message.payload()}
        return self._insert(outbox, values | {"created_ts": now, "available_ts": now})

    def add_many(self, messages: list[Message], now: float) -> None:
        """Queue many messages in order."""
        if messages:
            rows = [
                {"topic": m.topic, "payload": m.payload(), "created_ts": now, "available_ts": now}
                for m in messages
            ]
            self.conn.execute(insert(outbox), rows)

    def claim(self, worker: str, limit: int, now: float, lease_seconds: float) -> list[OutboxItem]:
        """Lease up to `limit` due rows to a worker, oldest first; a dead worker's rows return later."""
        due = (
            select(outbox.c.id)
            .where(outbox.c.status == PENDING, outbox.c.available_ts <= now)
            .where(or_(outbox.c.lease_until.is_(None), outbox.c.lease_until <= now))
            .order_by(outbox.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        stmt = (
            update(outbox)
            .where(outbox.c.id.in_(due.scalar_subquery()))
            .values(claimed_by=worker, lease_until=now + lease_seconds)
            .returning(outbox.c.id, outbox.c.topic, outbox.c.payload, outbox.c.attempts, outbox.c.created_ts)
        )
        rows = self.conn.execute(stmt).all()
        return sorted((OutboxItem(*row) for row in rows), key=lambda item: item.id)

    def mark_delivered(self, id: int, now: float) -> None:
        """Record that a claimed message was delivered; it is never claimed again."""
        values = {"status": DELIVERED, "delivered_ts": now, "claimed_by": None, "lease_until": None}
        self.conn.execute(update(outbox).where(outbox.c.id == id, outbox.c.status == PENDING).values(values))

    def mark_failed(
        self, id: int, error: str, now: float, retry_at: float, max_attempts: int = MAX_ATTEMPTS
    ) -> str:
        """Count a failed try: due again at `retry_at`, or dead at `max_attempts`; returns the status."""
        attempts = outbox.c.attempts + 1
        values = {
            "attempts": attempts,
            "status": case((attempts >= max_attempts, DEAD), else_=PENDING),
            "last_error": f"{error[:2000]} (at {now:.0f})",
            "available_ts": retry_at,
            "claimed_by": None,
            "lease_until": None,
        }
        stmt = update(outbox).where(outbox.c.id == id, outbox.c.status == PENDING).values(values)
        status = self.conn.execute(stmt.returning(outbox.c.status)).scalar_one_or_none()
        if status is None:
            current = self.get(id)
            if current is None:
                raise NotFound(f"no outbox message with id {id}")
            status = current["status"]
        return str(status)

    def renew(self, ids: list[int], worker: str, until: float) -> int:
        """Extend a worker's lease on rows it still holds; how many it still held."""
        if not ids:
            return 0
        stmt = (
            update(outbox)
            .where(any_in(self.conn, outbox.c.id, ids), outbox.c.claimed_by == worker)
            .where(outbox.c.status == PENDING)
            .values(lease_until=until)
        )
        return int(self.conn.execute(stmt).rowcount)

    def settle(self, id: int, worker: str, values: dict[str, Any]) -> bool:
        """Write a claimed row's new state and release it, if the worker still holds it."""
        stmt = update(outbox).where(outbox.c.id == id, outbox.c.claimed_by == worker)
        stmt = stmt.where(outbox.c.status == PENDING)
        released = values | {"claimed_by": None, "lease_until": None}
        return bool(self.conn.execute(stmt.values(released)).rowcount)

    def settle_many(self, worker: str, rows: list[dict[str, Any]]) -> None:
        """`settle` for many rows in one statement: each has `id`, `status`, `available_ts`, `attempts`,
        `last_error` and `delivered_ts`."""
        if not rows:
            return
        keys = ("status", "available_ts", "attempts", "last_error", "delivered_ts")
        stmt = (
            update(outbox)
            .where(
                outbox.c.id == bindparam("row_id"), outbox.c.claimed_by == worker, outbox.c.status == PENDING
            )
            .values(
                {key: bindparam(f"new_{key}") for key in keys} | {"claimed_by": None, "lease_until": None}
            )
        )
        self.conn.execute(stmt, [{"row_id": r["id"]} | {f"new_{k}": r[k] for k in keys} for r in rows])

    def reopen(self, id: int, now: float) -> bool:
        """Make a delivered or dead row pending and due now; False if it is not delivered or dead."""
        stmt = (
            update(outbox)
            .where(outbox.c.id == id, outbox.c.status.in_([DELIVERED, DEAD]))
            .values(status=PENDING, available_ts=now, attempts=0, last_error=None, delivered_ts=None)
        )
        return bool(self.conn.execute(stmt).rowcount)

    def listing(
        self, *, status: str | None = None, failed: bool = False, before: int = 0, limit: int = 50
    ) -> list[dict[str, Any]]:
        """Rows newest first (ids below `before`, if given); `failed`: dead, or pending after a failed try."""
        stmt = select(outbox).order_by(outbox.c.id.desc()).limit(limit)
        if before:
            stmt = stmt.where(outbox.c.id < before)
        if status:
            stmt = stmt.where(outbox.c.status == status)
        if failed:
            retrying = (outbox.c.status == PENDING) & (outbox.c.attempts > 0)
            stmt = stmt.where((outbox.c.status == DEAD) | retrying)
        return [dict(r._mapping) for r in self.conn.execute(stmt)]

    def pending(self, limit: int = 100) -> list[dict[str, Any]]:
        """Messages not yet delivered (and not dead), oldest first."""
        stmt = select(outbox).where(outbox.c.status == PENDING).order_by(outbox.c.id).limit(limit)
        return [dict(r._mapping) for r in self.conn.execute(stmt)]

    def get(self, id: int) -> dict[str, Any] | None:
        """One row, whatever its state."""
        row = self.conn.execute(select(outbox).where(outbox.c.id == id)).first()
        return dict(row._mapping) if row else None

    def count(self, topic: str | None = None, status: str | None = None) -> int:
        """How many messages there are, optionally of one topic or status."""
        stmt = select(func.count()).select_from(outbox)
        if topic:
            stmt = stmt.where(outbox.c.topic == topic)
        if status:
            stmt = stmt.where(outbox.c.status == status)
        return int(self.conn.execute(stmt).scalar_one())
