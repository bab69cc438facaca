"""SLA routes (admin key): put sla.yaml in force and read it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import Field

from liidi.api.deps import AdminKey, KeyedRoute, Uow
from liidi.api.documents import document_fields, load_from_request, request_body
from liidi.api.params import PersonId
from liidi.api.replies import Reply
from liidi.api.responses import WRITE
from liidi.api.routes.reports import Moment, moment_param
from liidi.domain.sla import SlaPolicies, SlaPolicy
from liidi.services import sla, sla_audit, sla_report
from liidi.services.sla import LoadedSla

router = APIRouter(prefix="/v1", tags=["sla"], responses=WRITE, route_class=KeyedRoute)
SOURCE_HELP = "The SLA document's YAML, as in examples/sla.yaml."


class SlaOut(Reply):
    """The SLA in force: its version, who loaded it, its calendar and policies (times in seconds of
    working time)."""

    kind: str
    version: int
    label: str
    fingerprint: str
    author: str
    created_ts: float
    created: bool = Field(..., description="True when this request stored a new version.")
    calendar: dict[str, Any]
    policies: list[dict[str, Any]]
    source: str | None = None


BODY = request_body(SOURCE_HELP)


@router.put("/sla", response_model=SlaOut, openapi_extra=BODY)
async def put_sla(request: Request, uow: Uow, _key: AdminKey) -> JSONResponse:
    """Check an SLA document and put it in force; 422 lists every problem with its line and column.

    Send JSON `{"source": "<yaml>"}` or the YAML itself with `Content-Type: application/yaml`. The same
    document again stores nothing new (`created: false`)."""
    loaded = await load_from_request(request, uow, sla.load_sla)
    return JSONResponse(sla_out(loaded))


@router.get("/sla", response_model=SlaOut)
def get_sla(uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """The SLA in force with its YAML; 404 when none was loaded."""
    return sla_out(sla.show_sla(uow), source=True)


class SlaGroupOut(Reply):
    """One group of SLA clocks (or the total): counts by outcome, share within the SLA, response times."""

    key: str
    clocks: int
    met: int = Field(..., description="First touched before the deadline.")
    late: int = Field(..., description="First touched at or after the deadline.")
    breached: int = Field(..., description="Still waiting, the deadline passed.")
    open: int = Field(..., description="Still waiting, the deadline not yet come.")
    closed: int = Field(..., description="Given to someone else before any touch.")
    judged: int = Field(..., description="Clocks whose outcome is known (met, late, breached, closed late).")
    within_sla: float | None = Field(..., description="met / judged.")
    responded: int = Field(..., description="Clocks with a response time (first touched).")
    median_hours: float | None = Field(..., description="Median first-touch time, business hours.")
    p90_hours: float | None = Field(..., description="90th percentile (nearest rank), business hours.")


class SlaReportOut(Reply):
    """The SLA clocks started in [since, until), grouped `by`, and the total."""

    since: float
    until: float
    now: float
    by: str | None
    groups: list[SlaGroupOut]
    total: SlaGroupOut


By = Annotated[str | None, Query(description="Group by owner, team, motion or month (UTC).")]


@router.get("/sla/report", response_model=SlaReportOut)
def get_sla_report(
    uow: Uow, _key: AdminKey, since: Moment = None, until: Moment = None, by: By = None
) -> dict[str, Any]:
    """Clocks started in [since, until): met within the SLA, late, breached and still waiting, open,
    closed; the share within the SLA and the median and p90 response time in business hours."""
    start, end = moment_param(since, "since"), moment_param(until, "until")
    return sla_report.report(uow, since=start, until=end, by=by or None).as_dict()


def sla_out(loaded: LoadedSla, source: bool = False) -> dict[str, Any]:
    """The JSON of the SLA in force."""
    doc = loaded.document
    return document_fields(doc, loaded.created, source) | {
        "calendar": _calendar(loaded.policies),
        "policies": [_policy(p) for p in loaded.policies.policies],
    }


def _calendar(policies: SlaPolicies) -> dict[str, Any]:
    c = policies.calendar
    return {
        "time_zone": str(c.zone),
        "hours": c.hours.describe(),
        "country": c.country,
        "subdivision": c.subdivision,
        "closed": len(c.closed),
    }


def _policy(policy: SlaPolicy) -> dict[str, Any]:
    m = policy.match
    wanted = (("qualified_by", m.qualified_by), ("motion", m.motion), ("grade", m.grade))
    return {
        "name": policy.name,
        "when": {k: sorted(v) for k, v in wanted if v},
        "respond_within": policy.respond_within,
        "warn_before": policy.warn_before,
        "escalate": [{"after": s.after, "action": s.action.value} for s in policy.ladder.steps],
    }


class PauseOut(Reply):
    """A stretch outside business hours while the clock waited."""

    from_: str = Field(..., alias="from")
    to: str


class ClockOut(Reply):
    """One SLA clock as an audit trail (times ISO 8601, UTC; null when it has not happened)."""

    id: int
    policy: str
    sla_version: int
    owner: str
    team: str | None
    motion: str | None
    qualified_by: str | None
    status: str = Field(..., description="open, breached (both waiting), met or closed.")
    started_at: str
    warning_at: str | None
    due_at: str
    warned_at: str | None
    breached_at: str | None
    first_touch_at: str | None
    closed_at: str | None
    escalation_step: int
    ended_at: str = Field(..., description="The first touch, the closing, or now while it waits.")
    working_seconds: float | None = Field(..., description="Business time from the start to the end.")
    pauses: list[PauseOut] = Field(..., description="The first 50 stretches outside business hours.")
    pause_count: int


class ClocksOut(Reply):
    """A person's SLA clocks, oldest first."""

    person_id: int
    items: list[ClockOut]


@router.get("/people/{person_id}/sla-clocks", response_model=ClocksOut, response_model_by_alias=True)
def get_sla_clocks(person_id: PersonId, uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """A person's response clocks: start, warning, deadline, first touch, breach, escalation steps, the
    working time waited and the pauses outside business hours, from the SLA version each started under."""
    audits = sla_audit.clock_audit(uow, person_id=person_id)
    return {"person_id": person_id, "items": [sla_audit.audit_item(a) for a in audits]}
