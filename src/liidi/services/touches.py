"""Recording sales touches: from the API or CLI (a CRM sync, a rep), and from sales_touch events."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from liidi.domain.events import Event
from liidi.domain.touches import EVENT_TYPE, Touch, check_touch, touch_of_event
from liidi.services.clock import resolve_now
from liidi.services.identity import live_person, live_person_id, lock_people_in
from liidi.services.sla_clocks import stop_clocks_in
from liidi.services.unit_of_work import UnitOfWork, run_in_transaction


def record_touch(
    uow: UnitOfWork,
    *,
    person_id: int,
    kind: str,
    occurred_at: Any = None,
    actor: str | None = None,
    note: str | None = None,
    source: str = "rep",
    now: float | None = None,
    tolerance: float = 300.0,
) -> dict[str, Any]:
    """Store a call, e-mail, meeting or note for a person; the stored touch."""
    ts = resolve_now(now)
    touch = check_touch(
        kind=kind, occurred_at=occurred_at, actor=actor, note=note, source=source, now=ts, tolerance=tolerance
    )

    def work(tx: UnitOfWork) -> dict[str, Any]:
        live = live_person_id(tx, person_id)
        lock_people_in(tx, {live})
        row = _row(live, touch, ts)
        stored = touch_out(row | {"id": tx.touches.add(row)})
        stop_clocks_in(tx, live, touch.occurred_ts)
        return stored

    return run_in_transaction(uow, work)


def touches_of(uow: UnitOfWork, *, person_id: int, limit: int = 100) -> dict[str, Any]:
    """A person's touches, newest first."""
    with uow:
        live = live_person(uow, person_id).id
        rows = uow.touches.of_person(live, limit)
    return {"person_id": live, "touches": [touch_out(r) for r in rows]}


def record_event_touches_in(uow: UnitOfWork, events: Iterable[Event], now: float) -> int:
    """Store a touch for each sales_touch event of a person, inside the caller's transaction."""
    rows = [
        _row(e.person_id, touch_of_event(e.event_id, e.occurred_ts, e.properties), now)
        for e in events
        if e.type == EVENT_TYPE and e.person_id is not None
    ]
    added = uow.touches.add_from_events(rows)
    for row in rows:
        stop_clocks_in(uow, row["person_id"], row["occurred_ts"])
    return added


def _row(person_id: int, touch: Touch, now: float) -> dict[str, Any]:
    return {
        "person_id": person_id,
        "kind": touch.kind,
        "occurred_ts": touch.occurred_ts,
        "actor": touch.actor,
        "note": touch.note,
        "source": touch.source,
        "event_id": touch.event_id,
        "created_ts": now,
    }


def touch_out(row: dict[str, Any]) -> dict[str, Any]:
    """A touch as the API and CLI show it."""
    keys = ("id", "person_id", "kind", "occurred_ts", "actor", "note", "source", "event_id")
    return {k: row[k] for k in keys}
