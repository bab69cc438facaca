"""Delivering outbox messages: who gets one, when a failed try is retried, and how a message settles."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from liidi.domain.emails import email_problem, normalise_email

PENDING, DELIVERED, DEAD, CANCELLED = "pending", "delivered", "dead", "cancelled"
EMAIL = "email"


def retry_delay(attempts: int, *, base: float, cap: float, draw: float) -> float:
    """Seconds to wait after the `attempts`-th failed try: base·2^(attempts−1) up to `cap`, half of it
    jittered by `draw` (0 ≤ draw < 1), so retries of many messages spread out instead of arriving at once."""
    full = min(cap, base * 2.0 ** min(max(attempts, 1) - 1, 60))
    return full / 2 + full / 2 * draw


def subscription_target(subscription_id: int) -> str:
    """The target name of a subscription (unique per message)."""
    return f"subscription:{subscription_id}"


def idempotency_key(outbox_id: int, target: str) -> str:
    """The same key on every try and replay of one message to one target, for receivers to dedupe on."""
    return f"liidi-{outbox_id}-{target.replace('subscription:', 's')}"


def wants(events: Iterable[str], topic: str) -> bool:
    """Whether a subscription to `events` (empty: every topic) receives a message of `topic`."""
    listed = list(events)
    return not listed or topic in listed


AUTOMATED_MOTION = "no_touch"
"""Leads of this motion are left to automation: they reach webhooks, never a person's inbox."""


def email_recipients(payload: Mapping[str, Any], defaults: Iterable[str]) -> list[str]:
    """The message's owner when it names one, else the configured notify addresses; nobody for a
    no-touch lead, which is automation's to handle."""
    owner = payload.get("owner")
    if isinstance(owner, str) and email_problem(owner) is None:
        return [normalise_email(owner)]
    if payload.get("motion") == AUTOMATED_MOTION:
        return []
    return list(defaults)


@dataclass(frozen=True, slots=True)
class DeliveryState:
    """What the dispatcher knows of one delivery when it settles its message."""

    status: str
    attempts: int
    next_ts: float
    last_error: str | None


@dataclass(frozen=True, slots=True)
class Settled:
    """A message's state once its deliveries are counted."""

    status: str
    available_ts: float
    attempts: int
    last_error: str | None


def settle(deliveries: list[DeliveryState], now: float) -> Settled:
    """Pending while any delivery is (due again at the earliest retry), else dead if any died, else
    delivered; a message with no deliveries at all (nobody subscribed) counts as delivered."""
    attempts = max((d.attempts for d in deliveries), default=0)
    errors = [d.last_error for d in deliveries if d.last_error and d.status in (PENDING, DEAD)]
    error = errors[-1] if errors else None
    pending = [d.next_ts for d in deliveries if d.status == PENDING]
    if pending:
        return Settled(PENDING, min(pending), attempts, error)
    if any(d.status == DEAD for d in deliveries):
        return Settled(DEAD, now, attempts, error)
    return Settled(DELIVERED, now, attempts, None)
