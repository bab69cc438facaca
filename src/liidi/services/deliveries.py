"""Delivering the outbox: take due messages under a lease, fan each out to its targets once, record tries.

A dispatcher calls `take` (one short transaction), sends the work it got outside any transaction, renews
its lease while sending takes long, and calls `record` (one transaction). Each message has one delivery
per target, with its own attempts and retry time, so a target that fails never makes the others receive
the message twice. See docs/adr/0009-per-target-deliveries.md.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from liidi.domain.delivery import (
    CANCELLED,
    DEAD,
    DELIVERED,
    EMAIL,
    PENDING,
    DeliveryState,
    email_recipients,
    idempotency_key,
    retry_delay,
    settle,
    subscription_target,
    wants,
)
from liidi.services.unit_of_work import UnitOfWork, run_in_transaction
from liidi.storage.repositories import OutboxItem

NewUow = Callable[[], UnitOfWork]
MAX_ERROR = 2000


@dataclass(frozen=True, slots=True)
class Fanout:
    """Who besides the subscriptions gets messages: e-mail for these topics (none without SMTP)."""

    email_topics: frozenset[str] = frozenset()
    notify_addresses: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Retry:
    """How failed tries are retried: at most `max_attempts`, waits from `base` doubling up to `cap`."""

    max_attempts: int = 15
    base: float = 10.0
    cap: float = 3600.0


@dataclass(frozen=True, slots=True)
class Work:
    """One delivery to send now: the message, the target and how often it was tried."""

    delivery_id: int
    outbox_id: int
    target: str
    channel: str
    topic: str
    payload: dict[str, Any]
    created_ts: float
    attempts: int
    url: str | None = None
    secret: str | None = None

    @property
    def idempotency_key(self) -> str:
        """The key receivers dedupe on: the same for every try and replay to this target."""
        return idempotency_key(self.outbox_id, self.target)


@dataclass(frozen=True, slots=True)
class Batch:
    """The messages a pass holds under its lease and the deliveries due among them."""

    outbox_ids: list[int]
    work: list[Work] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of one try: `error` None means delivered."""

    work: Work
    error: str | None


@dataclass(frozen=True, slots=True)
class Recorded:
    """What a pass's tries came to."""

    delivered: int = 0
    retrying: int = 0
    dead: int = 0


def take(new_uow: NewUow, *, worker: str, limit: int, lease: float, fanout: Fanout, now: float) -> Batch:
    """Claim up to `limit` due messages, create their deliveries on first sight, and return those due."""

    def work(uow: UnitOfWork) -> Batch:
        items = uow.outbox.claim(worker, limit, now, lease)
        ids = [item.id for item in items]
        rows = uow.deliveries.of(ids)
        known = {row["outbox_id"] for row in rows}
        fresh = [item for item in items if item.id not in known]
        if fresh:
            uow.deliveries.add_many(_fan_out(fresh, uow.subscriptions.active(), fanout, now))
            rows = uow.deliveries.of(ids)
        rows = _cancel_removed(uow, rows)
        due = [row for row in rows if row["status"] == PENDING and row["next_ts"] <= now]
        by_id = {item.id: item for item in items}
        idle = set(ids) - {row["outbox_id"] for row in due}
        _settle_in(uow, worker, sorted(idle), rows, now)
        return Batch(ids, [_work(row, by_id[row["outbox_id"]]) for row in due])

    return run_in_transaction(new_uow(), work)


def _fan_out(
    items: list[OutboxItem], subscriptions: list[dict[str, Any]], fanout: Fanout, now: float
) -> list[dict[str, Any]]:
    """One delivery per message and matching target."""
    rows = []
    for item in items:
        for sub in subscriptions:
            if wants(sub["events"], item.topic):
                target = subscription_target(sub["id"])
                rows.append(_new(item.id, target, sub["kind"], sub["id"], now))
        if item.topic in fanout.email_topics and email_recipients(item.payload, fanout.notify_addresses):
            rows.append(_new(item.id, EMAIL, EMAIL, None, now))
    return rows


