"""Sales feedback as use cases: accept, reject, step back, convert and close a deal, each one transaction.

Every action locks the person, checks their stage, records the stage change(s) with actor and reason
(each also announced as `lead.stage_changed`) and writes its own message to the outbox with them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from liidi.domain.feedback import (
    Action,
    FeedbackReasons,
    actions_from,
    check_action,
    check_amount,
    check_currency,
    check_text,
)
from liidi.domain.lifecycle import Stage
from liidi.domain.messages import LeadAccepted, LeadConverted, LeadRejected, LeadReturned
from liidi.domain.people import Person
from liidi.errors import FieldError, InvalidTransition, ValidationFailed
from liidi.services.clock import resolve_now
from liidi.services.identity import live_person, live_person_id, lock_people_in
from liidi.services.lifecycle import Transition, record_in
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
    """Sales accepts a handed-over lead: MQL → SAL."""
    who, ts = actor_of(actor), resolve_now(now)

    def work(tx: UnitOfWork, person: Person) -> Feedback:
        current = Stage(person.lifecycle_stage)
        check_action(Action.ACCEPT, current, person.id)
        record_in(tx, Transition(person.id, current.value, Stage.SAL.value, ts, who))
        tx.outbox.add(LeadAccepted(person.id, current.value, who, ts), ts)
        return Feedback("accept", person.id, current.value, Stage.SAL.value, None, who, ts)

    return act(uow, person_id, work)


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


def convert(
    uow: UnitOfWork,
    *,
    person_id: int,
    actor: str,
    opportunity: bool = False,
    amount: float | None = None,
    currency: str | None = None,
    name: str | None = None,
    now: float | None = None,
) -> Feedback:
    """SAL → SQL; or, with `opportunity`, SAL or SQL → opportunity with a new open deal."""
    if not opportunity and (amount is not None or currency is not None or name is not None):
        given = "amount" if amount is not None else "currency" if currency is not None else "name"
        reason = "a deal's amount, currency and name go with converting to an opportunity"
        value = amount if given == "amount" else currency if given == "currency" else name
        raise ValidationFailed([FieldError(given, value, reason)], f"{given} {value!r}: {reason}")
    deal = _deal_values(amount, currency, name) if opportunity else None
    who, ts = actor_of(actor), resolve_now(now)

    def work(tx: UnitOfWork, person: Person) -> Feedback:
        current = Stage(person.lifecycle_stage)
        target = Stage.OPPORTUNITY if deal is not None else Stage.SQL
        check_action(Action.CONVERT, current, person.id)
        if deal is None and current is Stage.SQL:
            open_now = actions_from(current)
            raise InvalidTransition(
                f"person {person.id} is already an sql; convert it to an opportunity with a deal", open_now
            )
        stored = _convert_in(tx, person, current, deal, who, ts)
        tx.outbox.add(
            LeadConverted(
                person.id,
                current.value,
                target.value,
                stored["id"] if stored else None,
                stored["amount"] if stored else None,
                stored["currency"] if stored else None,
                who,
                ts,
            ),
            ts,
        )
        return Feedback("convert", person.id, current.value, target.value, None, who, ts, stored)

    return act(uow, person_id, work)


def _deal_values(amount: float | None, currency: str | None, name: str | None) -> dict[str, Any]:
    return {
        "amount": check_amount(amount),
        "currency": check_currency(currency),
        "name": check_text(name, "name", 300),
    }


def _convert_in(
    tx: UnitOfWork, person: Person, current: Stage, deal: dict[str, Any] | None, who: str, ts: float
) -> dict[str, Any] | None:
    """The moves (through SQL when needed) and, for an opportunity, the open deal stored."""
    if current is Stage.SAL:
        record_in(tx, Transition(person.id, current.value, Stage.SQL.value, ts, who))
    if deal is None:
        return None
    values = {
        "external_id": None,
        "account_id": person.account_id,
        "person_id": person.id,
        "name": deal["name"] or f"deal for {person.handle}",
        "stage": "open",
        "amount": deal["amount"],
        "currency": deal["currency"],
        "created_ts": ts,
        "closed_ts": None,
        "lost_reason": None,
        "owner": person.owner or who,
    }
    deal_id = tx.opportunities.add(values)
    record_in(
        tx, Transition(person.id, Stage.SQL.value, Stage.OPPORTUNITY.value, ts, who, amount=deal["amount"])
    )
    return deal_out(values | {"id": deal_id})


def deal_out(row: dict[str, Any]) -> dict[str, Any]:
    """A deal as the API and CLI show it."""
    return {
        "id": row["id"],
        "name": row["name"],
        "stage": row["stage"],
        "amount": row["amount"],
        "currency": row["currency"],
        "owner": row["owner"],
        "created_ts": row["created_ts"],
        "closed_ts": row["closed_ts"],
        "lost_reason": row["lost_reason"],
    }
