"""Dated stage changes and deals loaded from a CRM's past."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from liidi.errors import ValidationFailed
from liidi.services import lifecycle
from liidi.services.accounts import upsert_accounts
from liidi.services.history import import_deals, import_history
from liidi.services.people import identify
from liidi.services.unit_of_work import UnitOfWork
from liidi.storage.tables import opportunities
from tests.builders import NOW

NewUow = Callable[[], UnitOfWork]
DAY = 86400.0


def person(new_uow: NewUow, email: str = "lead@firma.fi") -> int:
    return identify(new_uow(), email=email, now=NOW - 400 * DAY).person_id


def stages(new_uow: NewUow, pid: int) -> list[tuple[str | None, str, float]]:
    rows = lifecycle.history(new_uow(), person_id=pid)["history"]
    return [(r["from_stage"], r["to_stage"], r["occurred_ts"]) for r in rows]


def test_dated_changes_keep_their_dates_may_skip_stages_and_set_the_latest_stage(new_uow: NewUow) -> None:
    pid = person(new_uow)
    records = [
        {"email": "lead@firma.fi", "to": "customer", "occurred_at": "2017-03-01", "amount": "1054"},
        {"email": "lead@firma.fi", "to": "mql", "occurred_at": "2016-10-20T09:00:00Z", "actor": "crm"},
    ]
    done = import_history(new_uow(), records=records, now=NOW)
    assert (done.created, done.already_stored) == (2, 0)
    assert stages(new_uow, pid) == [(None, "mql", 1476954000.0), ("mql", "customer", 1488326400.0)]
    info = lifecycle.history(new_uow(), person_id=pid)
    assert info["stage"] == "customer"
    assert info["history"][1]["amount"] == 1054.0 and info["history"][0]["actor"] == "crm"


def test_importing_the_same_file_twice_adds_nothing(new_uow: NewUow) -> None:
    pid = person(new_uow)
    records = [{"person_id": str(pid), "to": "sal", "occurred_at": "1600000000"}]
    import_history(new_uow(), records=records, now=NOW)
    again = import_history(new_uow(), records=records, now=NOW)
    assert (again.created, again.already_stored) == (0, 1)
    assert len(stages(new_uow, pid)) == 1


def test_an_older_imported_change_does_not_overwrite_a_later_one_made_by_the_engine(new_uow: NewUow) -> None:
    pid = person(new_uow)
    lifecycle.transition(new_uow(), person_id=pid, to="mql", actor="rep@firma.fi", now=NOW)
    import_history(
        new_uow(), records=[{"email": "lead@firma.fi", "to": "disqualified", "occurred_at": NOW - DAY}]
    )
    info = lifecycle.history(new_uow(), person_id=pid)
    assert info["stage"] == "mql"
    assert [h["to_stage"] for h in info["history"]] == ["disqualified", "mql"]


def test_a_bad_row_refuses_the_whole_file_naming_field_value_and_item(new_uow: NewUow) -> None:
    pid = person(new_uow)
    records = [
        {"email": "lead@firma.fi", "to": "mql", "occurred_at": "2017-01-01"},
        {"email": "lead@firma.fi", "to": "won", "occurred_at": "yesterday"},
        {"email": "nobody@firma.fi", "to": "mql", "occurred_at": "2017-01-01"},
    ]
    with pytest.raises(ValidationFailed) as caught:
        import_history(new_uow(), records=records, now=NOW)
    found = {(e.field, e.value, e.index) for e in caught.value.errors}
    assert found == {("to", "won", 1), ("occurred_at", "yesterday", 1)}
    with pytest.raises(ValidationFailed) as unknown:
        import_history(new_uow(), records=[records[0], records[2]], now=NOW)
    assert [(e.field, e.value, e.index) for e in unknown.value.errors] == [("email", "nobody@firma.fi", 1)]
    assert stages(new_uow, pid) == []


def maven_deals() -> list[dict[str, str]]:
    return [
        {"external_id": "1C1I7A6R", "owner": "Moses Frase", "account_name": "Cancity", "stage": "Won",
         "created_at": "2016-10-20", "closed_at": "2017-03-01", "amount": "1054", "currency": "USD"},
        {"external_id": "ZZ2", "owner": "Darcel Schlecht", "account_name": "Cancity", "stage": "Lost",
         "created_at": "2016-10-25", "closed_at": "2017-03-11", "amount": "0", "lost_reason": "price"},
        {"external_id": "ZZ3", "owner": "Darcel Schlecht", "email": "lead@firma.fi", "stage": "Engaging",
         "created_at": "2017-12-27", "closed_at": "", "amount": ""},
    ]  # fmt: skip


def test_deals_are_upserted_by_external_id_with_accounts_by_name_and_people_by_email(new_uow: NewUow) -> None:
    pid = person(new_uow)
    upsert_accounts(new_uow(), records=[{"name": "Cancity", "domain": "cancity.example"}], now=NOW)
    first = import_deals(new_uow(), records=maven_deals(), now=NOW)
    again = import_deals(new_uow(), records=maven_deals(), now=NOW)
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    with new_uow() as uow:
        rows = {r.external_id: r for r in uow.conn.execute(select(opportunities))}
    assert len(rows) == 3
    won, lost, open_ = rows["1C1I7A6R"], rows["ZZ2"], rows["ZZ3"]
    assert (won.stage, won.amount, won.currency, won.owner) == ("won", 1054.0, "USD", "Moses Frase")
    assert won.closed_ts == 1488326400.0 and won.account_id == lost.account_id is not None
    assert (lost.stage, lost.lost_reason) == ("lost", "price")
    assert (open_.stage, open_.person_id, open_.closed_ts, open_.amount) == ("open", pid, None, None)
    with new_uow() as uow:
        assert open_.account_id == uow.people.account_ids({pid})[pid] is not None


def test_a_deal_imported_twice_is_reported_unchanged_and_only_a_changed_one_updated(new_uow: NewUow) -> None:
    person(new_uow)
    upsert_accounts(new_uow(), records=[{"name": "Cancity", "domain": "cancity.example"}], now=NOW)
    undated = {"external_id": "ZZ4", "email": "lead@firma.fi", "stage": "Prospecting"}
    import_deals(new_uow(), records=[*maven_deals(), undated], now=NOW - DAY)
    closed = maven_deals()
    closed[2] |= {"stage": "Won", "closed_at": "2018-01-15", "amount": "2500"}
    done = import_deals(new_uow(), records=[*closed, undated], now=NOW)
    assert (done.records, done.created, done.updated, done.unchanged) == (4, 0, 1, 3)
    with new_uow() as uow:
        rows = {r.external_id: r for r in uow.conn.execute(select(opportunities))}
    assert (rows["ZZ3"].stage, rows["ZZ3"].amount, rows["ZZ3"].closed_ts) == ("won", 2500.0, 1515974400.0)
    assert rows["ZZ4"].created_ts == NOW - DAY  # a deal without created_at keeps the date it was first stored
    again = import_deals(new_uow(), records=[*closed, undated], now=NOW + DAY)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


def test_a_deal_of_an_unknown_account_or_a_close_before_creation_stores_nothing(new_uow: NewUow) -> None:
    bad = [
        {"external_id": "A", "account_name": "Nowhere Inc", "stage": "Won"},
        {
            "external_id": "B",
            "account_name": "Nowhere Inc",
            "created_at": "2017-02-01",
            "closed_at": "2017-01-01",
        },
    ]
    with pytest.raises(ValidationFailed) as caught:
        import_deals(new_uow(), records=bad, now=NOW)
    assert [(e.field, e.index) for e in caught.value.errors] == [("closed_at", 1)]
    with pytest.raises(ValidationFailed) as unknown:
        import_deals(new_uow(), records=bad[:1], now=NOW)
    assert [(e.field, e.value) for e in unknown.value.errors] == [("account_name", "Nowhere Inc")]
    with new_uow() as uow:
        assert uow.conn.execute(select(opportunities)).first() is None


def test_a_change_may_name_its_person_by_their_crm_id(new_uow: NewUow) -> None:
    pid = person(new_uow)
    with new_uow() as uow:
        uow.identities.add("external_id", "7927b2df-8bba", pid, NOW)
        uow.commit()
    records = [{"external_id": "7927b2df-8bba", "to": "customer", "occurred_at": "2017-03-01"}]
    assert import_history(new_uow(), records=records, now=NOW).created == 1
    assert lifecycle.history(new_uow(), person_id=pid)["stage"] == "customer"
