"""Ingestion routes: events and identify (an ingest-scoped key suffices)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from liidi.api.deps import AppSettings, IngestKey, KeyedRoute, Uow
from liidi.api.responses import WRITE
from liidi.api.schemas import IdentifyIn, IdentifyOut, IngestOut
from liidi.config import Settings
from liidi.errors import FieldError, ValidationFailed
from liidi.services import ingest, people
from liidi.services.keys import Scope
from liidi.services.unit_of_work import UnitOfWork

router = APIRouter(prefix="/v1", tags=["ingestion"], responses=WRITE, route_class=KeyedRoute)


BATCH_SCHEMA = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EventBatch"}}},
    }
}


@router.post("/events", response_model=IngestOut, openapi_extra=BATCH_SCHEMA)
async def post_events(request: Request, uow: Uow, settings: AppSettings, key: IngestKey) -> JSONResponse:
    """Store a batch of up to 1,000 events atomically; events already stored are reported as duplicates."""
    raw = events_of(await request.body())
    reply = await run_in_threadpool(_ingest, raw, uow, settings, key is Scope.ADMIN)
    return JSONResponse(reply if key is Scope.ADMIN else for_ingest_key(reply))


def for_ingest_key(reply: dict[str, Any]) -> dict[str, Any]:
    """A batch reply without what would tell an ingest key whether an e-mail was known (people, stages)."""
    items = [{k: v for k, v in item.items() if k != "person_id"} for item in reply["items"]]
    return {k: v for k, v in reply.items() if k not in ("people_created", "stage_changes")} | {"items": items}


def events_of(body: bytes) -> list[Any]:
    """The `events` list of a request body, or ValidationFailed naming what is wrong."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValidationFailed([FieldError("body", None, f"not valid JSON: {error}")]) from None
    except RecursionError:
        raise ValidationFailed([FieldError("body", None, "JSON nested too deeply to parse")]) from None
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise ValidationFailed(
            [FieldError("events", None, "the body must be an object with an 'events' list")]
        )
    extra = sorted(set(data) - {"events"})
    if extra:
        raise ValidationFailed([FieldError(extra[0], data[extra[0]], "unknown field")])
    return list(data["events"])


def _ingest(raw: list[Any], uow: UnitOfWork, settings: Settings, trusted: bool) -> dict[str, Any]:
    """Store the batch; only an admin key's sales_touch events record touches (an ingest key is public)."""
    result = ingest.track_events(
        uow,
        events=raw,
        max_batch=settings.max_batch_events,
        future_tolerance=float(settings.future_tolerance_seconds),
        record_touches=trusted,
    )
    if result.stored == 0:
        message = f"nothing new: all {result.duplicates} events were already stored"
    else:
        message = f"stored {result.stored} events; {result.duplicates} duplicates ignored"
    items = [
        {"index": i.index, "event_id": i.event_id, "status": i.status, "person_id": i.person_id}
        for i in result.items
    ]
    return {
        "stored": result.stored,
        "duplicates": result.duplicates,
        "people_created": result.people_created,
        "message": message,
        "items": items,
        "stage_changes": [
            {
                "person_id": m.person_id,
                "from": m.from_stage,
                "to": m.to_stage,
                "qualified_by": m.qualified_by,
                "model_version": m.model_version,
            }
            for m in result.stage_changes
        ],
    }


@router.post("/identify", response_model=IdentifyOut, response_model_exclude_none=True)
def post_identify(body: IdentifyIn, uow: Uow, key: IngestKey) -> IdentifyOut:
    """Tie an anonymous visitor to an e-mail; their anonymous history joins the person."""
    result = people.identify(
        uow, email=body.email, anonymous_id=body.anonymous_id, traits=body.traits or {}, scope=key
    )
    if key is not Scope.ADMIN:  # an ingest key must not learn whether the e-mail was known
        return IdentifyOut(events_attributed=result.events_attributed)
    return IdentifyOut(
        person_id=result.person_id, created=result.created, events_attributed=result.events_attributed
    )
