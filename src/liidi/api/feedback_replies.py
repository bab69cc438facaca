"""Reply shapes of the sales feedback, touches and acceptance report routes."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from liidi.api.replies import Reply


class DealOut(Reply):
    """A deal a feedback action opened or closed."""

    id: int
    name: str
    stage: str = Field(..., description="open, won or lost.")
    amount: float | None
    currency: str
    owner: str | None
    created_ts: float
    closed_ts: float | None
    lost_reason: str | None


class FeedbackOut(Reply):
    """What a feedback action did: the person's move and the deal it opened or closed."""

    action: str = Field(..., description="accept, reject, step-back, convert or close.")
    person_id: int
    from_stage: str = Field(..., alias="from")
    to: str
    reason: str | None
    actor: str
    occurred_ts: float
    deal: DealOut | None


class TouchOut(Reply):
    """A call, e-mail, meeting or note by sales."""

    id: int
    person_id: int
    kind: str = Field(..., description="call, email, meeting or note ('other' from an event).")
    occurred_ts: float
    actor: str | None
    note: str | None
    source: str = Field(..., description="crm, rep, or event (a sales_touch event).")
    event_id: str | None


class TouchesOut(Reply):
    """A person's touches, newest first."""

    person_id: int
    touches: list[TouchOut]


class FeedbackReasonOut(Reply):
    """One reason code and where it sends the person."""

    action: str = Field(..., description="reject, step-back or close-lost.")
    reason: str
    to: str = Field(..., description="The stage the person moves to: recycled or disqualified.")
    description: str


class ReasonsOut(Reply):
    """The reason codes in use."""

    reasons: list[FeedbackReasonOut]


class CountOut(Reply):
    """A count and its share of the hand-overs."""

    count: int
    share: float | None


class AcceptanceOut(Reply):
    """Of the leads handed over (moved to mql) in a period, what sales did with them so far."""

    since: float | None
    until: float | None
    handed_over: int
    accepted: CountOut
    rejected: CountOut
    waiting: CountOut
    other: CountOut
    sales_ready: float | None = Field(..., description="accepted / (accepted + rejected).")
    median_hours_to_decision: float | None
    rejected_by_reason: list[dict[str, Any]]
    by: str | None = None
    groups: list[dict[str, Any]] | None = Field(None, description="Outcomes per value of `by`, if given.")
