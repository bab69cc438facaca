"""Sales feedback routes (admin key): accept, reject, step back, convert, close a deal, record touches."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field, StrictInt

from liidi.api.deps import AdminKey, KeyedRoute, Uow
from liidi.api.feedback_replies import FeedbackOut, ReasonsOut, TouchesOut, TouchOut
from liidi.api.params import PersonId
from liidi.api.responses import READ, WRITE
from liidi.api.schemas import Strict
from liidi.domain.bounds import MAX_INT64
from liidi.domain.feedback import FeedbackReasons
from liidi.services import deals, feedback, touches

router = APIRouter(prefix="/v1", tags=["feedback"], responses=WRITE, route_class=KeyedRoute)
Amount = float | None  # strict below: a number, never text; a union would name its member, not the field
Actor = Field("api", max_length=254, description="Who gives the feedback, e.g. the rep's e-mail.")
Reason = Field(None, max_length=200, description="A reason code; GET /v1/feedback/reasons lists them.")


def _reasons(request: Request) -> FeedbackReasons:
    """The reason codes the app was started with (LIIDI_FEEDBACK_REASONS)."""
    reasons: FeedbackReasons = request.app.state.reasons
    return reasons


Reasons = Annotated[FeedbackReasons, Depends(_reasons)]


class AcceptIn(Strict):
    """Sales accepts a handed-over lead (mql → sal)."""

    actor: str = Actor


class ReasonIn(Strict):
    """A rejection or a step back, with its reason code."""

    reason: str | None = Reason
    actor: str = Actor


class ConvertIn(Strict):
    """sal → sql; or, with `opportunity`, sal or sql → opportunity with a new open deal."""

    opportunity: bool = Field(False, description="Make an opportunity with an open deal, not just an SQL.")
    amount: Amount = Field(None, strict=True, description="The deal's amount: 0 to 1e15.")
    currency: str | None = Field(None, max_length=3, description="Three letters; default EUR.")
    name: str | None = Field(
        None, max_length=300, description="The deal's name; default 'deal for <e-mail>'."
    )
    actor: str = Actor


class Outcome(StrEnum):
    """How a deal ended."""

    WON = "won"
    LOST = "lost"


class CloseIn(Strict):
    """Close the person's open deal as won or lost."""

    outcome: Outcome = Field(..., description="won (the person becomes a customer) or lost.")
    reason: str | None = Field(
        None, max_length=200, description="Lost: a lost reason code (required). Won: optional text."
    )
    amount: Amount = Field(None, strict=True, description="The final amount; default the deal's.")
    deal_id: StrictInt | None = Field(
        None, ge=1, le=MAX_INT64, description="Which deal, if several are open."
    )
    actor: str = Actor


class TouchKind(StrEnum):
    """What kind of touch."""

    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    NOTE = "note"


class TouchSource(StrEnum):
    """Who recorded the touch."""

    CRM = "crm"
    REP = "rep"


class TouchIn(Strict):
    """A call, e-mail, meeting or note by sales."""

    kind: TouchKind
    occurred_at: Any = Field(
        None,
        description="ISO 8601 time or epoch seconds; default now; not in the future.",
        json_schema_extra={"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "null"}]},
    )
    actor: str | None = Field(None, max_length=254, description="Who made the touch, e.g. the rep's e-mail.")
    note: str | None = Field(None, max_length=2000)
    source: TouchSource = Field(TouchSource.REP, description="crm (a CRM sync) or rep (entered by the rep).")


@router.post("/people/{person_id:int}/accept", response_model=FeedbackOut)
def post_accept(person_id: PersonId, body: AcceptIn, uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """Accept a handed-over lead (mql → sal); any other stage answers 409 with the actions still open."""
    return feedback.accept(uow, person_id=person_id, actor=body.actor).as_dict()


@router.post("/people/{person_id:int}/reject", response_model=FeedbackOut)
def post_reject(
    person_id: PersonId, body: ReasonIn, uow: Uow, reasons: Reasons, _key: AdminKey
) -> dict[str, Any]:
    """Reject a handed-over lead: recycled or disqualified as the reason says (an unknown reason → 422)."""
    done = feedback.reject(uow, person_id=person_id, reason=body.reason, actor=body.actor, reasons=reasons)
    return done.as_dict()


@router.post("/people/{person_id:int}/step-back", response_model=FeedbackOut)
def post_step_back(
    person_id: PersonId, body: ReasonIn, uow: Uow, reasons: Reasons, _key: AdminKey
) -> dict[str, Any]:
    """Return an accepted lead (sal or sql) to marketing as recycled, with a reason."""
    done = feedback.step_back(uow, person_id=person_id, reason=body.reason, actor=body.actor, reasons=reasons)
    return done.as_dict()


@router.post("/people/{person_id:int}/convert", response_model=FeedbackOut)
def post_convert(person_id: PersonId, body: ConvertIn, uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """sal → sql; or with `opportunity`, → opportunity with an open deal of `amount` `currency`."""
    done = deals.convert(
        uow,
        person_id=person_id,
        actor=body.actor,
        opportunity=body.opportunity,
        amount=body.amount,
        currency=body.currency,
        name=body.name,
    )
    return done.as_dict()


@router.post("/people/{person_id:int}/close", response_model=FeedbackOut)
def post_close(
    person_id: PersonId, body: CloseIn, uow: Uow, reasons: Reasons, _key: AdminKey
) -> dict[str, Any]:
    """Close the person's open deal: won → customer; lost with a reason. No open deal answers 409."""
    done = deals.close(
        uow,
        person_id=person_id,
        won=body.outcome is Outcome.WON,
        actor=body.actor,
        reason=body.reason,
        amount=body.amount,
        deal_id=body.deal_id,
        reasons=reasons,
    )
    return done.as_dict()


@router.post("/people/{person_id:int}/touches", response_model=TouchOut)
def post_touch(
    person_id: PersonId, body: TouchIn, uow: Uow, request: Request, _key: AdminKey
) -> dict[str, Any]:
    """Record a call, e-mail, meeting or note for a person."""
    return touches.record_touch(
        uow,
        person_id=person_id,
        kind=body.kind.value,
        occurred_at=body.occurred_at,
        actor=body.actor,
        note=body.note,
        source=body.source.value,
        tolerance=float(request.app.state.settings.future_tolerance_seconds),
    )


@router.get("/people/{person_id:int}/touches", response_model=TouchesOut, responses=READ)
def get_touches(
    person_id: PersonId,
    uow: Uow,
    _key: AdminKey,
    limit: Annotated[int, Query(ge=1, le=500, description="At most this many, newest first.")] = 100,
) -> dict[str, Any]:
    """A person's touches, newest first."""
    return touches.touches_of(uow, person_id=person_id, limit=limit)


@router.get("/feedback/reasons", response_model=ReasonsOut, responses=READ)
def get_reasons(reasons: Reasons, _key: AdminKey) -> dict[str, Any]:
    """The reason codes in use: for reject, step-back and close-lost, with the stage each leads to."""
    return {"reasons": reasons.listing()}
