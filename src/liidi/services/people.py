"""Use cases on people: identify, upsert, merge."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from liidi.domain.emails import email_problem, normalise_email
from liidi.domain.intake import PersonFields, parse_person_fields
from liidi.domain.messages import PersonMerged
from liidi.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from liidi.services import scoring
from liidi.services.clock import resolve_now
from liidi.services.identity import (
    ensure_person,
    live_person_id,
    merged_traits,
    stitch_anonymous,
    update_person,
)
from liidi.services.keys import Scope
from liidi.services.unit_of_work import UnitOfWork

FORM_FIELDS = ("first_name", "last_name", "title", "consent", "lead_tool", "channel", "traits")
"""What an ingest key (a website form) may describe, and only for a person not yet known."""


@dataclass(frozen=True, slots=True)
class IdentifyResult:
    """What an identify call did."""

    person_id: int
    created: bool
    events_attributed: int


@dataclass(frozen=True, slots=True)
class MergeResult:
    """What a merge did."""

    survivor_id: int
    merged_id: int
    moved_events: int
    moved_identities: int


def checked_email(raw: Any, name: str = "email", index: int | None = None) -> str:
    """A normalised e-mail, or ValidationFailed naming the field."""
    problem = (
        "is required" if not raw else (email_problem(raw) if isinstance(raw, str) else "must be a string")
    )
    if problem:
        raise ValidationFailed([FieldError(name, raw, problem, index)])
    return normalise_email(str(raw))


def identify(
    uow: UnitOfWork,
    *,
    email: Any,
    anonymous_id: str | None = None,
    traits: Mapping[str, Any] | None = None,
    scope: Scope = Scope.ADMIN,
    now: float | None = None,
) -> IdentifyResult:
    """Tie a visitor to an e-mail (a new person if unknown); an ingest `scope` may not change a known one."""
    address = checked_email(email)
    raw = traits or {}
    fields = parse_person_fields(raw if scope is Scope.ADMIN else form_traits(raw))
    changes = scope is Scope.ADMIN
    if anonymous_id is not None and (not isinstance(anonymous_id, str) or not anonymous_id.strip()):
        raise ValidationFailed([FieldError("anonymous_id", anonymous_id, "must be a non-empty string")])
    ts = resolve_now(now)
    with uow:
        resolved = ensure_person(uow, address, ts, fields)
        if not resolved.created and changes:
            update_person(uow, resolved.person_id, fields, ts)
        moved = stitch_anonymous(uow, anonymous_id, resolved.person_id, ts) if anonymous_id else 0
        if moved or (
            not resolved.created and changes and (fields.values or fields.traits or fields.account_domain)
        ):
            scoring.score_in(uow, new_events={}, rebuild={resolved.person_id}, now=ts)
        uow.commit()
    return IdentifyResult(resolved.person_id, resolved.created, moved)


def form_traits(traits: Mapping[str, Any]) -> Mapping[str, Any]:
    """The traits of an ingest-key identify call; Forbidden naming any CRM-owned field, nothing stored."""
    refused = sorted(set(traits) - set(FORM_FIELDS))
    if refused:
        raise Forbidden(
            f"an ingest key may not set {', '.join(refused)}; nothing stored. It may send "
            f"{', '.join(FORM_FIELDS)} for a new person; owner, account and attribution need an admin key"
        )
    return traits


def upsert_person(
    uow: UnitOfWork, *, email: Any, fields: Mapping[str, Any], now: float | None = None
) -> IdentifyResult:
    """Create or update the person with this e-mail."""
    return identify(uow, email=email, traits=fields, now=now)


def upsert_people(
    uow: UnitOfWork, *, records: list[Mapping[str, Any]], now: float | None = None
) -> list[IdentifyResult]:
    """Create or update many people in one transaction; any invalid record refuses them all."""
    ts = resolve_now(now)
    checked = check_people(records)
    with uow:
        results = [upsert_person_in(uow, address, fields, ts) for address, fields in checked]
        uow.commit()
    return results


def check_people(records: Sequence[Mapping[str, Any]]) -> list[tuple[str, PersonFields]]:
    """Check person records; ValidationFailed lists every problem with its record index."""
    checked = []
    errors: list[FieldError] = []
    for index, raw in enumerate(records):
        try:
            checked.append(
                (checked_email(raw.get("email"), index=index), parse_person_fields(raw, index=index))
            )
        except ValidationFailed as failed:
            errors.extend(_with_index(failed.errors, index))
    if errors:
        raise ValidationFailed(errors, f"no people stored: {errors[0].one_line()}")
    return checked


def upsert_person_in(uow: UnitOfWork, address: str, fields: PersonFields, now: float) -> IdentifyResult:
    """Create or update one checked person inside the caller's unit of work."""
    resolved = ensure_person(uow, address, now, fields)
    if not resolved.created:
        update_person(uow, resolved.person_id, fields, now)
    return IdentifyResult(resolved.person_id, resolved.created, 0)


