"""The nurture file in force, parsed once per version, and a person's state as nurture reads it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from liidi.domain.nurture import Enrolment, NurtureCatalog, PersonState, Status, Track
from liidi.domain.nurture_load import load_nurture_text
from liidi.services.documents import Document, active_document_in
from liidi.services.unit_of_work import UnitOfWork

KIND = "nurture"
_PARSED: dict[tuple[int, str], NurtureCatalog] = {}


@dataclass(frozen=True, slots=True)
class ActiveNurture:
    """The stored nurture document in force and its parsed catalog."""

    document: Document
    catalog: NurtureCatalog


def active_nurture_in(uow: UnitOfWork) -> ActiveNurture | None:
    """The nurture file in force, if one was loaded (parsed once per process and version)."""
    document = active_document_in(uow, KIND)
    if document is None:
        return None
    key = (document.version, document.fingerprint)
    if key not in _PARSED:
        _PARSED[key] = load_nurture_text(document.source, document.label)
    return ActiveNurture(document, _PARSED[key])


def person_state(row: dict[str, Any]) -> PersonState:
    """A person's state from a row of stage, consent, merge and latest score (all optional but the stage)."""
    return PersonState(
        lifecycle_stage=str(row["lifecycle_stage"]),
        consent=str(row.get("consent") or "unknown"),
        grade=row.get("grade"),
        score=float(row.get("score") or 0.0),
        themes=tuple(row.get("themes") or ()),
        buying_stage=row.get("buying_stage"),
        merged=row.get("merged_into_id") is not None,
    )


def enrolment_of(row: dict[str, Any], track: Track) -> Enrolment:
    """A stored enrolment on a track."""
    return Enrolment(
        person_id=int(row["person_id"]),
        model=str(row["model"]),
        track=track,
        enrolled_ts=float(row["enrolled_ts"]),
        step_index=int(row["step_index"]),
        next_due_ts=row["next_due_ts"],
        status=Status(row["status"]),
    )


def nurture_of_in(uow: UnitOfWork, person_id: int) -> list[dict[str, Any]]:
    """A person's nurture enrolments, newest first: track, status, steps done of how many, next due, exit."""
    active = active_nurture_in(uow)
    items = []
    for row in uow.nurture.of_person(person_id):
        same_model = active is not None and active.catalog.model == row["model"]
        track = active.catalog.named(str(row["track"])) if active is not None and same_model else None
        items.append(
            {
                "model": row["model"],
                "track": row["track"],
                "status": row["status"],
                "entry": row["entry"],
                "steps_done": int(row["steps_done"]),
                "steps": len(track.steps) if track else None,
                "enrolled_ts": row["enrolled_ts"],
                "next_due_ts": row["next_due_ts"],
                "exit_reason": row["exit_reason"],
                "ended_ts": row["ended_ts"],
            }
        )
    return items
