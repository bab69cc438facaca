"""Sales feedback on SQLite and PostgreSQL: each action's stage, history, outbox message and deal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from liidi.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from liidi.services import deals, feedback, lifecycle
from liidi.services.people import identify, merge_people
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import NOW

NewUow = Callable[[], UnitOfWork]
REP = "rep@firma.fi"


def mql(new_uow: NewUow, email: str = "lead@kivikoski.fi") -> int:
    pid = identify(new_uow(), email=email, now=NOW - 100).person_id
    lifecycle.transition(new_uow(), person_id=pid, to="mql", actor="scoring", now=NOW - 50)
    return pid


def state(new_uow: NewUow, pid: int) -> dict[str, Any]:
    """The person's stage, history, open and closed deals and the outbox topics, oldest first."""
    with new_uow() as uow:
        person = uow.people.get(pid)
        assert person is not None
        history = uow.lifecycle.history(pid)
        deals_ = [o for o in uow.opportunities.for_account(person.account_id)] if person.account_id else []
        outbox = [(row["topic"], row["payload"]) for row in uow.outbox.pending()]
    return {"stage": person.lifecycle_stage, "history": history, "deals": deals_, "outbox": outbox}


def topics(info: dict[str, Any]) -> list[str]:
    return [topic for topic, _ in info["outbox"]]


def test_accepting_a_hand_over_makes_an_sal_recorded_with_the_rep_and_announced(new_uow: NewUow) -> None:
    pid = mql(new_uow)
    done = feedback.accept(new_uow(), person_id=pid, actor=REP, now=NOW)
    info = state(new_uow, pid)
    assert (done.from_stage, done.to_stage, info["stage"]) == ("mql", "sal", "sal")
    last = info["history"][-1]
    assert (last["from_stage"], last["to_stage"], last["actor"], last["occurred_ts"]) == (
        "mql",
        "sal",
        REP,
        NOW,
    )
    assert topics(info)[-2:] == ["lead.stage_changed", "lead.accepted"]
    assert info["outbox"][-1][1] == {"person_id": pid, "from_stage": "mql", "actor": REP, "occurred_ts": NOW}


def test_a_rep_who_accepts_a_lead_nobody_owns_becomes_its_owner_on_record(new_uow: NewUow) -> None:
    pid = mql(new_uow)
    feedback.accept(new_uow(), person_id=pid, actor=" Rep@Firma.fi ", now=NOW)
    with new_uow() as uow:
        person = uow.people.get(pid)
        [given] = uow.assignments.history(pid)
    assert person is not None and person.owner == REP
    assert (given["owner"], given["method"], given["actor"], given["assigned_ts"]) == (
        REP,
        "manual",
        REP,
        NOW,
    )
    assert "accepting" in given["reason"]


def test_accepting_keeps_the_owner_a_lead_already_has_and_a_system_actor_takes_nothing(
    new_uow: NewUow,
) -> None:
    owned, unowned = mql(new_uow), mql(new_uow, "other@kivikoski.fi")
    with new_uow() as uow:
        uow.people.update(owned, {"owner": "anna@firma.fi"}, NOW - 10)
        uow.commit()
    feedback.accept(new_uow(), person_id=owned, actor=REP, now=NOW)
    feedback.accept(new_uow(), person_id=unowned, actor="crm-sync", now=NOW)
    with new_uow() as uow:
        assert [p.owner for p in (uow.people.get(owned), uow.people.get(unowned)) if p] == [
            "anna@firma.fi",
            None,
        ]
        assert uow.assignments.history(owned) == [] and uow.assignments.history(unowned) == []


@pytest.mark.parametrize(("reason", "stage"), [("not_ready", "recycled"), ("student", "disqualified")])
def test_a_rejection_moves_the_lead_where_its_reason_says(new_uow: NewUow, reason: str, stage: str) -> None:
    pid = mql(new_uow)
    feedback.reject(new_uow(), person_id=pid, reason=reason, actor=REP, now=NOW)
    info = state(new_uow, pid)
    assert info["stage"] == stage
    assert (info["history"][-1]["reason"], info["history"][-1]["actor"]) == (reason, REP)
    topic, payload = info["outbox"][-1]
    assert topic == "lead.rejected" and (payload["to_stage"], payload["reason"]) == (stage, reason)


def test_an_unknown_reason_stores_nothing(new_uow: NewUow) -> None:
    pid = mql(new_uow)
    before = state(new_uow, pid)
    with pytest.raises(ValidationFailed):
        feedback.reject(new_uow(), person_id=pid, reason="bored", actor=REP, now=NOW)
    assert state(new_uow, pid) == before


def test_a_step_back_returns_an_sql_to_marketing_with_its_reason(new_uow: NewUow) -> None:
    pid = mql(new_uow)
    feedback.accept(new_uow(), person_id=pid, actor=REP, now=NOW)
    deals.convert(new_uow(), person_id=pid, actor=REP, now=NOW + 1)
    done = feedback.step_back(new_uow(), person_id=pid, reason="timing", actor=REP, now=NOW + 2)
    info = state(new_uow, pid)
    assert (done.from_stage, info["stage"]) == ("sql", "recycled")
    assert info["history"][-1]["reason"] == "timing"
    assert info["outbox"][-1] == (
        "lead.returned",
        {"person_id": pid, "from_stage": "sql", "reason": "timing", "actor": REP, "occurred_ts": NOW + 2},
    )


