"""Routing routes (admin key): put routing.yaml in force, read it, assign a person by hand, fairness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import Field

from liidi.api.deps import AdminKey, KeyedRoute, Uow
from liidi.api.documents import document_fields, load_from_request, request_body
from liidi.api.params import PersonId, as_of_moment
from liidi.api.replies import Reply
from liidi.api.responses import WRITE
from liidi.api.schemas import Strict
from liidi.domain.routing import plan_item, summary
from liidi.errors import FieldError, ValidationFailed
from liidi.services import routing
from liidi.services.routing import LoadedRouting

router = APIRouter(prefix="/v1", tags=["routing"], responses=WRITE, route_class=KeyedRoute)
SOURCE_HELP = "The routing document's YAML, as in examples/routing.yaml."


class AssignIn(Strict):
    """Give a person to a rep by hand."""

    to: str = Field(..., min_length=3, max_length=254, description="The rep's e-mail (a rep of the routing).")
    reason: str | None = Field(None, max_length=300, description="Why, in a few words.")
    actor: str = Field("api", min_length=1, max_length=254, description="Who made the change.")


class RoutingOut(Reply):
    """The routing in force: its version, who loaded it, and the plan (conditions in words)."""

    kind: str
    version: int
    label: str
    fingerprint: str
    author: str
    created_ts: float
    created: bool = Field(..., description="True when this request stored a new version.")
    summary: str
    plan: dict[str, Any]
    source: str | None = None


class AssignmentOut(Reply):
    """A recorded assignment: the owner (null: nobody), the team, the rule and method, and why."""

    person_id: int
    owner: str | None
    team: str | None
    rule: str | None
    method: str = Field(..., description="affinity, round_robin, fallback, kept, no_touch or manual")
    reason: str
    motion: str | None = Field(..., description="no_touch, low_touch, high_touch or null")
    actor: str
    routing_version: int | None
    assigned_ts: float


class ShareOut(Reply):
    """One owner's leads; for a rep also the share their weight asks for in their team."""

    kind: str = Field(..., description="rep, queue (the fallback queue), other, or none (no owner)")
    owner: str | None
    team: str | None
    weight: float | None
    capacity: int | None
    leads: int
    share: float | None = Field(..., description="Of the team's leads (null when the team had none).")
    target: float | None = Field(..., description="The share the rep's weight asks for.")
    expected: float | None
    difference: float | None = Field(..., description="Leads minus expected; negative is below the share.")


class ReportOut(Reply):
    """Fairness from `since` to `until`."""

    since: float
    until: float
    routing: str
    period: str
    total: int
    items: list[ShareOut]


BODY = request_body(SOURCE_HELP)


@router.put("/routing", response_model=RoutingOut, openapi_extra=BODY)
async def put_routing(request: Request, uow: Uow, _key: AdminKey) -> JSONResponse:
    """Check a routing document and put it in force; 422 lists every problem with its line and column.

    Send JSON `{"source": "<yaml>"}` or the YAML itself with `Content-Type: application/yaml`. The same
    document again stores nothing new (`created: false`).
    """
    loaded = await load_from_request(request, uow, routing.load_routing)
    return JSONResponse(routing_out(loaded))


def routing_out(loaded: LoadedRouting, source: bool = False) -> dict[str, Any]:
    """The JSON of the routing in force."""
    doc = loaded.document
    return document_fields(doc, loaded.created, source) | {
        "summary": summary(loaded.plan),
        "plan": plan_item(loaded.plan),
    }


@router.get("/routing", response_model=RoutingOut)
def get_routing(uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """The routing in force with its YAML; 404 when none was loaded."""
    return routing_out(routing.show_routing(uow), source=True)


@router.post("/people/{person_id:int}/assign", response_model=AssignmentOut)
def assign(person_id: PersonId, body: AssignIn, uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """Give a person to a rep by hand: recorded with who and why, and announced as lead.assigned.

    With a routing in force, `to` must be one of its reps or its fallback queue (422 otherwise); 409 when
    the person already has that owner."""
    done = routing.assign_person(uow, person_id=person_id, to=body.to, actor=body.actor, reason=body.reason)
    d = done.decision
    return {
        "person_id": done.person_id,
        "owner": d.owner,
        "team": d.team,
        "rule": d.rule,
        "method": d.method.value,
        "reason": d.reason,
        "motion": d.motion.value if d.motion else None,
        "actor": done.actor,
        "routing_version": done.routing_version,
        "assigned_ts": done.assigned_ts,
    }


@router.get("/routing/report", response_model=ReportOut)
def get_report(
    uow: Uow,
    _key: AdminKey,
    since: str | None = Query(
        None, description="From this moment (epoch seconds or ISO 8601); default the start of this period."
    ),
    until: str | None = Query(None, description="Up to this moment; default now."),
) -> dict[str, Any]:
    """Fairness: leads each rep was given against the share their weight asks for in their team."""
    start = _moment("since", since)
    end = _moment("until", until)
    report = routing.routing_report(uow, since=start, until=end)
    return {
        "since": report.since,
        "until": report.until,
        "routing": report.routing,
        "period": report.period,
        "total": report.total,
        "items": [s.as_dict() for s in report.shares],
    }


def _moment(name: str, value: str | None) -> float | None:
    try:
        return as_of_moment(value)
    except ValidationFailed as error:
        reason = error.errors[0].reason
        raise ValidationFailed([FieldError(name, value, reason)], f"{name}={value!r}: {reason}") from None
