"""Ingestion routes: events and identify (an ingest-scoped key suffices)."""

from __future__ import annotations

from fastapi import APIRouter

from liidi.api.deps import AppSettings, IngestKey, Uow
from liidi.api.schemas import EventBatch, IdentifyIn, IdentifyOut, IngestOut, ItemOut
from liidi.services import ingest, people

router = APIRouter(prefix="/v1", tags=["ingestion"])


@router.post("/events", response_model=IngestOut)
def post_events(body: EventBatch, uow: Uow, settings: AppSettings, _key: IngestKey) -> IngestOut:
    """Store a batch of up to 1,000 events atomically; events already stored are reported as duplicates."""
    raw = [item.model_dump(exclude_none=True) for item in body.events]
    result = ingest.track_events(
        uow,
        events=raw,
        max_batch=settings.max_batch_events,
        future_tolerance=float(settings.future_tolerance_seconds),
    )
    if result.stored == 0:
        message = f"nothing new: all {result.duplicates} events were already stored"
    else:
        message = f"stored {result.stored} events; {result.duplicates} duplicates ignored"
    items = [
        ItemOut(index=i.index, event_id=i.event_id, status=i.status, person_id=i.person_id)
        for i in result.items
    ]
    return IngestOut(
        stored=result.stored,
        duplicates=result.duplicates,
        people_created=result.people_created,
        message=message,
        items=items,
    )


@router.post("/identify", response_model=IdentifyOut)
def post_identify(body: IdentifyIn, uow: Uow, _key: IngestKey) -> IdentifyOut:
    """Tie an anonymous visitor to an e-mail; their anonymous history joins the person."""
    result = people.identify(uow, email=body.email, anonymous_id=body.anonymous_id, traits=body.traits or {})
    return IdentifyOut(
        person_id=result.person_id, created=result.created, events_attributed=result.events_attributed
    )
