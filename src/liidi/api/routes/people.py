"""People routes: list, get, events, upsert, merge (admin key)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from liidi.api.deps import AdminKey, KeyedRoute, Uow
from liidi.api.schemas import MergeIn, PeopleUpsert, account_out, event_out, page, person_out
from liidi.services import people, queries

router = APIRouter(prefix="/v1/people", tags=["people"], route_class=KeyedRoute)


@router.get("")
def list_people(
    uow: Uow,
    _key: AdminKey,
    email: str | None = None,
    account_id: int | None = None,
    lifecycle_stage: str | None = None,
    role: str | None = None,
    owner: str | None = None,
    q: str | None = Query(None, description="Search in names and e-mail addresses."),
    after: int = Query(0, ge=0, description="Cursor: the last id of the previous page."),
    limit: int = Query(50, ge=1, le=500),
) -> dict[str, Any]:
    """People matching the filters, in id order; follow `next_after` for the next page."""
    filters = {"email": email, "account_id": account_id, "lifecycle_stage": lifecycle_stage, "role": role}
    filters |= {"owner": owner, "q": q}
    found = queries.list_people(uow, filters=filters, after=after, limit=limit)
    return page([person_out(p) for p in found], limit)


@router.post("")
def upsert_people(body: PeopleUpsert, uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """Create or update people matched by e-mail; all or nothing."""
    results = people.upsert_people(uow, records=body.people)
    return {"items": [{"person_id": r.person_id, "created": r.created} for r in results]}


@router.post("/merge")
def merge(body: MergeIn, uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """Merge one person into another, keeping all history; the merge is recorded."""
    result = people.merge_people(
        uow, survivor_id=body.survivor_id, merged_id=body.merged_id, actor="api", reason=body.reason
    )
    return {
        "survivor_id": result.survivor_id,
        "merged_id": result.merged_id,
        "moved_events": result.moved_events,
        "moved_identities": result.moved_identities,
    }


@router.get("/{person_id}")
def get_person(
    person_id: int, uow: Uow, _key: AdminKey, events: int = Query(20, ge=0, le=500)
) -> dict[str, Any]:
    """A person with account, identities, lifecycle history and recent events (merged ids resolve)."""
    view = queries.get_person(uow, person_id=person_id, events=events)
    return {
        **person_out(view.person),
        "merged_from": view.merged_from,
        "account": account_out(view.account) if view.account else None,
        "identities": [{"kind": k, "value": v} for k, v in view.identities],
        "lifecycle": view.lifecycle,
        "merges": view.merges,
        "event_count": view.event_count,
        "recent_events": [event_out(e) for e in view.events],
    }


@router.get("/{person_id}/events")
def person_events(
    person_id: int,
    uow: Uow,
    _key: AdminKey,
    before: float | None = Query(None, description="Cursor: epoch seconds of the last event seen."),
    limit: int = Query(50, ge=1, le=500),
) -> dict[str, Any]:
    """A person's events, newest first."""
    view = queries.get_person(uow, person_id=person_id, events=limit, before=before)
    items = [event_out(e) for e in view.events]
    next_before = view.events[-1].occurred_ts if len(view.events) == limit else None
    return {"items": items, "next_before": next_before}
