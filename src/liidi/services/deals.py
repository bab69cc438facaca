"""Closing a person's open deal: won makes them a customer, lost sends them where the lost reason says."""

from __future__ import annotations

from typing import Any

from liidi.domain.feedback import FeedbackReasons, check_amount, check_text
from liidi.domain.lifecycle import Stage
from liidi.domain.messages import DealClosed
from liidi.domain.people import Person
from liidi.errors import Conflict
from liidi.services.clock import resolve_now
from liidi.services.feedback import Feedback, act, actor_of, deal_out
from liidi.services.lifecycle import Transition, record_in
from liidi.services.unit_of_work import UnitOfWork


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
        stored = deal_out(deal | closed)
        return Feedback("close", person.id, current.value, after.value, code, who, ts, stored)

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
