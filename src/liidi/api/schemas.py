"""Request and response shapes of the HTTP API (they are what /docs shows)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr, field_validator

from liidi.domain.accounts import Account
from liidi.domain.bounds import MAX_INT32, MAX_INT64
from liidi.domain.events import CUSTOM_PREFIX, STANDARD_EVENT_TYPES, Event, from_epoch
from liidi.domain.intake import MAX_ID_LENGTH
from liidi.domain.people import Person

EVENT_TYPE_PATTERN = (
    "^("
    + "|".join(sorted(STANDARD_EVENT_TYPES))
    + "|"
    + CUSTOM_PREFIX.replace(".", "\\.")
    + "[A-Za-z0-9_-]+)$"
)
EMAIL_PATTERN = "^[^@\\s]+@[^@\\s]+\\.[A-Za-z]{2,63}$"
DbId = Annotated[int, Field(ge=1, le=MAX_INT64)]


class Strict(BaseModel):
    """Unknown fields, NaN and infinities are refused, and text may not hold NUL, so nothing odd is stored."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        """Text every backend can store (nested values are checked with the records they belong to)."""
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain the NUL character (\\u0000)")
        return value


def _one_of_present(*names: str) -> dict[str, Any]:
    """JSON schema: at least one of these properties is given and not null."""
    return {"anyOf": [{"required": [n], "properties": {n: {"not": {"type": "null"}}}} for n in names]}


class EventIn(Strict):
    """One event, keyed by e-mail, person id or anonymous id. `id` is its idempotency key."""

    model_config = ConfigDict(json_schema_extra=_one_of_present("email", "person_id", "anonymous_id"))

    id: str | None = Field(
        None,
        description="Idempotency key; resending an event with the same id stores nothing.",
        max_length=MAX_ID_LENGTH,
    )
    type: str = Field(
        ...,
        description="A standard type such as page_view, or a custom one: custom.<name>.",
        pattern=EVENT_TYPE_PATTERN,
    )
    email: str | None = Field(None, pattern=EMAIL_PATTERN, max_length=254)
    person_id: int | None = Field(None, ge=0, le=MAX_INT64)
    anonymous_id: str | None = Field(
        None, description="Cookie or device id of a visitor not yet identified.", max_length=MAX_ID_LENGTH
    )
    occurred_at: str | float | None = Field(None, description="ISO 8601 time or epoch seconds; default now.")
    properties: dict[str, Any] | None = Field(None, description="path, topic, stage, campaign, lead_tool, …")


class EventBatch(Strict):
    """Up to 1,000 events, stored all or nothing."""

    events: list[EventIn] = Field(..., description="The events, oldest first or in any order.", min_length=1)


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

    email: str = Field(..., min_length=3, max_length=254, pattern=EMAIL_PATTERN)
    anonymous_id: str | None = Field(None, min_length=1, max_length=MAX_ID_LENGTH)
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


Text = str | None
Created = Annotated[
    StrictStr | StrictFloat | StrictInt | None,
    Field(description="When it came to be in the CRM (ISO 8601 or epoch seconds); default now."),
]


class PersonIn(Strict):
    """One person of an upsert, matched by external_id, then e-mail (one of the two is needed); fields
    left out are left as they are."""

    model_config = ConfigDict(json_schema_extra=_one_of_present("email", "external_id"))

    email: str | None = Field(None, min_length=3, max_length=254, pattern=EMAIL_PATTERN)
    external_id: str | None = Field(
        None, min_length=1, max_length=MAX_ID_LENGTH, description="The person's id in the CRM."
    )
    first_name: Text = None
    last_name: Text = None
    title: Text = None
    consent: Text = Field(None, description="granted, denied or unknown.")
    lead_tool: Text = None
    channel: Text = None
    direction: Text = Field(None, description="inbound or outbound.")
    sourced_by: Text = Field(None, description="marketing, sales, partner, …")
    owner: Text = Field(None, description="The sales rep's e-mail address.")
    account_domain: Text = None
    account_external_id: str | None = Field(
        None, min_length=1, max_length=MAX_ID_LENGTH, description="The account's id in the CRM."
    )
    account_name: Text = Field(None, description="The account by name (the first of that name, or new).")
    account_id: int | None = Field(None, ge=0, le=MAX_INT64)
    traits: dict[str, Any] | None = None
    created_at: Created = None


class AccountIn(Strict):
    """One account of an upsert, matched by external_id, then domain; it needs one of the two."""

    model_config = ConfigDict(json_schema_extra=_one_of_present("domain", "external_id"))

    domain: Text = Field(None, description="e.g. kivikoski.fi")
    external_id: Text = Field(None, description="The account's id in the CRM.")
    name: Text = None
    industry: Text = None
    country: Text = None
    employees: int | None = Field(None, ge=0, le=MAX_INT32)
    revenue_band: Text = None
    tier: Text = Field(None, description="most_wanted, tier_2, tier_3 or none.")
    owner: Text = None
    traits: dict[str, Any] | None = None
    created_at: Created = None


class PeopleUpsert(Strict):
    """People to create or update, matched by external_id, then e-mail; all or nothing."""

    people: list[PersonIn]

    def records(self) -> list[dict[str, Any]]:
        """The people as sent (fields left out stay out)."""
        return [person.model_dump(exclude_unset=True) for person in self.people]


class AccountsUpsert(Strict):
    """Accounts to create or update, matched by external_id, then domain; all or nothing."""

    accounts: list[AccountIn]

    def records(self) -> list[dict[str, Any]]:
        """The accounts as sent (fields left out stay out)."""
        return [account.model_dump(exclude_unset=True) for account in self.accounts]


class MergeIn(Strict):
    """Merge `merged_id` into `survivor_id`."""

    survivor_id: DbId
    merged_id: DbId
    reason: str | None = Field(None, max_length=300)


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
        "external_id": person.external_id,
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