def _with_index(errors: list[FieldError], index: int) -> list[FieldError]:
    return [FieldError(e.field, e.value, e.reason, index) for e in errors]


def merge_people(
    uow: UnitOfWork,
    *,
    survivor_id: int,
    merged_id: int,
    actor: str,
    reason: str | None = None,
    now: float | None = None,
) -> MergeResult:
    """Fold one person into another: identities, events, history and deals move; the merge is recorded."""
    if survivor_id == merged_id:
        raise ValidationFailed([FieldError("merged_id", merged_id, "cannot merge a person into itself")])
    ts = resolve_now(now)
    with uow:
        survivor, merged = _live_pair(uow, survivor_id, merged_id)
        account_id = survivor.account_id or merged.account_id
        moved_events = uow.events.move_person(merged.id, survivor.id, account_id)
        moved_ids = uow.identities.move_all(merged.id, survivor.id)
        uow.lifecycle.move_person(merged.id, survivor.id)
        uow.opportunities.move_person(merged.id, survivor.id)
        uow.people.update(survivor.id, _fill_gaps(survivor, merged, account_id), ts)
        uow.people.update(merged.id, {"merged_into_id": survivor.id}, ts)
        snapshot = {
            "email": merged.email,
            "name": merged.name,
            "title": merged.title,
            "stage": merged.lifecycle_stage,
        }
        uow.merges.record(
            {
                "survivor_id": survivor.id,
                "merged_id": merged.id,
                "occurred_ts": ts,
                "actor": actor,
                "reason": reason,
                "moved_events": moved_events,
                "snapshot": snapshot,
            }
        )
        uow.outbox.add(PersonMerged(survivor_id=survivor.id, merged_id=merged.id), ts)
        uow.scores.drop_person(merged.id)
        scoring.score_in(uow, new_events={}, rebuild={survivor.id}, now=ts)
        uow.commit()
    return MergeResult(survivor.id, merged.id, moved_events, moved_ids)


def _live_pair(uow: UnitOfWork, survivor_id: int, merged_id: int) -> tuple[Any, Any]:
    pair = []
    for name, pid in (("survivor_id", survivor_id), ("merged_id", merged_id)):
        person = uow.people.get(pid)
        if person is None:
            raise NotFound(f"no person with id {pid} ({name})")
        if uow.people.merged_into(pid) is not None:
            raise Conflict(f"person {pid} ({name}) was already merged into person {live_person_id(uow, pid)}")
        pair.append(person)
    return pair[0], pair[1]


def _fill_gaps(survivor: Any, merged: Any, account_id: int | None) -> dict[str, Any]:
    values: dict[str, Any] = {
        "account_id": account_id,
        "traits": merged_traits(survivor.traits, merged.traits),
    }
    for name in ("first_name", "last_name", "title", "owner"):
        if getattr(survivor, name) is None and getattr(merged, name) is not None:
            values[name] = getattr(merged, name)
    if survivor.title is None and merged.title is not None:
        values["role"], values["seniority"] = merged.role.value, merged.seniority.value
    return values