def _new(
    outbox_id: int, target: str, channel: str, subscription_id: int | None, now: float
) -> dict[str, Any]:
    return {
        "outbox_id": outbox_id,
        "target": target,
        "channel": channel,
        "subscription_id": subscription_id,
        "next_ts": now,
        "created_ts": now,
    }


def _cancel_removed(uow: UnitOfWork, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pending deliveries to a removed subscription are cancelled, not tried."""
    kept = []
    for row in rows:
        if row["status"] == PENDING and row["removed_ts"] is not None:
            uow.deliveries.change(row["id"], {"status": CANCELLED}, only_status=PENDING)
            row = row | {"status": CANCELLED}
        kept.append(row)
    return kept


def _work(row: dict[str, Any], item: OutboxItem) -> Work:
    return Work(
        delivery_id=row["id"],
        outbox_id=item.id,
        target=row["target"],
        channel=row["channel"],
        topic=item.topic,
        payload=item.payload,
        created_ts=item.created_ts,
        attempts=row["attempts"],
        url=row["url"],
        secret=row["secret"],
    )


def renew(new_uow: NewUow, *, worker: str, outbox_ids: list[int], until: float) -> int:
    """Extend the lease on messages still being delivered; how many this worker still holds."""

    def work(uow: UnitOfWork) -> int:
        return uow.outbox.renew(outbox_ids, worker, until)

    return run_in_transaction(new_uow(), work)


def record(
    new_uow: NewUow,
    *,
    worker: str,
    outcomes: list[Outcome],
    retry: Retry,
    now: float,
    draw: Callable[[], float] = random.random,
) -> Recorded:
    """Store each try (delivered, due again after a jittered back-off, or dead) and settle the messages."""
    draws = [draw() for _ in outcomes]

    def work(uow: UnitOfWork) -> Recorded:
        tries = [_tried(o, retry, now, jitter) for o, jitter in zip(outcomes, draws, strict=True)]
        uow.deliveries.record_tries(tries)
        ids = sorted({o.work.outbox_id for o in outcomes})
        _settle_in(uow, worker, ids, uow.deliveries.of(ids), now)
        statuses = [t["status"] for t in tries]
        return Recorded(statuses.count(DELIVERED), statuses.count(PENDING), statuses.count(DEAD))

    return run_in_transaction(new_uow(), work)


def _tried(outcome: Outcome, retry: Retry, now: float, jitter: float) -> dict[str, Any]:
    """A delivery's new state after one try."""
    attempts = outcome.work.attempts + 1
    done = {"delivery_id": outcome.work.delivery_id, "attempts": attempts}
    if outcome.error is None:
        return done | {"status": DELIVERED, "next_ts": now, "last_error": None, "delivered_ts": now}
    status = DEAD if attempts >= retry.max_attempts else PENDING
    wait = retry_delay(attempts, base=retry.base, cap=retry.cap, draw=jitter)
    return done | {
        "status": status,
        "next_ts": now + wait,
        "last_error": outcome.error[:MAX_ERROR],
        "delivered_ts": None,
    }


def _settle_in(
    uow: UnitOfWork, worker: str, ids: Iterable[int], rows: list[dict[str, Any]], now: float
) -> None:
    """Write each held message's state from its deliveries and release it."""
    states: dict[int, list[DeliveryState]] = {}
    for r in rows:
        states.setdefault(r["outbox_id"], []).append(
            DeliveryState(r["status"], r["attempts"], r["next_ts"], r["last_error"])
        )
    settled = []
    for outbox_id in ids:
        done = settle(states.get(outbox_id, []), now)
        settled.append(
            {
                "id": outbox_id,
                "status": done.status,
                "available_ts": done.available_ts,
                "attempts": done.attempts,
                "last_error": done.last_error,
                "delivered_ts": now if done.status == DELIVERED else None,
            }
        )
    uow.outbox.settle_many(worker, settled)
