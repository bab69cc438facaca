"""Routing on a real database: a lead is assigned in the transaction that qualifies it, and recorded."""

from __future__ import annotations

import pytest

from liidi.errors import Conflict, ValidationFailed
from liidi.services import ingest, lifecycle, routing
from liidi.services.people import identify, merge_people
from tests.builders import NOW, event
from tests.routing_support import ROUTING, NewUow, raise_hand, set_up

ACME = {"domain": "acme.fi", "name": "Acme Oy", "country": "FI", "employees": 300}
TARGET = {
    "domain": "kivikoski.fi",
    "name": "Kivikoski",
    "country": "FI",
    "tier": "most_wanted",
    "owner": "bert@firma.fi",
}


def owner_of(new_uow: NewUow, pid: int) -> str | None:
    with new_uow() as uow:
        person = uow.people.get(pid)
    assert person is not None
    return person.owner


def test_a_hand_raiser_is_assigned_in_the_transaction_that_makes_them_an_mql(new_uow: NewUow) -> None:
    set_up(new_uow, accounts=[ACME])
    pid = raise_hand(new_uow, "aino@acme.fi", title="CTO")
    with new_uow() as uow:
        person = uow.people.get(pid)
        [row] = uow.assignments.history(pid)
        [stage, assigned] = uow.outbox.pending()[-2:]
    assert person is not None and (person.lifecycle_stage, person.owner) == ("mql", "anna@firma.fi")
    assert (row["method"], row["rule"], row["team"], row["motion"]) == (
        "round_robin",
        "Nordic countries",
        "nordics",
        "low_touch",
    )
    assert row["reason"] == "round-robin in nordics (1 of 2 this week)" and row["actor"] == "routing"
    assert row["assigned_ts"] == NOW - 3600 and row["routing_version"] == 1
    assert (stage["topic"], assigned["topic"]) == ("lead.stage_changed", "lead.assigned")
    context = assigned["payload"]["context"]
    assert context["person"] == {
        "id": pid,
        "name": "aino@acme.fi",
        "email": "aino@acme.fi",
        "external_id": None,
        "title": "CTO",
        "role": "decision_maker",
    }
    assert context["account"]["domain"] == "acme.fi" and context["account"]["fit_grade"] == "A"
    assert context["hand_raiser"] is True and context["why"][0] == "hand-raiser"
    assert (context["model"], context["owner"], context["team"]) == (
        "handover@v1",
        "anna@firma.fi",
        "nordics",
    )
    assert context["reason"] == row["reason"] and context["sla_due"] is None and context["buying_group"] == []


def test_the_assignment_is_part_of_the_callers_transaction_and_rolls_back_with_it(new_uow: NewUow) -> None:
    set_up(new_uow, accounts=[ACME])
    pid = identify(new_uow(), email="aino@acme.fi", now=NOW).person_id
    commands = ingest.parse_events([event("demo_request", email="aino@acme.fi")], now=NOW, tolerance=0)
    with new_uow() as uow:
        result = ingest.store_events_in(uow, commands, NOW)
        assert [m.to_stage for m in result.stage_changes] == ["mql"]
        assert uow.assignments.history(pid)[0]["owner"] == "anna@firma.fi"  # seen inside, never committed
    with new_uow() as uow:
        assert uow.assignments.history(pid) == [] and uow.outbox.count("lead.assigned") == 0
    assert owner_of(new_uow, pid) is None


def test_without_a_routing_document_a_qualified_lead_gets_no_owner_as_before(new_uow: NewUow) -> None:
    set_up(new_uow, routing_text=None, accounts=[ACME])
    pid = raise_hand(new_uow, "aino@acme.fi")
    with new_uow() as uow:
        assert uow.people.get(pid).lifecycle_stage == "mql"  # type: ignore[union-attr]
        assert uow.assignments.history(pid) == [] and uow.outbox.count("lead.assigned") == 0
    assert owner_of(new_uow, pid) is None


def test_a_known_accounts_lead_goes_to_the_account_owner_with_the_buying_group_for_high_touch(
    new_uow: NewUow,
) -> None:
    set_up(new_uow, accounts=[TARGET])
    colleague = identify(new_uow(), email="cfo@kivikoski.fi", traits={"title": "CFO"}, now=NOW).person_id
    pid = raise_hand(new_uow, "it@kivikoski.fi")
    with new_uow() as uow:
        [row] = uow.assignments.history(pid)
        assigned = uow.outbox.pending()[-1]["payload"]
    assert (row["owner"], row["method"], row["motion"]) == ("bert@firma.fi", "affinity", "high_touch")
    assert row["reason"] == "affinity: owner of kivikoski.fi"
    group = assigned["context"]["buying_group"]
    assert group == [
        {"person_id": colleague, "name": "cfo@kivikoski.fi", "title": "CFO", "role": "decision_maker"}
    ]


def test_capacity_is_counted_from_stored_assignments_and_the_rest_go_to_the_fallback_queue(
    new_uow: NewUow,
) -> None:
    set_up(new_uow, accounts=[ACME])
    owners = [owner_of(new_uow, raise_hand(new_uow, f"p{i}@acme.fi")) for i in range(6)]
    assert (
        owners
        == ["anna@firma.fi", "bert@firma.fi", "anna@firma.fi", "bert@firma.fi"] + ["queue@firma.fi"] * 2
    )
    with new_uow() as uow:
        reasons = [r["reason"] for r in uow.assignments.between(0, NOW + 1)]
    assert reasons[-1] == "fallback: nobody in nordics has capacity"
    next_week = owner_of(new_uow, raise_hand(new_uow, "later@acme.fi", ts=NOW + 7 * 86400 - 60))
    assert next_week == "anna@firma.fi"


