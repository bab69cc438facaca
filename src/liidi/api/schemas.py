"""Request and response shapes of the HTTP API (they are what /docs shows)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from liidi.domain.accounts import Account
from liidi.domain.events import Event, from_epoch
from liidi.domain.people import Person


class Strict(BaseModel):
    """Unknown fields are refused, so typos do not pass silently."""

    model_config = ConfigDict(extra="forbid")


class EventIn(Strict):
    """One event, keyed by e-mail, person id or anonymous id. `id` is its idempotency key."""

    id: str | None = Field(
        None, description="Idempotency key; resending an event with the same id stores nothing."
    )
    type: str = Field(..., description="A standard type such as page_view, or a custom one: custom.<name>.")
    email: str | None = None
    person_id: int | None = None
    anonymous_id: str | None = Field(None, description="Cookie or device id of a visitor not yet identified.")
    occurred_at: str | float | None = Field(None, description="ISO 8601 time or epoch seconds; default now.")
    properties: dict[str, Any] | None = Field(None, description="path, topic, stage, campaign, lead_tool, …")


class EventBatch(Strict):
    """Up to 1,000 events, stored all or nothing."""

    events: list[EventIn] = Field(..., description="The events, oldest first or in any order.")


class ItemOut(BaseModel):
    """What happened to one event of a batch."""

    index: int
    event_id: str
    status: str
    person_id: int | None = Field(None, description="The event's person (admin keys only).")


class IngestOut(BaseModel):
    """Reply to a batch."""

    stored: int
    duplicates: int
    people_created: int | None = Field(None, description="People the batch created (admin keys only).")
    message: str
    items: list[ItemOut]
    stage_changes: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Lifecycle changes the batch caused, e.g. a lead became an MQL (admin keys only).",
    )


class IdentifyIn(Strict):
    """Tie an anonymous id to an e-mail, with optional traits."""

    email: str
    anonymous_id: str | None = None
    traits: dict[str, Any] | None = Field(
        None,
        description="first_name, last_name, title, consent, lead_tool, channel, traits{…}; with an admin key "
        "also direction, sourced_by, owner, account_domain, account_id",
    )


class IdentifyOut(BaseModel):
    """Reply to identify; `person_id` and `created` only to admin keys."""

    person_id: int | None = Field(None, description="The person's id (admin keys only).")
    created: bool | None = Field(None, description="Whether the person was new (admin keys only).")
    events_attributed: int


class PeopleUpsert(Strict):
    """People to create or update, matched by e-mail."""

    people: list[dict[str, Any]]


class AccountsUpsert(Strict):
    """Accounts to create or update, matched by external_id, then domain."""

    accounts: list[dict[str, Any]]


class MergeIn(Strict):
    """Merge `merged_id` into `survivor_id`."""

    survivor_id: int
    merged_id: int
    reason: str | None = None


def event_out(event: Event) -> dict[str, Any]:
    """An event as JSON."""
    return {
        "id": event.event_id,
        "type": event.type,
        "occurred_at": from_epoch(event.occurred_ts).isoformat(),
        "received_at": from_epoch(event.received_ts).isoformat(),
        "person_id": event.person_id,
        "anonymous_id": event.anonymous_id,
        "account_id": event.account_id,
        "properties": dict(event.properties),
    }


def person_out(person: Person) -> dict[str, Any]:
    """A person as JSON."""
    touch = person.first_touch
    return {
        "id": person.id,
        "email": person.email,
        "emails": list(person.emails),
        "first_name": person.first_name,
        "last_name": person.last_name,
        "name": person.name,
        "title": person.title,
        "role": person.role.value,
        "seniority": person.seniority.value,
        "account_id": person.account_id,
        "consent": person.consent.value,
        "lifecycle_stage": person.lifecycle_stage,
        "owner": person.owner,
        "first_touch": {
            "lead_tool": touch.lead_tool,
            "channel": touch.channel,
            "direction": touch.direction.value if touch.direction else None,
            "sourced_by": touch.sourced_by.value if touch.sourced_by else None,
        },
        "created_at": from_epoch(person.created_ts).isoformat(),
        "traits": person.traits,
    }


def account_out(account: Account) -> dict[str, Any]:
    """An account as JSON."""
    return {
        "id": account.id,
        "domain": account.domain,
        "external_id": account.external_id,
        "name": account.name,
        "industry": account.industry,
        "country": account.country,
        "employees": account.employees,
        "revenue_band": account.revenue_band,
        "tier": account.tier.value,
        "owner": account.owner,
        "created_at": from_epoch(account.created_ts).isoformat(),
        "traits": account.traits,
    }


def page(items: list[dict[str, Any]], limit: int) -> dict[str, Any]:
    """A page of items with the cursor for the next one."""
    next_after = items[-1]["id"] if len(items) == limit else None
    return {"items": items, "next_after": next_after}
