"""Pacing routes (admin key): the weekly plan, the weekly review, notes per week, and the tasks playbooks
create."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import Field

from liidi.api.deps import AdminKey, KeyedRoute, Uow
from liidi.api.documents import document_fields, load_from_request, request_body
from liidi.api.replies import Reply
from liidi.api.responses import WRITE
from liidi.api.schemas import Strict
from liidi.domain.pacing import MAX_NOTE, MAX_WEEKS, PacingPlan
from liidi.services import pacing, playbooks
from liidi.services.pacing import LoadedPlan

router = APIRouter(prefix="/v1", tags=["pacing"], responses=WRITE, route_class=KeyedRoute)
BODY = request_body("The plan's YAML, as in examples/plan.yaml.")


class PlanOut(Reply):
    """The plan in force: its version, who loaded it, weekly targets, week overrides, segments, playbooks."""

    kind: str
    version: int
    label: str
    fingerprint: str
    author: str
    created_ts: float
    created: bool = Field(..., description="True when this request stored a new version.")
    name: str
    targets: dict[str, int]
    weeks: dict[str, dict[str, int]]
    segments: list[dict[str, Any]]
    playbooks: list[dict[str, Any]]
    source: str | None = None


@router.put("/pacing/plan", response_model=PlanOut, openapi_extra=BODY)
async def put_plan(request: Request, uow: Uow, _key: AdminKey) -> JSONResponse:
    """Check a plan and put it in force; 422 lists every problem with its line and column.

    Send JSON `{"source": "<yaml>"}` or the YAML itself with `Content-Type: application/yaml`. The same
    document again stores nothing new (`created: false`)."""
    loaded = await load_from_request(request, uow, pacing.load_plan)
    return JSONResponse(plan_out(loaded))


@router.get("/pacing/plan", response_model=PlanOut)
def get_plan(uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """The plan in force with its YAML; 404 when none was loaded."""
    return plan_out(pacing.show_plan(uow), source=True)


class MetricOut(Reply):
    """One metric of a week or group: the count, the target (null: none set) and actual / target."""

    actual: int
    target: int | None
    share: float | None


class GroupOut(Reply):
    """A week's total, or one group of a split week."""

    key: str
    leads: MetricOut = Field(..., description="People first known in the week.")
    mqls: MetricOut = Field(..., description="People reaching MQL (or passing it) in the week.")
    sals: MetricOut = Field(..., description="People reaching SAL (or passing it) in the week.")
    meetings: MetricOut = Field(..., description="People reaching SQL or with a meeting touch.")


class WeekOut(Reply):
    """One ISO week (UTC) with its notes."""

    week: str
    start: float
    end: float
    partial: bool = Field(..., description="The week is still running.")
    total: GroupOut
    groups: list[GroupOut]
    done: str | None
    next: str | None


class PacingOut(Reply):
    """The weekly review, oldest week first, against the plan in force (targets null without one)."""

    by: str | None
    plan: str | None
    plan_version: int | None
    now: float
    weeks: list[WeekOut]


Weeks = Annotated[int, Query(ge=1, le=MAX_WEEKS, description="How many weeks, up to `until`.")]
By = Annotated[
    str | None, Query(max_length=20, description="Split by lead_tool, channel, direction or sourced_by.")
]
Until = Annotated[
    str | None, Query(max_length=20, description="The last ISO week shown, e.g. 2026-W49 (default: now).")
]


@router.get("/pacing", response_model=PacingOut)
def get_pacing(
    uow: Uow, _key: AdminKey, weeks: Weeks = 8, by: By = None, until: Until = None
) -> dict[str, Any]:
    """Leads, MQLs, SALs and meetings per ISO week against the plan's targets, with each week's notes."""
    return pacing.report(uow, weeks=weeks, by=by or None, until=until).as_dict()


class NoteIn(Strict):
    """What was done in a week and what is next; a part left out keeps its stored text."""

    done: str | None = Field(None, max_length=MAX_NOTE, description="What was done.")
    next: str | None = Field(None, max_length=MAX_NOTE, description="What is done next.")
    author: str = Field("api", min_length=1, max_length=254, description="Who wrote it.")


class NoteOut(Reply):
    """A week's note as stored."""

    week: str
    done: str | None
    next: str | None
    author: str
    updated_ts: float


WeekPath = Annotated[str, Path(max_length=20, description="An ISO week such as 2026-W49.")]


@router.put("/pacing/notes/{week}", response_model=NoteOut)
def put_note(week: WeekPath, body: NoteIn, uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """Store what was done in a week and what is next."""
    return pacing.save_note(uow, week=week, done=body.done, next_=body.next, author=body.author)


class TaskOut(Reply):
    """A task a playbook created: the play, the week it runs in, for whom and why."""

    id: int
    kind: str
    title: str
    detail: str | None
    owner: str | None
    playbook: str | None
    period: str | None = Field(..., description="The week measured.")
    due_period: str | None = Field(..., description="The week the play runs in.")
    plan_version: int | None
    status: str
    created_ts: float
    outbox_id: int | None = Field(..., description="The playbook.triggered message.")


class TasksOut(Reply):
    """Tasks, newest first."""

    items: list[TaskOut]


@router.get("/tasks", response_model=TasksOut)
def get_tasks(
    uow: Uow,
    _key: AdminKey,
    status: Annotated[str | None, Query(max_length=20, description="open or done.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="At most this many, newest first.")] = 100,
) -> dict[str, Any]:
    """Tasks, newest first."""
    return {"items": playbooks.list_tasks(uow, status=status, limit=limit)}


def plan_out(loaded: LoadedPlan, source: bool = False) -> dict[str, Any]:
    """The JSON of the plan in force."""
    doc, plan = loaded.document, loaded.plan
    return document_fields(doc, loaded.created, source) | {
        **_content(plan),
    }


def _content(plan: PacingPlan) -> dict[str, Any]:
    return {
        "name": plan.name,
        "targets": plan.targets.values,
        "weeks": {week: t.values for week, t in sorted(plan.weeks.items())},
        "segments": [{"by": s.by, "value": s.value, **s.targets.values} for s in plan.segments],
        "playbooks": [
            {
                "name": p.name,
                "when": {"metric": p.metric, "below": p.below, "where": dict(p.where.values)},
                "then": {
                    "action": p.action,
                    "contacts_per_day": p.contacts_per_day,
                    "meetings": p.meetings,
                    "owner": p.owner,
                    "note": p.note,
                },
            }
            for p in plan.playbooks
        ],
    }
