"""Deals from feedback: converting a lead (an SQL, or an opportunity with an open deal) and closing it.

Closing wins the deal (the person becomes a customer) or loses it with a configured reason, which sends
a person in `opportunity` back to marketing or out.
"""

from __future__ import annotations

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
from liidi.domain.messages import DealClosed, LeadConverted
from liidi.domain.people import Person
from liidi.errors import Conflict, FieldError, InvalidTransition, ValidationFailed
from liidi.services.clock import resolve_now
from liidi.services.feedback import Feedback, act, actor_of
from liidi.services.lifecycle import Transition, record_in
from liidi.services.unit_of_work import UnitOfWork


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
    if not opportunity:
        _no_deal(amount, currency, name)
    deal = _deal_values(amount, currency, name) if opportunity else None
    target = Stage.OPPORTUNITY if deal is not None else Stage.SQL
    who, ts = actor_of(actor), resolve_now(now)

    def work(tx: UnitOfWork, person: Person) -> Feedback:
        current = Stage(person.lifecycle_stage)
        check_action(Action.CONVERT, current, person.id)
        if deal is None and current is Stage.SQL:
            message = f"person {person.id} is already an sql; convert it to an opportunity with a deal"
            raise InvalidTransition(message, actions_from(current))
        if current is Stage.SAL:
            record_in(tx, Transition(person.id, current.value, Stage.SQL.value, ts, who))
        stored = None if deal is None else _open_in(tx, person, deal, who, ts)
        opened = stored or {"id": None, "amount": None, "currency": None}
        converted = LeadConverted(
            person.id,
            current.value,
            target.value,
            opened["id"],
            opened["amount"],
            opened["currency"],
            who,
            ts,
        )
        tx.outbox.add(converted, ts)
        return Feedback("convert", person.id, current.value, target.value, None, who, ts, stored)

    return act(uow, person_id, work)


def _no_deal(amount: float | None, currency: str | None, name: str | None) -> None:
    """Refuse a deal's values given without `opportunity`."""
    given = [(f, v) for f, v in (("amount", amount), ("currency", currency), ("name", name)) if v is not None]
    if given:
        field, value = given[0]
        reason = "a deal's amount, currency and name go with converting to an opportunity"
        raise ValidationFailed([FieldError(field, value, reason)], f"{field} {value!r}: {reason}")


def _deal_values(amount: float | None, currency: str | None, name: str | None) -> dict[str, Any]:
    return {
        "amount": check_amount(amount),
        "currency": check_currency(currency),
        "name": check_text(name, "name", 300),
    }


def _open_in(tx: UnitOfWork, person: Person, deal: dict[str, Any], who: str, ts: float) -> dict[str, Any]:
    """Store the open deal and move the SQL to opportunity with its amount."""
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
    move = Transition(person.id, Stage.SQL.value, Stage.OPPORTUNITY.value, ts, who, amount=deal["amount"])
    record_in(tx, move)
    return deal_out(values | {"id": deal_id})


def close(
    uow: UnitOfWork,
    *,
    person_id: int,
    won: bool,
    actor: str,
    reason: str | None = None,
    amount: float | None = None,
    deal_id: int | None = None,
    reasons: FeedbackReasons | None = None,
    now: float | None = None,
) -> Feedback:
    """Close the person's open deal (the one named by `deal_id` when they have several) as won or lost.

    Won: the deal is won (at `amount` when given) and the person becomes a customer. Lost: the deal is
    lost with a configured reason, and a person in `opportunity` is recycled or disqualified as the
    reason says (anyone else keeps their stage). No open deal answers Conflict.
    """
    rules = reasons or FeedbackReasons.default()
    target = None if won else rules.lost_to(reason)
    code = check_text(reason, "reason") if won else reason
    value, who, ts = check_amount(amount), actor_of(actor), resolve_now(now)

    def work(tx: UnitOfWork, person: Person) -> Feedback:
        deal = _open_deal(tx, person, deal_id)
        outcome = "won" if won else "lost"
        final: float | None = deal["amount"] if value is None else value
        closed = {"stage": outcome, "closed_ts": ts, "amount": final, "lost_reason": None if won else code}
        tx.opportunities.close(deal["id"], closed)
        current = Stage(person.lifecycle_stage)
        after = _person_after(current, target)
        if after is not current:
            record_in(tx, Transition(person.id, current.value, after.value, ts, who, code, amount=final))
        message = DealClosed(
            deal["id"], person.id, outcome, final, deal["currency"], code, after.value, who, ts
        )
        tx.outbox.add(message, ts)
        return Feedback(
            "close", person.id, current.value, after.value, code, who, ts, deal_out(deal | closed)
        )

    return act(uow, person_id, work)


def _person_after(current: Stage, lost_to: Stage | None) -> Stage:
    """Won: customer. Lost: the reason's stage for a person in opportunity; anyone else stays."""
    if lost_to is None:
        return Stage.CUSTOMER
    return lost_to if current is Stage.OPPORTUNITY else current


def _open_deal(tx: UnitOfWork, person: Person, deal_id: int | None) -> dict[str, Any]:
    """The deal to close: the named open deal, or the person's only one; Conflict when there is none."""
    deals = tx.opportunities.open_for(person.id)
    if deal_id is not None:
        found = [d for d in deals if d["id"] == deal_id]
        if not found:
            ids = ", ".join(str(d["id"]) for d in deals) or "none"
            raise Conflict(
                f"deal {deal_id} is not an open deal of person {person.id}; their open deals: {ids}"
            )
        return found[0]
    if not deals:
        raise Conflict(f"person {person.id} has no open deal to close; convert them to an opportunity first")
    if len(deals) > 1:
        ids = ", ".join(str(d["id"]) for d in deals)
        raise Conflict(f"person {person.id} has {len(deals)} open deals ({ids}); name one with deal_id")
    return deals[0]


def deal_out(row: dict[str, Any]) -> dict[str, Any]:
    """A deal as the API and CLI show it."""
    keys = ("id", "name", "stage", "amount", "currency", "owner", "created_ts", "closed_ts", "lost_reason")
    return {k: row[k] for k in keys}
