"""Events: what a person or an anonymous visitor did, and when."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

STANDARD_EVENT_TYPES: frozenset[str] = frozenset(
    {
        "page_view",
        "form_submit",
        "download",
        "newsletter_signup",
        "event_registration",
        "event_attended",
        "demo_request",
        "trial_signup",
        "contact_request",
        "order",
        "email_open",
        "email_click",
        "email_bounce",
        "ad_click",
        "chat",
        "product_usage",
        "sales_touch",
        "meeting",
        "unsubscribe",
    }
)
CUSTOM_PREFIX = "custom."
HAND_RAISER_TYPES: frozenset[str] = frozenset({"contact_request", "demo_request", "order"})


def event_type_problem(event_type: str) -> str | None:
    """Say why an event type is not accepted, or None when it is."""
    if event_type in STANDARD_EVENT_TYPES:
        return None
    if event_type.startswith(CUSTOM_PREFIX) and len(event_type) > len(CUSTOM_PREFIX):
        name = event_type[len(CUSTOM_PREFIX) :]
        if name.replace("_", "").replace("-", "").isalnum():
            return None
        return "custom event names may hold letters, digits, '_' and '-' only"
    return f"unknown event type; use one of the standard types or the '{CUSTOM_PREFIX}' prefix"


def to_epoch(moment: datetime) -> float:
    """Seconds since the Unix epoch, UTC; naive datetimes are taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def from_epoch(ts: float) -> datetime:
    """Aware UTC datetime from epoch seconds."""
    return datetime.fromtimestamp(ts, tz=UTC)


def content_key(parts: Mapping[str, Any]) -> str:
    """A stable idempotency key for an event sent without an id: a hash of its content."""
    raw = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return "h_" + hashlib.sha256(raw.encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Event:
    """One recorded activity; `event_id` is its idempotency key."""

    event_id: str
    type: str
    occurred_ts: float
    received_ts: float
    properties: Mapping[str, Any] = field(default_factory=dict)
    person_id: int | None = None
    anonymous_id: str | None = None
    account_id: int | None = None

    @property
    def occurred_at(self) -> datetime:
        """The time the activity happened, as an aware UTC datetime."""
        return from_epoch(self.occurred_ts)

    @property
    def is_hand_raiser(self) -> bool:
        """True for events where the person asked sales to get in touch."""
        return self.type in HAND_RAISER_TYPES
