"""Event ingestion (R1, R2, R22): a checked batch is stored atomically and idempotently."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from liidi.domain.events import Event
from liidi.domain.intake import TrackEvent, parse_events
from liidi.errors import FieldError, NotFound, PayloadTooLarge, ValidationFailed
from liidi.services import scoring
from liidi.services.clock import resolve_now
from liidi.services.identity import ensure_people_in, live_person_id, lock_people_in, stitch_anonymous
from liidi.services.lifecycle import Transition
from liidi.services.touches import record_event_touches_in
from liidi.services.unit_of_work import UnitOfWork, run_in_transaction


@dataclass(frozen=True, slots=True)
class ItemResult:
    """The fate of one event of a batch."""

    index: int
    event_id: str
    status: str  # "stored" or "duplicate"
    person_id: int | None


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What a batch did: how many events were new, how many had been seen before."""

    stored: int
    duplicates: int
    people_created: int
    items: list[ItemResult]
    stage_changes: list[Transition] = field(default_factory=list)


def track_events(
    uow: UnitOfWork,
    *,
    events: Sequence[Mapping[str, Any]],
    now: float | None = None,
    max_batch: int = 1000,
    future_tolerance: float = 300.0,
    record_touches: bool = True,
) -> IngestResult:
    """Store a batch of events; a resent batch stores nothing new and reports every item as a duplicate.

    With `record_touches`, each new sales_touch event of a person is also recorded as a touch (an
    ingest key, which anyone may read from a web page, sends events that record none).
    """
    if len(events) > max_batch:
        raise PayloadTooLarge(f"a batch holds at most {max_batch} events; this one has {len(events)}")
    if not events:
        raise ValidationFailed([FieldError("events", [], "the batch is empty")])
    ts = resolve_now(now)
    commands = parse_events(events, now=ts, tolerance=future_tolerance)
    return run_in_transaction(
        uow, lambda tx: store_events_in(tx, commands, ts, record_touches=record_touches)
    )


def store_events_in(
    uow: UnitOfWork, commands: list[TrackEvent], now: float, *, record_touches: bool = True
) -> IngestResult:
    """Store checked events inside the caller's open unit of work (which commits).

    Safe beside concurrent writers: anonymous ids, accounts, e-mails, people and event ids are each
    taken in sorted order, in that order of kinds; an event is reported stored only by the one writer
    whose insert stored it.
    """
    unique, repeated = _first_of_each_key(commands)
    uow.locks.hold("anonymous", {c.anonymous_id for c in unique if c.anonymous_id})
    known = uow.events.existing_ids([c.event_id for c in unique])
    fresh = [c for c in unique if c.event_id not in known]
    people, created = _resolve_people(uow, fresh, now)
    lock_people_in(uow, {p for p in people.values() if p is not None})
    accounts = uow.people.account_ids({p for p in people.values() if p is not None})
    inserted = uow.events.add_many([_row(c, people[c.index], accounts, now) for c in fresh])
    new = [c for c in fresh if c.event_id in inserted]
    stitched = {
        pid
        for cmd in new
        if cmd.anonymous_id and (pid := people[cmd.index]) is not None
        if stitch_anonymous(uow, cmd.anonymous_id, pid, now) > 0
    }
    by_person = _by_person(new, people, now)
    if record_touches:
        record_event_touches_in(uow, (e for events in by_person.values() for e in events), now)
    moves = scoring.score_in(uow, new_events=by_person, rebuild=stitched, now=now)
    items = [ItemResult(c.index, c.event_id, "stored", people[c.index]) for c in new]
    seen = [c for c in unique if c.event_id not in inserted] + repeated
    items += [ItemResult(c.index, c.event_id, "duplicate", None) for c in seen]
    items.sort(key=lambda item: item.index)
    return IngestResult(len(new), len(seen), created, items, moves)


def _by_person(
    commands: list[TrackEvent], people: dict[int, int | None], now: float
) -> dict[int, list[Event]]:
    grouped: dict[int, list[Event]] = {}
    for cmd in commands:
        pid = people[cmd.index]
        if pid is not None:
            event = Event(cmd.event_id, cmd.type, cmd.occurred_ts, now, cmd.properties, pid, cmd.anonymous_id)
            grouped.setdefault(pid, []).append(event)
    return grouped


def _first_of_each_key(commands: list[TrackEvent]) -> tuple[list[TrackEvent], list[TrackEvent]]:
    keys: set[str] = set()
    unique: list[TrackEvent] = []
    repeated: list[TrackEvent] = []
    for cmd in commands:
        (repeated if cmd.event_id in keys else unique).append(cmd)
        keys.add(cmd.event_id)
    return unique, repeated


def _resolve_people(
    uow: UnitOfWork, commands: list[TrackEvent], now: float
) -> tuple[dict[int, int | None], int]:
    by_email, created = ensure_people_in(uow, {c.email for c in commands if c.email}, now)
    by_anon = uow.identities.people_for("anonymous", {c.anonymous_id for c in commands if c.anonymous_id})
    resolved: dict[int, int | None] = {}
    errors: list[FieldError] = []
    for cmd in commands:
        if cmd.email:
            resolved[cmd.index] = by_email[cmd.email]
        elif cmd.person_id is not None:
            try:
                resolved[cmd.index] = live_person_id(uow, cmd.person_id)
            except NotFound:
                errors.append(FieldError("person_id", cmd.person_id, "no person with this id", cmd.index))
        else:
            resolved[cmd.index] = by_anon.get(cmd.anonymous_id or "")
    if errors:
        raise ValidationFailed(errors, f"batch refused, nothing stored: {errors[0].one_line()}")
    return resolved, created


def _row(
    cmd: TrackEvent, person_id: int | None, accounts: dict[int, int | None], now: float
) -> dict[str, Any]:
    return {
        "event_id": cmd.event_id,
        "type": cmd.type,
        "person_id": person_id,
        "anonymous_id": cmd.anonymous_id,
        "account_id": accounts.get(person_id) if person_id is not None else None,
        "occurred_ts": cmd.occurred_ts,
        "received_ts": now,
        "properties": dict(cmd.properties),
    }
