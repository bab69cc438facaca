"""People routes: list, get, events, upsert, merge (admin key)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from liidi.api.deps import AdminKey, KeyedRoute, Uow
from liidi.api.params import (
    After,
    Before,
    Events,
    FilterId,
    Limit,
    PersonId,
    RoleFilter,
    StageFilter,
    value_of,
)
from liidi.api.replies import EventsPage, MergeOut, PeoplePage, PeopleUpserted, PersonDetail
from liidi.api.responses import WRITE
from liidi.api.schemas import MergeIn, PeopleUpsert, account_out, event_out, page, person_out
from liidi.services import people, queries, routing

router = APIRouter(prefix="/v1/people", tags=["people"], responses=WRITE, route_class=KeyedRoute)


@router.get("", response_model=PeoplePage)
def list_people(
    uow: Uow,
    _key: AdminKey,
    email: str | None = None,
    account_id: FilterId = None,
    lifecycle_stage: StageFilter = None,
    role: RoleFilter = None,
    owner: str | None = None,
    q: str | None = Query(None, description="Search in names and e-mail addresses."),
    after: After = 0,
    limit: Limit = 50,
) -> dict[str, Any]:
    """People matching the filters, in id order; follow `next_after` for the next page."""
    filters = {"email": email, "account_id": account_id, "lifecycle_stage": value_of(lifecycle_stage)}
    filters["role"] = value_of(role)
    filters |= {"owner": owner, "q": q}
    found = queries.list_people(uow, filters=filters, after=after, limit=limit)
    return page([person_out(p) for p in found], limit)


@router.post("", response_model=PeopleUpserted)
def upsert_people(body: PeopleUpsert, uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """Create or update people matched by external_id, then e-mail; all or nothing.

    Those whose attributes change are rescored in the same transaction."""
    results = people.upsert_people(uow, records=body.records())
    return {"items": [{"person_id": r.person_id, "created": r.created} for r in results]}


@router.post("/merge", response_model=MergeOut)
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


@router.get("/{person_id:int}", response_model=PersonDetail)
def get_person(person_id: PersonId, uow: Uow, _key: AdminKey, events: Events = 20) -> dict[str, Any]:
    """A person with account, identities, lifecycle, nurture and recent events (merged ids resolve)."""
    view = queries.get_person(uow, person_id=person_id, events=events)
    return {
        **person_out(view.person),
        "merged_from": view.merged_from,
        "attributes": view.attributes,
        "account": account_out(view.account) if view.account else None,
        "identities": [{"kind": k, "value": v} for k, v in view.identities],
        "lifecycle": view.lifecycle,
        "merges": view.merges,
        "assignment": routing.assignment_item(view.assignments[-1] if view.assignments else None),
        "assignments": [routing.assignment_item(row) for row in view.assignments],
        "event_count": view.event_count,
        "recent_events": [event_out(e) for e in view.events],
        "nurture": view.nurture,
    }


@router.get("/{person_id:int}/events", response_model=EventsPage)
def person_events(
    person_id: PersonId, uow: Uow, _key: AdminKey, before: Before = None, limit: Limit = 50
) -> dict[str, Any]:
    """A person's events, newest first."""
    view = queries.get_person(uow, person_id=person_id, events=limit, before=before)
    items = [event_out(e) for e in view.events]
    next_before = view.events[-1].occurred_ts if len(view.events) == limit else None
    return {"items": items, "next_before": next_before}
