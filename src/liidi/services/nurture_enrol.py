"""Entering and leaving nurture: recycled leads on the move, not-ready leads by a scan, exits with reasons.

Helpers ending in `_in` run inside the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from liidi.domain.nurture import (
    NURTURABLE,
    Enrolment,
    ExitReason,
    PersonState,
    Status,
    exit_reason,
)
from liidi.services.nurture_catalog import ActiveNurture, active_nurture_in, person_state
from liidi.services.unit_of_work import UnitOfWork

SCAN_BATCH = 200
EXIT_BATCH = 500


@dataclass(frozen=True, slots=True)
class Scanned:
    """One batch of the scan: how many were enrolled, and the id to go on after (None at the end)."""

    enrolled: int
    next_after: int | None


def on_stage_change_in(uow: UnitOfWork, *, person_id: int, to_stage: str, now: float) -> None:
    """Follow a lifecycle move: a recycled lead enters nurture; a qualified or disqualified one leaves it."""
    if to_stage == "recycled":
        enrol_person_in(uow, person_id=person_id, now=now)
    elif to_stage not in NURTURABLE:
        reason = exit_reason(PersonState(lifecycle_stage=to_stage))
        if reason is not None:
            uow.nurture.end_active_of(person_id, reason=reason.value, now=now)


def enrol_person_in(uow: UnitOfWork, *, person_id: int, now: float) -> int | None:
    """Enrol one person if the nurture file in force admits them and has a track for them; the new id."""
    active = active_nurture_in(uow)
    if active is None:
        return None
    row = uow.nurture.states({person_id}, active.catalog.model).get(person_id)
    return enrol_in(uow, active, person_id, person_state(row), now) if row else None


def enrol_in(
    uow: UnitOfWork, active: ActiveNurture, person_id: int, state: PersonState, now: float
) -> int | None:
    """Start a person on the track that suits their themes and buying stage, if they enter nurture now.

    None when they do not enter, no track suits them, or they already follow a track under the model.
    """
    catalog = active.catalog
    entry = catalog.entry.admits(state)
    track = catalog.track_for_interests(state.themes, state.buying_stage) if entry else None
    if entry is None or track is None:
        return None
    start = Enrolment.start(person_id, catalog.model, track, now)
    return uow.nurture.add(
        {
            "person_id": person_id,
            "model": catalog.model,
            "track": track.name,
            "document_version": active.document.version,
            "entry": entry.value,
            "entry_stage": state.buying_stage,
            "enrolled_ts": now,
            "step_index": 0,
            "next_due_ts": start.next_due_ts,
            "status": start.status.value,
        }
    )


def scan_in(uow: UnitOfWork, *, now: float, after: int = 0, limit: int = SCAN_BATCH) -> Scanned:
    """Enrol the next batch of people (by id after `after`) who are scored, not ready and never enrolled.

    The batch's people are locked in id order and read again, so a lead who qualified meanwhile stays out.
    """
    active = active_nurture_in(uow)
    if active is None:
        return Scanned(0, None)
    rows = uow.nurture.candidates(active.catalog.model, after, limit)
    if not rows:
        return Scanned(0, None)
    ids = {int(row["id"]) for row in rows}
    uow.people.lock(ids)
    fresh = uow.nurture.states(ids, active.catalog.model)
    enrolled = sum(
        enrol_in(uow, active, pid, person_state(fresh[pid]), now) is not None
        for pid in sorted(ids)
        if pid in fresh
    )
    return Scanned(enrolled, int(rows[-1]["id"]) if len(rows) == limit else None)


def exit_leaving_in(uow: UnitOfWork, *, now: float, limit: int = EXIT_BATCH) -> int:
    """Exit the active enrolments of people who qualified, were disqualified, merged or unsubscribed."""
    rows = uow.nurture.claim_leaving(limit)
    exited = 0
    for model in sorted({str(row["model"]) for row in rows}):
        mine = [row for row in rows if row["model"] == model]
        states = uow.nurture.states({int(row["person_id"]) for row in mine}, model)
        for row in mine:
            reason = exit_reason(person_state(states[int(row["person_id"])]))
            if reason is not None:
                exited += uow.nurture.end(
                    int(row["id"]), status=Status.EXITED.value, reason=reason.value, now=now
                )
    return exited


def exit_track_removed_in(uow: UnitOfWork, enrolment_id: int, now: float) -> None:
    """Exit an enrolment whose track the nurture file in force no longer has."""
    uow.nurture.end(enrolment_id, status=Status.EXITED.value, reason=ExitReason.TRACK_REMOVED.value, now=now)
