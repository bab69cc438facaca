"""Reply shapes of the hand-over to sales inside people and lead replies: assignments, nurture, the SLA."""

from __future__ import annotations

from pydantic import Field

from liidi.api.reply_base import Reply


class AssignmentItem(Reply):
    """Who a lead was given to, by which rule and method, and why (see docs/routing.md)."""

    owner: str | None
    team: str | None
    rule: str | None
    method: str = Field(..., description="affinity, round_robin, fallback, kept, no_touch or manual")
    reason: str = Field(..., description="e.g. 'affinity: owner of kivikoski.fi'")
    motion: str | None = Field(..., description="no_touch, low_touch, high_touch or null")
    actor: str
    routing_version: int | None
    assigned_ts: float
    assigned_at: str


class NurtureEnrolmentOut(Reply):
    """A person's enrolment on a nurture track under one scoring model."""

    model: str
    track: str
    status: str = Field(..., description="active, completed or exited")
    entry: str = Field(..., description="not_ready or recycled")
    steps_done: int
    steps: int | None = Field(
        ..., description="Steps of the track in force (null when it has no such track)."
    )
    enrolled_ts: float
    next_due_ts: float | None = Field(..., description="When the next step is due (null once ended).")
    exit_reason: str | None = Field(
        ..., description="qualified, disqualified, unsubscribed, merged or track_removed (null unless exited)"
    )
    ended_ts: float | None


class LeadSlaOut(Reply):
    """A handed-over lead's response SLA as of now."""

    status: str = Field(..., description="open, breached (due time passed untouched) or met.")
    due_at: str = Field(..., description="When the first response is due, ISO 8601.")
    waited_seconds: int = Field(..., description="Business time waited since the hand-over.")
    waited: str = Field(..., description="The same, e.g. '2h 10m'.")
    policy: str = Field(..., description="The SLA policy's name.")