def test_a_manual_move_to_sal_assigns_a_person_without_an_owner_and_leaves_an_owned_one(
    new_uow: NewUow,
) -> None:
    set_up(new_uow, accounts=[ACME])
    free = identify(new_uow(), email="free@acme.fi", now=NOW).person_id
    owned = identify(
        new_uow(), email="owned@acme.fi", traits={"owner": "crm.rep@firma.fi"}, now=NOW
    ).person_id
    for pid in (free, owned):
        lifecycle.transition(new_uow(), person_id=pid, to="sal", actor="rep@firma.fi", now=NOW)
    with new_uow() as uow:
        [row] = uow.assignments.history(free)
        assert uow.assignments.history(owned) == []
    assert (row["owner"], row["actor"], row["assigned_ts"]) == ("anna@firma.fi", "rep@firma.fi", NOW)
    assert owner_of(new_uow, owned) == "crm.rep@firma.fi"


def test_a_manual_reassignment_is_recorded_with_actor_and_reason_and_announced(new_uow: NewUow) -> None:
    set_up(new_uow, accounts=[ACME])
    pid = raise_hand(new_uow, "aino@acme.fi")
    done = routing.assign_person(
        new_uow(), person_id=pid, to="Dora@Firma.fi", actor="lead@firma.fi", reason="speaks German", now=NOW
    )
    assert (done.decision.owner, done.decision.team, done.decision.reason) == (
        "dora@firma.fi",
        "rest",
        "manual: speaks German",
    )
    with new_uow() as uow:
        rows = uow.assignments.history(pid)
        payload = uow.outbox.pending()[-1]["payload"]
    assert [(r["owner"], r["method"], r["actor"]) for r in rows] == [
        ("anna@firma.fi", "round_robin", "routing"),
        ("dora@firma.fi", "manual", "lead@firma.fi"),
    ]
    assert (payload["owner"], payload["actor"], payload["motion"]) == (
        "dora@firma.fi",
        "lead@firma.fi",
        "low_touch",
    )
    assert owner_of(new_uow, pid) == "dora@firma.fi"
    with pytest.raises(Conflict):
        routing.assign_person(new_uow(), person_id=pid, to="dora@firma.fi", actor="x", now=NOW)


def test_a_reassignment_to_someone_who_is_not_a_rep_is_refused_and_nothing_is_stored(new_uow: NewUow) -> None:
    set_up(new_uow, accounts=[ACME])
    pid = raise_hand(new_uow, "aino@acme.fi")
    with pytest.raises(ValidationFailed) as caught:
        routing.assign_person(new_uow(), person_id=pid, to="anna@firma.fj", actor="x", now=NOW)
    assert (
        caught.value.errors[0].field == "to"
        and "did you mean anna@firma.fi?" in caught.value.errors[0].reason
    )
    with new_uow() as uow:
        assert len(uow.assignments.history(pid)) == 1 and uow.outbox.count("lead.assigned") == 1


def test_assignments_follow_a_merge_to_the_surviving_person(new_uow: NewUow) -> None:
    set_up(new_uow, accounts=[ACME])
    merged = raise_hand(new_uow, "aino@acme.fi")
    survivor = identify(new_uow(), email="aino.k@acme.fi", now=NOW).person_id
    merge_people(new_uow(), survivor_id=survivor, merged_id=merged, actor="test", now=NOW)
    rows = routing.assignments_of(new_uow(), person_id=merged)  # followed to the survivor
    assert all(r["person_id"] == survivor for r in rows)
    # the survivor qualifies again with the moved hand-raise and keeps the owner it took over
    assert [(r["owner"], r["method"]) for r in rows] == [
        ("anna@firma.fi", "round_robin"),
        ("anna@firma.fi", "kept"),
    ]
    assert rows[1]["reason"] == "kept: already owned by anna@firma.fi"
    assert owner_of(new_uow, survivor) == "anna@firma.fi"


def test_loading_the_same_routing_twice_keeps_one_version_and_a_change_makes_the_next(
    new_uow: NewUow,
) -> None:
    first = routing.load_routing(new_uow(), text=ROUTING, source_name="a.yaml", author="me", now=NOW)
    again = routing.load_routing(
        new_uow(), text="# the same\n" + ROUTING, source_name="a.yaml", author="me", now=NOW
    )
    changed = routing.load_routing(
        new_uow(),
        text=ROUTING.replace("capacity: 2", "capacity: 3"),
        source_name="a.yaml",
        author="you",
        now=NOW,
    )
    assert (first.document.version, first.created) == (1, True)
    assert (again.document.version, again.created) == (1, False)
    assert (changed.document.version, changed.created, changed.document.author) == (2, True, "you")
    shown = routing.show_routing(new_uow())
    assert shown.document.version == 2 and shown.plan.reps[0].capacity == 3


def test_the_fairness_report_counts_the_leads_of_each_rep_over_the_period(new_uow: NewUow) -> None:
    set_up(new_uow, accounts=[ACME])
    for i in range(5):
        raise_hand(new_uow, f"p{i}@acme.fi")
    report = routing.routing_report(new_uow(), now=NOW)
    leads = {s.owner: s.leads for s in report.shares}
    assert leads == {"anna@firma.fi": 2, "bert@firma.fi": 2, "dora@firma.fi": 0, "queue@firma.fi": 1}
    assert report.total == 5 and report.since == NOW - (NOW % 86400) - 0 * 86400  # Monday 00:00 UTC
    earlier = routing.routing_report(new_uow(), since=NOW - 30 * 86400, until=NOW - 7200, now=NOW)
    assert earlier.total == 0
