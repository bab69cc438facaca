"""The outbox as operators see it: messages with their deliveries, and replaying a dead or delivered one."""

from __future__ import annotations

from typing import Any

from liidi.domain.delivery import DEAD, DELIVERED, PENDING
from liidi.domain.webhooks import masked_url
from liidi.errors import Conflict, FieldError, NotFound, ValidationFailed
from liidi.services.clock import resolve_now
from liidi.services.unit_of_work import UnitOfWork

STATUSES = (PENDING, DELIVERED, DEAD)


def list_messages(
    uow: UnitOfWork, *, status: str | None = None, failed: bool = False, before: int = 0, limit: int = 50
) -> list[dict[str, Any]]:
    """Messages newest first, each with how many of its deliveries are in each status.

    `failed` keeps the dead ones and those waiting for a retry after a failed try."""
    if status is not None and status not in STATUSES:
        reason = f"must be one of {', '.join(STATUSES)}"
        raise ValidationFailed([FieldError("status", status[:100], reason)], f"status={status!r}: {reason}")
    with uow:
        rows = uow.outbox.listing(status=status, failed=failed, before=before, limit=limit)
        counts = uow.deliveries.counts([row["id"] for row in rows])
    return [_summary(row) | {"deliveries": counts.get(row["id"], {})} for row in rows]


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "topic", "status", "attempts", "created_ts", "available_ts", "delivered_ts", "last_error")
    return {key: row[key] for key in keys}


def get_message(uow: UnitOfWork, *, outbox_id: int) -> dict[str, Any]:
    """One message with its payload and each delivery (target, status, attempts, next try, last error)."""
    with uow:
        row = uow.outbox.get(outbox_id)
        if row is None:
            raise NotFound(f"no outbox message with id {outbox_id}")
        deliveries = uow.deliveries.of([outbox_id])
    return _summary(row) | {"payload": row["payload"], "deliveries": [_delivery(d) for d in deliveries]}


def _delivery(row: dict[str, Any]) -> dict[str, Any]:
    url = masked_url(row["url"], row["kind"]) if row["url"] else None
    keys = ("id", "target", "channel", "subscription_id", "status", "attempts", "next_ts", "last_error")
    return {key: row[key] for key in keys} | {"url": url, "delivered_ts": row["delivered_ts"]}


def replay(uow: UnitOfWork, *, outbox_id: int, now: float | None = None) -> dict[str, Any]:
    """Deliver a dead or delivered message again: its dead deliveries, or if none died, the delivered ones.

    A message that had no target is fanned out again to the subscriptions there are now. Conflict while
    the message is still pending (it is retried on its own)."""
    at = resolve_now(now)
    with uow:
        row = uow.outbox.get(outbox_id)
        if row is None:
            raise NotFound(f"no outbox message with id {outbox_id}")
        if not uow.outbox.reopen(outbox_id, at):
            raise Conflict(
                f"outbox message {outbox_id} is still pending: it is delivered or retried on its own; "
                "only a dead or delivered message can be replayed"
            )
        statuses = {d["status"] for d in uow.deliveries.of([outbox_id])}
        again = uow.deliveries.reset(outbox_id, [DEAD] if DEAD in statuses else [DELIVERED], at)
        uow.commit()
    return {"id": outbox_id, "status": PENDING, "deliveries": again}
