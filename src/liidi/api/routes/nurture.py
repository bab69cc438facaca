"""Nurture routes (admin key): put nurture.yaml in force, read its tracks, results per track."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import Field

from liidi.api.deps import AdminKey, KeyedRoute, Uow
from liidi.api.documents import document_fields, load_from_request, request_body
from liidi.api.params import as_of_moment
from liidi.api.replies import Reply
from liidi.api.responses import WRITE
from liidi.domain.nurture import Track
from liidi.errors import FieldError, ValidationFailed
from liidi.services import nurture
from liidi.services.nurture import LoadedNurture

router = APIRouter(prefix="/v1/nurture", tags=["nurture"], responses=WRITE, route_class=KeyedRoute)
SOURCE_HELP = "The nurture file's YAML, as in examples/nurture.yaml."


class StepOut(Reply):
    """One step: the wait before it in days, and what it does."""

    wait_days: int
    action: str = Field(..., description="webhook, email or task")
    template: str | None
    campaign: str | None
    subject: str | None
    task: str | None


class TrackOut(Reply):
    """A track: the themes and buying stages it is for (empty: any), and its steps in order."""

    name: str
    description: str
    themes: list[str]
    stages: list[str]
    steps: list[StepOut]


class NurtureOut(Reply):
    """The nurture file in force: its version, its model, who enters, and its tracks in the order tried."""

    version: int
    label: str
    fingerprint: str
    author: str
    created_ts: float
    created: bool = Field(..., description="True when this request stored a new version.")
    model: str
    entry: dict[str, Any]
    tracks: list[TrackOut]
    source: str | None = None


class ResultOut(Reply):
    """What became of the people a track took in ('all tracks': of everyone)."""

    track: str
    enrolled: int
    active: int
    completed: int
    progressed: int = Field(..., description="Whose buying stage moved forward while on the track.")
    qualified: int
    unsubscribed: int
    disqualified: int
    other_exits: int = Field(..., description="Merged into another person, or their track was removed.")
    median_days_to_qualify: float | None
    qualified_share: float | None


class ReportOut(Reply):
    """Results per track for people enrolled from `since` to `until` (null: no bound)."""

    model: str
    document: str
    since: float | None
    until: float | None
    items: list[ResultOut]


BODY = request_body(SOURCE_HELP)


@router.put("", response_model=NurtureOut, openapi_extra=BODY)
async def put_nurture(request: Request, uow: Uow, _key: AdminKey) -> JSONResponse:
    """Check a nurture file against the published models and put it in force; 422 lists every problem.

    Send JSON `{"source": "<yaml>"}` or the YAML itself with `Content-Type: application/yaml`. The same
    file again stores nothing new (`created: false`).
    """
    loaded = await load_from_request(request, uow, nurture.load_nurture)
    return JSONResponse(nurture_out(loaded))


@router.get("", response_model=NurtureOut)
def get_nurture(uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """The nurture file in force with its YAML; 404 when none was loaded."""
    return nurture_out(nurture.show_nurture(uow), source=True)


@router.get("/tracks", response_model=NurtureOut)
def get_tracks(uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """The tracks in force, in the order they are tried; 404 when no nurture file was loaded."""
    return nurture_out(nurture.show_nurture(uow))


@router.get("/report", response_model=ReportOut)
def get_report(
    uow: Uow,
    _key: AdminKey,
    since: str | None = Query(
        None, description="People enrolled from this moment (epoch seconds or ISO 8601)."
    ),
    until: str | None = Query(None, description="People enrolled before this moment."),
) -> dict[str, Any]:
    """Per track: enrolled, active, completed, progressed a buying stage, qualified, unsubscribed,
    disqualified, and the median days from enrolment to qualifying; last the total of all tracks."""
    report = nurture.nurture_report(uow, since=_moment("since", since), until=_moment("until", until))
    return {
        "model": report.model,
        "document": report.document,
        "since": report.since,
        "until": report.until,
        "items": [result.as_dict() for result in report.results],
    }


def nurture_out(loaded: LoadedNurture, source: bool = False) -> dict[str, Any]:
    """The JSON of the nurture file in force."""
    doc, catalog = loaded.document, loaded.catalog
    entry = catalog.entry
    return document_fields(doc, loaded.created, source) | {
        "model": catalog.model,
        "entry": {
            "recycled": entry.recycled,
            "not_ready": entry.not_ready,
            "grades": sorted(entry.grades),
            "min_score": entry.min_score,
        },
        "tracks": [track_out(track) for track in catalog.tracks],
    }


def track_out(track: Track) -> dict[str, Any]:
    """The JSON of one track."""
    return {
        "name": track.name,
        "description": track.description,
        "themes": sorted(track.themes),
        "stages": sorted(track.stages),
        "steps": [
            {
                "wait_days": step.wait_days,
                "action": step.action.value,
                "template": step.template,
                "campaign": step.campaign,
                "subject": step.subject,
                "task": step.task,
            }
            for step in track.steps
        ],
    }


def _moment(name: str, value: str | None) -> float | None:
    try:
        return as_of_moment(value)
    except ValidationFailed as error:
        reason = error.errors[0].reason
        raise ValidationFailed([FieldError(name, value, reason)], f"{name}={value!r}: {reason}") from None