def test_converting_an_sal_to_an_opportunity_passes_through_sql_and_opens_a_deal(new_uow: NewUow) -> None:
    pid = mql(new_uow)
    feedback.accept(new_uow(), person_id=pid, actor=REP, now=NOW)
    done = deals.convert(
        new_uow(), person_id=pid, actor=REP, opportunity=True, amount=12000, currency="eur", now=NOW + 1
    )
    info = state(new_uow, pid)
    assert info["stage"] == "opportunity"
    assert [(h["from_stage"], h["to_stage"]) for h in info["history"][-2:]] == [
        ("sal", "sql"),
        ("sql", "opportunity"),
    ]
    assert info["history"][-1]["amount"] == 12000.0
    [deal] = info["deals"]
    assert (deal["stage"], deal["amount"], deal["currency"], deal["person_id"]) == (
        "open",
        12000.0,
        "EUR",
        pid,
    )
    assert deal["name"] == "deal for lead@kivikoski.fi" and deal["owner"] == REP
    assert done.deal is not None and done.deal["id"] == deal["id"]
    topic, payload = info["outbox"][-1]
    assert topic == "lead.converted" and (payload["deal_id"], payload["amount"]) == (deal["id"], 12000.0)


def test_converting_an_sql_again_to_sql_is_refused_naming_the_open_actions(new_uow: NewUow) -> None:
    pid = mql(new_uow)
    feedback.accept(new_uow(), person_id=pid, actor=REP, now=NOW)
    deals.convert(new_uow(), person_id=pid, actor=REP, now=NOW + 1)
    with pytest.raises(InvalidTransition) as caught:
        deals.convert(new_uow(), person_id=pid, actor=REP, now=NOW + 2)
    assert caught.value.allowed == ["step-back", "convert"]


def opportunity(new_uow: NewUow, amount: float = 12000.0) -> int:
    pid = mql(new_uow)
    feedback.accept(new_uow(), person_id=pid, actor=REP, now=NOW)
    deals.convert(new_uow(), person_id=pid, actor=REP, opportunity=True, amount=amount, now=NOW + 1)
    return pid


def test_a_won_deal_is_closed_at_its_final_amount_and_the_person_becomes_a_customer(new_uow: NewUow) -> None:
    pid = opportunity(new_uow)
    deals.close(new_uow(), person_id=pid, won=True, actor=REP, amount=12500, now=NOW + 10)
    info = state(new_uow, pid)
    [deal] = info["deals"]
    assert (deal["stage"], deal["amount"], deal["closed_ts"]) == ("won", 12500.0, NOW + 10)
    assert info["stage"] == "customer" and info["history"][-1]["amount"] == 12500.0
    topic, payload = info["outbox"][-1]
    assert topic == "deal.closed"
    assert (payload["outcome"], payload["amount"], payload["to_stage"]) == ("won", 12500.0, "customer")


def test_a_lost_deal_keeps_its_amount_and_recycles_or_disqualifies_by_reason(new_uow: NewUow) -> None:
    pid = opportunity(new_uow)
    done = deals.close(new_uow(), person_id=pid, won=False, reason="not_a_fit", actor=REP, now=NOW + 10)
    info = state(new_uow, pid)
    [deal] = info["deals"]
    assert (deal["stage"], deal["lost_reason"], deal["amount"]) == ("lost", "not_a_fit", 12000.0)
    assert info["stage"] == "disqualified" and done.to_stage == "disqualified"
    assert info["history"][-1]["reason"] == "not_a_fit"


def test_closing_without_an_open_deal_is_a_conflict_and_writes_nothing(new_uow: NewUow) -> None:
    pid = opportunity(new_uow)
    deals.close(new_uow(), person_id=pid, won=True, actor=REP, now=NOW + 10)
    before = state(new_uow, pid)
    with pytest.raises(Conflict) as caught:
        deals.close(new_uow(), person_id=pid, won=True, actor=REP, now=NOW + 20)
    assert "no open deal" in caught.value.message
    assert state(new_uow, pid) == before


def test_with_two_open_deals_the_one_to_close_must_be_named(new_uow: NewUow) -> None:
    pid = opportunity(new_uow)
    feedback_deal = state(new_uow, pid)["deals"][0]["id"]
    with new_uow() as uow:
        person = uow.people.get(pid)
        assert person is not None
        other = uow.opportunities.add(
            {
                "person_id": pid,
                "account_id": person.account_id,
                "name": "add-on",
                "stage": "open",
                "amount": 500.0,
                "currency": "EUR",
                "created_ts": NOW + 5,
            }
        )
        uow.commit()
    with pytest.raises(Conflict) as caught:
        deals.close(new_uow(), person_id=pid, won=True, actor=REP, now=NOW + 10)
    assert f"{feedback_deal}, {other}" in caught.value.message
    deals.close(new_uow(), person_id=pid, won=True, actor=REP, deal_id=other, now=NOW + 10)
    stages = {d["id"]: d["stage"] for d in state(new_uow, pid)["deals"]}
    assert stages == {feedback_deal: "open", other: "won"}


def test_feedback_on_a_merged_id_reaches_the_surviving_person(new_uow: NewUow) -> None:
    survivor = mql(new_uow, "anna@kivikoski.fi")
    merged = identify(new_uow(), email="anna.k@kivikoski.fi", now=NOW).person_id
    merge_people(new_uow(), survivor_id=survivor, merged_id=merged, actor="test", now=NOW)
    done = feedback.accept(new_uow(), person_id=merged, actor=REP, now=NOW + 1)
    assert done.person_id == survivor and state(new_uow, survivor)["stage"] == "sal"


def test_feedback_for_a_person_that_does_not_exist_is_not_found(new_uow: NewUow) -> None:
    with pytest.raises(NotFound):
        feedback.accept(new_uow(), person_id=999_999, actor=REP, now=NOW)
