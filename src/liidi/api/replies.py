"""Reply shapes of the HTTP API, declared on every route so /openapi.json says what the server answers."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from liidi.api.replies_handover import AssignmentItem, LeadSlaOut, NurtureEnrolmentOut
from liidi.api.reply_base import Reply as Reply


class HealthOut(Reply):
    """The server is up."""

    status: str
    version: str


class FirstTouchOut(Reply):
    """How a person first came in."""

    lead_tool: str | None
    channel: str | None
    direction: str | None
    sourced_by: str | None


class PersonOut(Reply):
    """A person."""

    id: int
    email: str | None
    emails: list[str]
    external_id: str | None = Field(None, description="The person's id in the CRM, if loaded with one.")
    first_name: str | None
    last_name: str | None
    name: str | None
    title: str | None
    role: str
    seniority: str
    account_id: int | None
    consent: str
    lifecycle_stage: str
    owner: str | None
    first_touch: FirstTouchOut
    created_at: str
    traits: dict[str, Any]


class AccountOut(Reply):
    """An account."""

    id: int
    domain: str | None
    external_id: str | None
    name: str | None
    industry: str | None
    country: str | None
    employees: int | None
    revenue_band: str | None
    tier: str
    owner: str | None
    created_at: str
    traits: dict[str, Any]


class EventOut(Reply):
    """A stored event."""

    id: str
    type: str
    occurred_at: str
    received_at: str
    person_id: int | None
    anonymous_id: str | None
    account_id: int | None
    properties: dict[str, Any]


class PeoplePage(Reply):
    """A page of people; `next_after` is the cursor of the next page (null on the last)."""

    items: list[PersonOut]
    next_after: int | None


class AccountsPage(Reply):
    """A page of accounts; `next_after` is the cursor of the next page (null on the last)."""

    items: list[AccountOut]
    next_after: int | None


class EventsPage(Reply):
    """A person's events, newest first; `next_before` is the cursor of the next page."""

    items: list[EventOut]
    next_before: float | None


class IdentityOut(Reply):
    """One identifier of a person."""

    kind: str
    value: str


class AttributeOut(Reply):
    """A trait with its type (integer, number, boolean, datetime, text; null for lists and objects)."""

    name: str
    value: Any
    type: str | None


class PersonDetail(PersonOut):
    """A person with account, identities, lifecycle history, merges, assignments, nurture and recent
    events."""

    merged_from: int | None
    attributes: list[AttributeOut]
    account: AccountOut | None
    identities: list[IdentityOut]
    lifecycle: list[dict[str, Any]]
    merges: list[dict[str, Any]]
    assignment: AssignmentItem | None = Field(..., description="The latest assignment (null: never routed).")
    assignments: list[AssignmentItem] = Field(..., description="Every assignment, oldest first.")
    event_count: int
    recent_events: list[EventOut]
    nurture: list[NurtureEnrolmentOut] = Field(
        default_factory=list, description="Nurture enrolments, newest first (one active at most per model)."
    )


class AccountDetail(AccountOut):
    """An account with its people, opportunities and recent events."""

    people: list[PersonOut]
    opportunities: list[dict[str, Any]]
    recent_events: list[EventOut]


class PersonUpserted(Reply):
    """One person of an upsert."""

    person_id: int
    created: bool


class PeopleUpserted(Reply):
    """The people of an upsert, in the order sent."""

    items: list[PersonUpserted]


class AccountUpserted(Reply):
    """One account of an upsert."""

    account_id: int
    created: bool


class AccountsUpserted(Reply):
    """The accounts of an upsert, in the order sent."""

    items: list[AccountUpserted]


class MergeOut(Reply):
    """What a merge moved."""

    survivor_id: int
    merged_id: int
    moved_events: int
    moved_identities: int


class TransitionOut(Reply):
    """A stage change that was made."""

    person_id: int
    from_stage: str | None = Field(..., alias="from")
    to: str
    actor: str
    reason: str | None
    occurred_ts: float


class LifecycleOut(Reply):
    """A person's stage, the moves allowed from it, recycle count and full history."""

    person_id: int
    stage: str
    allowed_moves: list[str]
    recycles: int
    history: list[dict[str, Any]]


class CardOut(Reply):
    """A score card under one model: points per rule, signals, verdict and explanation."""

    model: str
    person_id: int
    as_of: str
    as_of_ts: float
    fit: float
    grade: str | None
    engagement: float
    score: float
    rules: list[dict[str, Any]]
    signals: list[dict[str, Any]]
    products: list[dict[str, Any]]
    mql: bool
    pql: bool
    hand_raiser: bool
    qualified: bool
    qualified_by: str | None
    qualified_at: str | None
    qualified_at_ts: float | None
    themes: list[dict[str, Any]]
    buying_stage: str | None
    explanation: list[str]


class ScoreOut(Reply):
    """A person's score cards, one per published model."""

    person_id: int
    cards: list[CardOut]


class ReasonOut(Reply):
    """One of the top contributions to a lead's score, as `liidi explain` shows it."""

    kind: str = Field(
        description="hand_raiser, or the kind of rule that added the points: fit, engagement, signal"
    )
    rule: str
    points: float
    detail: str
    text: str


class LeadOut(Reply):
    """A lead with why it is hot."""

    person: PersonOut
    account: AccountOut | None
    score: float
    grade: str | None
    qualified: bool
    qualified_by: str | None
    themes: list[str]
    buying_stage: str | None
    why: list[ReasonOut]
    assignment: AssignmentItem | None = Field(..., description="The latest assignment (null: never routed).")
    sla: LeadSlaOut | None = Field(..., description="The latest hand-over's response SLA (null: none).")


class LeadsOut(Reply):
    """Leads, highest score first."""

    items: list[LeadOut]


class RollupOut(Reply):
    """An account's people's scores rolled up under one model."""

    account_id: int
    model: str
    total: float
    best: float
    top: float
    top_k: int
    people_scored: int
    people_engaged: int
    qualified: int
    roles_engaged: list[str]
    people: list[tuple[int, float]] = Field(..., description="(person id, score) of the top people.")


class VersionOut(Reply):
    """A stored scoring model version."""

    name: str
    version: int
    label: str
    status: str
    fingerprint: str
    created_ts: float
    published_ts: float | None
    author: str


class VersionSourceOut(VersionOut):
    """A stored scoring model version with its YAML."""

    source: str


class VersionsOut(Reply):
    """Stored versions by model name, newest first."""

    items: list[VersionOut]


class PublishedOut(Reply):
    """A publication: the version now published, the one it retired, how many people were rescored."""

    name: str
    version: int
    label: str
    previous_version: int | None
    rescored: int


class DiffOut(Reply):
    """What changed from version a to version b."""

    name: str
    a: int
    b: int
    changes: list[str]


class JobOut(Reply):
    """A backtest job: status, progress 0–1, parameters, and its result or error once finished."""

    id: int
    status: str
    progress: float | None
    params: dict[str, Any] | None
    error: str | None
    created_ts: float | None
    started_ts: float | None
    finished_ts: float | None
    result: dict[str, Any] | None
    links: dict[str, str]


class HistoryLoaded(Reply):
    """What a batch of dated stage changes did."""

    records: int
    created: int = Field(..., description="Changes stored now.")
    already_stored: int = Field(..., description="Changes skipped: the same person, stage and time exist.")


class DealsLoaded(Reply):
    """What a batch of deals did."""

    records: int
    created: int = Field(..., description="Deals stored now (a CRM id not stored before).")
    updated: int = Field(..., description="Stored deals whose values changed.")
    unchanged: int = Field(..., description="Stored deals the batch gave again with the same values.")
