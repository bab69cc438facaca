"""Subscriptions (webhook and Slack targets) and the delivery of each outbox message to each target."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, func, insert, select, update

from liidi.storage.repositories.base import Repository, any_in
from liidi.storage.tables import deliveries, subscriptions


class SubscriptionRepository(Repository):
    """Webhook and Slack targets; removed ones are kept (without their secret) for the delivery history."""

    def add(self, *, kind: str, url: str, secret: str | None, events: list[str], now: float) -> int:
        """Store a target."""
        values = {"kind": kind, "url": url, "secret": secret, "events": events, "created_ts": now}
        return self._insert(subscriptions, values)

    def active(self) -> list[dict[str, Any]]:
        """Targets not removed, oldest first (secrets included: callers must not show them)."""
        stmt = select(subscriptions).where(subscriptions.c.removed_ts.is_(None)).order_by(subscriptions.c.id)
        return [dict(r._mapping) for r in self.conn.execute(stmt)]

    def get(self, id: int) -> dict[str, Any] | None:
        """One target, removed or not."""
        row = self.conn.execute(select(subscriptions).where(subscriptions.c.id == id)).first()
        return dict(row._mapping) if row else None

    def remove(self, id: int, now: float) -> bool:
        """Mark a target removed and forget its secret; False if there was no such active target."""
        stmt = update(subscriptions).where(subscriptions.c.id == id, subscriptions.c.removed_ts.is_(None))
        return bool(self.conn.execute(stmt.values(removed_ts=now, secret=None)).rowcount)


_TRY = ("status", "attempts", "next_ts", "last_error", "delivered_ts")


class DeliveryRepository(Repository):
    """One row per message and target: status, attempts, next try and last error."""

    def add_many(self, rows: list[dict[str, Any]]) -> None:
        """Create deliveries (outbox_id, target, channel, subscription_id, next_ts, created_ts)."""
        if rows:
            self.conn.execute(insert(deliveries), [r | {"status": "pending", "attempts": 0} for r in rows])

    def of(self, outbox_ids: list[int]) -> list[dict[str, Any]]:
        """Every delivery of these messages with its subscription's kind, URL and secret, by id."""
        if not outbox_ids:
            return []
        stmt = (
            select(
                deliveries,
                subscriptions.c.kind,
                subscriptions.c.url,
                subscriptions.c.secret,
                subscriptions.c.removed_ts,
            )
            .select_from(deliveries.outerjoin(subscriptions))
            .where(any_in(self.conn, deliveries.c.outbox_id, outbox_ids))
            .order_by(deliveries.c.id)
        )
        return [dict(r._mapping) for r in self.conn.execute(stmt)]

    def change(self, id: int, values: dict[str, Any], *, only_status: str | None = None) -> bool:
        """Update one delivery (only while it has `only_status`, when given); False if nothing changed."""
        stmt = update(deliveries).where(deliveries.c.id == id)
        if only_status:
            stmt = stmt.where(deliveries.c.status == only_status)
        return bool(self.conn.execute(stmt.values(values)).rowcount)

    def record_tries(self, rows: list[dict[str, Any]]) -> None:
        """Store many tries in one statement: each row has `delivery_id`, `status`, `attempts`, `next_ts`,
        `last_error` and `delivered_ts`; a delivery no longer pending is left as it is."""
        if not rows:
            return
        stmt = (
            update(deliveries)
            .where(deliveries.c.id == bindparam("delivery_id"), deliveries.c.status == "pending")
            .values(
                status=bindparam("new_status"),
                attempts=bindparam("new_attempts"),
                next_ts=bindparam("new_next_ts"),
                last_error=bindparam("new_last_error"),
                delivered_ts=bindparam("new_delivered_ts"),
            )
        )
        self.conn.execute(
            stmt, [{"delivery_id": r["delivery_id"]} | {f"new_{k}": r[k] for k in _TRY} for r in rows]
        )

    def reset(self, outbox_id: int, statuses: list[str], now: float) -> int:
        """Make a message's deliveries of these statuses due again from scratch; how many."""
        stmt = (
            update(deliveries)
            .where(deliveries.c.outbox_id == outbox_id, deliveries.c.status.in_(statuses))
            .values(status="pending", attempts=0, next_ts=now, last_error=None, delivered_ts=None)
        )
        return int(self.conn.execute(stmt).rowcount)

    def counts(self, outbox_ids: list[int]) -> dict[int, dict[str, int]]:
        """For each message, how many of its deliveries are in each status."""
        if not outbox_ids:
            return {}
        stmt = (
            select(deliveries.c.outbox_id, deliveries.c.status, func.count())
            .where(any_in(self.conn, deliveries.c.outbox_id, outbox_ids))
            .group_by(deliveries.c.outbox_id, deliveries.c.status)
        )
        found: dict[int, dict[str, int]] = {}
        for outbox_id, status, count in self.conn.execute(stmt):
            found.setdefault(int(outbox_id), {})[str(status)] = int(count)
        return found
