"""Lifecycle moves: by hand (sales accepts, recycles, disqualifies) and by the scoring model (MQL, PQL)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from liidi.domain.lifecycle import LifecyclePolicy, Stage, parse_stage, recycle_count
from liidi.domain.messages import LeadStageChanged
from liidi.services.assignment import Qualified, assign_qualified_in
from liidi.services.clock import resolve_now
from liidi.services.identity import live_person, live_person_id, lock_people_in
from liidi.services.nurture_enrol import on_stage_change_in
from liidi.services.unit_of_work import UnitOfWork, run_in_transaction

HANDED_OVER = frozenset({Stage.MQL, Stage.SAL})  # a manual move here routes a person without an owner


@dataclass(frozen=True, slots=True)
class Transition:
    """One recorded stage change."""

    person_id: int
    from_stage: str
    to_stage: str
    occurred_ts: float
    actor: str
    reason: str | None = None
    qualified_by: str | None = None
    model_version: str | None = None
    amount: float | None = None  # e.g. the value of the deal a move to opportunity or customer opened or won


def transition(
    uow: UnitOfWork,
    *,
    person_id: int,
    to: str,
    actor: str,
    reason: str | None = None,
    policy: LifecyclePolicy | None = None,
    now: float | None = None,
) -> Transition:
    """Move a person by hand; a disallowed move raises InvalidTransition listing the allowed ones."""
    target = parse_stage(to)
    ts = resolve_now(now)
    rules = policy or LifecyclePolicy.default()

    def move_in(tx: UnitOfWork) -> Transition:
        live = live_person_id(tx, person_id)
        lock_people_in(tx, {live})
        person = live_person(tx, live)
        current = Stage(person.lifecycle_stage)
        rules.check_move(current, target, reason)
        move = record_in(tx, Transition(live, current.value, target.value, ts, actor, reason))
        if target in HANDED_OVER and person.owner is None:
            assign_qualified_in(tx, [Qualified(live, "manual", ts)], actor)
        return move

    return run_in_transaction(uow, move_in)


def qualify_in(
    uow: UnitOfWork, *, person_id: int, current: str, qualified_by: str, model_version: str, at: float
) -> Transition | None:
    """Make a person an MQL inside the caller's transaction, if their stage allows it."""
    if not LifecyclePolicy.can_qualify(Stage(current)):
        return None
    move = Transition(person_id, current, Stage.MQL.value, at, "scoring", None, qualified_by, model_version)
    return record_in(uow, move)


def record_in(uow: UnitOfWork, move: Transition) -> Transition:
    """Write a transition, the person's new stage and a domain event to the outbox; follow it in nurture."""
    uow.lifecycle.record(
        {
            "person_id": move.person_id,
            "from_stage": move.from_stage,
            "to_stage": move.to_stage,
            "occurred_ts": move.occurred_ts,
            "actor": move.actor,
            "reason": move.reason,
            "qualified_by": move.qualified_by,
            "model_version": move.model_version,
            "amount": move.amount,
        }
    )
    uow.people.update(move.person_id, {"lifecycle_stage": move.to_stage}, move.occurred_ts)
    changed = LeadStageChanged(
        person_id=move.person_id,
        from_stage=move.from_stage,
        to_stage=move.to_stage,
        actor=move.actor,
        reason=move.reason,
        qualified_by=move.qualified_by,
        model_version=move.model_version,
        occurred_ts=move.occurred_ts,
    )
    uow.outbox.add(changed, move.occurred_ts)
    on_stage_change_in(uow, person_id=move.person_id, to_stage=move.to_stage, now=move.occurred_ts)
    return move


def history(uow: UnitOfWork, *, person_id: int) -> dict[str, Any]:
    """A person's stage, the moves allowed from it, their recycle count and full history."""
    with uow:
        person = live_person(uow, person_id)
        live = person.id
        rows = uow.lifecycle.history(live)
    stage = Stage(person.lifecycle_stage)
    return {
        "person_id": live,
        "stage": stage.value,
        "allowed_moves": [s.value for s in LifecyclePolicy.default().allowed_moves(stage)],
        "recycles": recycle_count(r["to_stage"] for r in rows),
        "history": rows,
    }
