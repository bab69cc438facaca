"""Routing use cases: check and load routing.yaml, show it, assign a person by hand, report fairness."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from liidi.domain.accounts import Account
from liidi.domain.emails import email_problem, normalise_email
from liidi.domain.events import from_epoch
from liidi.domain.people import Person
from liidi.domain.routing import Lead, Motion, RoutingPlan, Share, fairness, load_routing_text, manual
from liidi.errors import Conflict, FieldError, NotFound, ValidationFailed
from liidi.services.assignment import Assignment, Qualified, active_plan_in, record_in
from liidi.services.clock import resolve_now
from liidi.services.documents import MAX_AUTHOR, Document, active_document_in, store_document_in
from liidi.services.identity import live_person, live_person_id, lock_people_in
from liidi.services.unit_of_work import UnitOfWork, run_in_transaction

KIND = "routing"
MAX_REASON = 300
NOTHING_LOADED = "no routing document is loaded: `liidi routing load FILE` or PUT /v1/routing"


@dataclass(frozen=True, slots=True)
class LoadedRouting:
    """The routing document in force: the stored version and its plan; `created` when stored just now."""

    document: Document
    plan: RoutingPlan
    created: bool = False


@dataclass(frozen=True, slots=True)
class FairnessReport:
    """Leads per owner from `since` to `until` against the weights of the routing in force."""

    since: float
    until: float
    routing: str
    period: str
    total: int
    shares: list[Share]


def check_routing(text: str, source_name: str) -> RoutingPlan:
    """A routing document's YAML checked as `load_routing` checks it, without storing anything."""
    return load_routing_text(text, source_name)


def load_routing(
    uow: UnitOfWork, *, text: str, source_name: str, author: str, now: float | None = None
) -> LoadedRouting:
    """Check a routing document and put it in force; the same document again stores nothing new."""
    plan = check_routing(text, source_name)
    _check_text("author", author, MAX_AUTHOR)
    ts = resolve_now(now)

    def store(tx: UnitOfWork) -> tuple[Document, bool]:
        return store_document_in(
            tx, kind=KIND, source=text, fingerprint=plan.fingerprint(), author=author, now=ts
        )

    doc, created = run_in_transaction(uow, store)
    return LoadedRouting(doc, plan, created)


def show_routing(uow: UnitOfWork) -> LoadedRouting:
    """The routing document in force; NotFound when none was loaded."""
    with uow:
        doc = active_document_in(uow, KIND)
    if doc is None:
        raise NotFound(NOTHING_LOADED)
    return LoadedRouting(doc, load_routing_text(doc.source, doc.label))


def assign_person(
    uow: UnitOfWork,
    *,
    person_id: int,
    to: str,
    actor: str,
    reason: str | None = None,
    now: float | None = None,
) -> Assignment:
    """Give a person to a rep by hand; recorded with who did it and why, and announced in the outbox.

    With a routing document in force, `to` must be one of its reps or its fallback queue.
    """
    owner = _owner_address(to)
    _check_text("reason", reason, MAX_REASON)
    _check_text("actor", actor, MAX_AUTHOR)
    ts = resolve_now(now)

    def work(tx: UnitOfWork) -> Assignment:
        live = live_person_id(tx, person_id)
        lock_people_in(tx, {live})
        person = live_person(tx, live)
        if person.owner == owner:
            raise Conflict(f"person {live} is already owned by {owner}")
        active = active_plan_in(tx)
        plan = active.plan if active else None
        if plan is not None and plan.rep(owner) is None and owner != plan.fallback:
            raise _unknown_rep(owner, plan, active.version if active else 0)
        account = tx.accounts.get(person.account_id) if person.account_id else None
        motion = _motion_in(tx, live, plan, person, account)
        decision = manual(plan, owner, actor, reason, motion)
        version = active.version if active else None
        return record_in(tx, person, account, decision, Qualified(live, "manual", ts), actor, version)

    return run_in_transaction(uow, work)


def _owner_address(to: str) -> str:
    problem = email_problem(to) if "\x00" not in to else "must not contain the NUL character"
    if problem:
        raise ValidationFailed([FieldError("to", to[:300], problem)], f"to={to[:80]!r}: {problem}")
    return normalise_email(to)


def _check_text(name: str, value: str | None, limit: int) -> None:
    if value is None:
        return
    reason = None
    if "\x00" in value:
        reason = "must not contain the NUL character (\\u0000)"
    elif len(value) > limit:
        reason = f"must be at most {limit} characters, got {len(value)}"
    elif name == "author" and not value.strip():
        reason = "must not be empty"
    if reason:
        raise ValidationFailed([FieldError(name, value[:80], reason)], f"{name}: {reason}")


def _unknown_rep(owner: str, plan: RoutingPlan, version: int) -> ValidationFailed:
    known = [r.email for r in plan.reps] + ([plan.fallback] if plan.fallback else [])
    close = difflib.get_close_matches(owner, known, n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    reason = f"not a rep of routing@v{version}{hint}; reps: {', '.join(known)}"
    return ValidationFailed(
        [FieldError("to", owner, reason)], f"to={owner!r}: not a rep of routing@v{version}{hint}"
    )


def _motion_in(
    uow: UnitOfWork, person_id: int, plan: RoutingPlan | None, person: Person, account: Account | None
) -> Motion | None:
    """The motion of the person's latest assignment, else what the plan's motion rules say."""
    latest = uow.assignments.latest({person_id}).get(person_id)
    if latest and latest["motion"]:
        return Motion(latest["motion"])
    rule = plan.motion_rule(Lead(person, account, "manual")) if plan else None
    return rule.motion if rule else None


def routing_report(
    uow: UnitOfWork, *, since: float | None = None, until: float | None = None, now: float | None = None
) -> FairnessReport:
    """Leads given to each rep from `since` (default: the start of the current period) to `until` (now)."""
    ts = resolve_now(now)
    with uow:
        active = active_plan_in(uow)
        if active is None:
            raise NotFound(NOTHING_LOADED)
        end = ts if until is None else until
        start = active.plan.period_at(end if until is not None else ts).start if since is None else since
        if start >= end:
            reason = "must be before until"
            raise ValidationFailed([FieldError("since", start, reason)], f"since: {reason}")
        rows = uow.assignments.between(start, end)
    shares = fairness(active.plan, (row["owner"] for row in rows))
    return FairnessReport(start, end, f"routing@v{active.version}", active.plan.period, len(rows), shares)


def assignment_item(row: dict[str, Any] | None) -> dict[str, Any] | None:
    """A stored assignment as the API and `--json` show it (None stays None)."""
    if row is None:
        return None
    keys = ("owner", "team", "rule", "method", "reason", "motion", "actor", "routing_version", "assigned_ts")
    return {k: row[k] for k in keys} | {"assigned_at": from_epoch(row["assigned_ts"]).isoformat()}


def assignments_of(uow: UnitOfWork, *, person_id: int) -> list[dict[str, Any]]:
    """A person's assignments, oldest first (merges followed)."""
    with uow:
        return uow.assignments.history(live_person_id(uow, person_id))


def latest_assignments(uow: UnitOfWork, *, person_ids: set[int]) -> dict[int, dict[str, Any]]:
    """Each person's latest assignment, for those who have one."""
    with uow:
        return uow.assignments.latest(person_ids)
