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
    Resolved,
    ensure_person,
    explicit_account,
    live_person_id,
    lock_people_in,
    merged_traits,
    stitch_anonymous,
    update_person,
)
from liidi.services.keys import Scope
from liidi.services.people_bulk import Upserted, check_people, upsert_people_in
from liidi.services.unit_of_work import UnitOfWork, run_in_transaction

FORM_FIELDS = ("first_name", "last_name", "title", "consent", "lead_tool", "channel", "traits")
"""What an ingest key (a website form) may describe, and only for a person not yet known."""


@dataclass(frozen=True, slots=True)
class IdentifyResult:
    """What an identify call did."""

    person_id: int
    created: bool
    events_attributed: int
    changed: bool = False
    """True when a known person's stored attributes differ after the call (their score is rebuilt)."""


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
    return run_in_transaction(
        uow, lambda tx: _identify_in(tx, address, anonymous_id, fields, ts, changes=changes)
    )


def _identify_in(
    uow: UnitOfWork,
    address: str,
    anonymous_id: str | None,
    fields: PersonFields,
    now: float,
    *,
    changes: bool,
) -> IdentifyResult:
    """Identify inside a transaction, taking locks in the order ingestion does: anonymous id, account,
    e-mail, then the person."""
    uow.locks.hold("anonymous", {anonymous_id} if anonymous_id else set())
    resolved, account_id = _resolved_and_locked_in(uow, address, fields, now)
    changed = (
        not resolved.created
        and changes
        and update_person(uow, resolved.person_id, fields, now, account_id=account_id)
    )
    moved = stitch_anonymous(uow, anonymous_id, resolved.person_id, now) if anonymous_id else 0
    if moved or changed:
        scoring.score_in(uow, new_events={}, rebuild={resolved.person_id}, now=now)
    return IdentifyResult(resolved.person_id, resolved.created, moved, changed)


def _resolved_and_locked_in(
    uow: UnitOfWork, address: str, fields: PersonFields, now: float
) -> tuple[Resolved, int | None]:
    """The person of an e-mail (created if new) locked, and the account the input names explicitly."""
    account_id = explicit_account(uow, fields, now)
    resolved = ensure_person(uow, address, now, fields, account_id=account_id)
    lock_people_in(uow, {resolved.person_id})
    return resolved, account_id


def form_traits(traits: Mapping[str, Any]) -> Mapping[str, Any]:
    """The traits of an ingest-key identify call; Forbidden naming any CRM-owned field, nothing stored."""
    refused = sorted(set(traits) - set(FORM_FIELDS))
    if refused:
        raise Forbidden(
            f"an ingest key may not set {', '.join(refused)}; nothing stored. It may send "
            f"{', '.join(FORM_FIELDS)} for a new person; owner, account and attribution need an admin key"
        )
    return traits


def upsert_people(
    uow: UnitOfWork, *, records: list[Mapping[str, Any]], now: float | None = None
) -> list[Upserted]:
    """Create or update many people, matched by external id, then e-mail, in one transaction; any
    invalid record refuses them all. Those whose attributes changed are rescored in it."""
    ts = resolve_now(now)
    checked = check_people(records)

    def work(tx: UnitOfWork) -> list[Upserted]:
        results = upsert_people_in(tx, checked, ts)
        rescore_changed_in(tx, results, ts)
        return results

    return run_in_transaction(uow, work)


def rescore_changed_in(uow: UnitOfWork, results: Sequence[Upserted], now: float) -> None:
    """Rebuild, in one pass, the scores of the people whose attributes changed; who now qualifies moves."""
    scoring.score_in(uow, new_events={}, rebuild={r.person_id for r in results if r.changed}, now=now)


def upsert_person_in(uow: UnitOfWork, address: str, fields: PersonFields, now: float) -> IdentifyResult:
    """Create or update one checked person by e-mail inside the caller's unit of work (the demo's path).

    Its score is not rebuilt here."""
    resolved, account_id = _resolved_and_locked_in(uow, address, fields, now)
    changed = not resolved.created and update_person(
        uow, resolved.person_id, fields, now, account_id=account_id
    )
    return IdentifyResult(resolved.person_id, resolved.created, 0, changed)


def merge_people(
    uow: UnitOfWork,
    *,
    survivor_id: int,
    merged_id: int,
    actor: str,
    reason: str | None = None,
    now: float | None = None,
) -> MergeResult:
    """Fold one person into another: identities, events, history, deals and touches move; it is recorded."""
    if survivor_id == merged_id:
        raise ValidationFailed([FieldError("merged_id", merged_id, "cannot merge a person into itself")])
    ts = resolve_now(now)
    return run_in_transaction(uow, lambda tx: _merge_in(tx, survivor_id, merged_id, actor, reason, ts))


def _merge_in(
    uow: UnitOfWork, survivor_id: int, merged_id: int, actor: str, reason: str | None, ts: float
) -> MergeResult:
    """Merge inside a transaction: both people are locked (in id order) before anything moves."""
    uow.people.lock({survivor_id, merged_id})
    survivor, merged = _live_pair(uow, survivor_id, merged_id)
    account_id = survivor.account_id or merged.account_id
    moved_events = uow.events.move_person(merged.id, survivor.id, account_id)
    moved_ids = uow.identities.move_all(merged.id, survivor.id)
    uow.lifecycle.move_person(merged.id, survivor.id)
    uow.opportunities.move_person(merged.id, survivor.id)
    uow.touches.move_person(merged.id, survivor.id)
    uow.assignments.move_person(merged.id, survivor.id)
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
