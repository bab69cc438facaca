"""Sales feedback as use cases: accept, reject, step back, convert and close a deal, each one transaction.

Every action locks the person, checks their stage, records the stage change(s) with actor and reason
(each also announced as `lead.stage_changed`) and writes its own message to the outbox with them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from liidi.domain.emails import email_problem, normalise_email
from liidi.domain.feedback import (
    Action,
    FeedbackReasons,
    check_action,
    check_text,
)
from liidi.domain.lifecycle import Stage
from liidi.domain.messages import LeadAccepted, LeadRejected, LeadReturned
from liidi.domain.people import Person
from liidi.domain.routing.decide import Method
from liidi.errors import FieldError, ValidationFailed
from liidi.services.clock import resolve_now
from liidi.services.identity import live_person, live_person_id, lock_people_in
from liidi.services.lifecycle import Transition, record_in
from liidi.services.sla_clocks import stop_clocks_in
from liidi.services.unit_of_work import UnitOfWork, run_in_transaction

MAX_ACTOR = 254


@dataclass(frozen=True, slots=True)
class Feedback:
    """What a feedback action did: the person's move, and the deal it created or closed."""

    action: str
    person_id: int
    from_stage: str
    to_stage: str
    reason: str | None
    actor: str
    occurred_ts: float
    deal: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of the API and `--json`."""
        return {
            "action": self.action,
            "person_id": self.person_id,
            "from": self.from_stage,
            "to": self.to_stage,
            "reason": self.reason,
            "actor": self.actor,
            "occurred_ts": self.occurred_ts,
            "deal": self.deal,
        }


Work = Callable[[UnitOfWork, Person], Feedback]


def act(uow: UnitOfWork, person_id: int, work: Work) -> Feedback:
    """Run `work` on the locked, live person in one transaction (retried whole on a lost race)."""

    def locked(tx: UnitOfWork) -> Feedback:
        live = live_person_id(tx, person_id)
        lock_people_in(tx, {live})
        return work(tx, live_person(tx, live))

    return run_in_transaction(uow, locked)


def actor_of(actor: str | None) -> str:
    """Who acts, checked: text of at most 254 characters, without NUL."""
    checked = check_text(actor, "actor", MAX_ACTOR)
    if checked is None:
        raise ValidationFailed([FieldError("actor", actor, "is required: who gives the feedback")])
    return checked


def accept(uow: UnitOfWork, *, person_id: int, actor: str, now: float | None = None) -> Feedback:
    """Sales accepts a handed-over lead: MQL → SAL; a rep who accepts a lead nobody owns becomes its owner."""
    who, ts = actor_of(actor), resolve_now(now)

    def work(tx: UnitOfWork, person: Person) -> Feedback:
        current = Stage(person.lifecycle_stage)
        check_action(Action.ACCEPT, current, person.id)
        record_in(tx, Transition(person.id, current.value, Stage.SAL.value, ts, who))
        if person.owner is None and email_problem(who) is None:
            _take_ownership_in(tx, person, normalise_email(who), ts)
        tx.outbox.add(LeadAccepted(person.id, current.value, who, ts), ts)
        stop_clocks_in(tx, person.id, ts)
        return Feedback("accept", person.id, current.value, Stage.SAL.value, None, who, ts)

    return act(uow, person_id, work)


def _take_ownership_in(uow: UnitOfWork, person: Person, rep: str, at: float) -> None:
    """The accepting rep owns the lead from now on, recorded as a manual assignment by them."""
    uow.people.update(person.id, {"owner": rep}, at)
    uow.assignments.add(
        {
            "person_id": person.id,
            "owner": rep,
            "method": Method.MANUAL.value,
            "reason": f"manual: taken by {rep} on accepting the lead"[:500],
            "actor": rep,
            "assigned_ts": at,
        }
    )


def reject(
    uow: UnitOfWork,
    *,
    person_id: int,
    reason: str | None,
    actor: str,
    reasons: FeedbackReasons | None = None,
    now: float | None = None,
) -> Feedback:
    """Sales rejects a handed-over lead: recycled or disqualified, as the reason says."""
    target = (reasons or FeedbackReasons.default()).rejected_to(reason)
    code, who, ts = str(reason), actor_of(actor), resolve_now(now)

    def work(tx: UnitOfWork, person: Person) -> Feedback:
        current = Stage(person.lifecycle_stage)
        check_action(Action.REJECT, current, person.id)
        record_in(tx, Transition(person.id, current.value, target.value, ts, who, code))
        tx.outbox.add(LeadRejected(person.id, current.value, target.value, code, who, ts), ts)
        stop_clocks_in(tx, person.id, ts)
        return Feedback("reject", person.id, current.value, target.value, code, who, ts)

    return act(uow, person_id, work)


def step_back(
    uow: UnitOfWork,
    *,
    person_id: int,
    reason: str | None,
    actor: str,
    reasons: FeedbackReasons | None = None,
    now: float | None = None,
) -> Feedback:
    """Sales returns an accepted lead (SAL or SQL) to marketing: recycled, with a reason."""
    code = (reasons or FeedbackReasons.default()).check_step_back(reason)
    who, ts = actor_of(actor), resolve_now(now)

    def work(tx: UnitOfWork, person: Person) -> Feedback:
        current = Stage(person.lifecycle_stage)
        check_action(Action.STEP_BACK, current, person.id)
        record_in(tx, Transition(person.id, current.value, Stage.RECYCLED.value, ts, who, code))
        tx.outbox.add(LeadReturned(person.id, current.value, code, who, ts), ts)
        return Feedback("step-back", person.id, current.value, Stage.RECYCLED.value, code, who, ts)

    return act(uow, person_id, work)
