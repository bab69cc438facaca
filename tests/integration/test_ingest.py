"""Ingestion and identity resolution against real SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from liidi.errors import PayloadTooLarge, ValidationFailed
from liidi.services import ingest, queries
from liidi.services.people import identify
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import NOW, event

NewUow = Callable[[], UnitOfWork]


def track(new_uow: NewUow, events: list[dict[str, object]]) -> ingest.IngestResult:
    return ingest.track_events(new_uow(), events=events, now=NOW)


def test_events_of_one_email_make_one_person(new_uow: NewUow) -> None:
    result = track(new_uow, [event(id=f"e{i}", email="Anna.Virtanen@Kivikoski.fi ") for i in range(3)])
    assert result.stored == 3 and result.people_created == 1
    assert {item.person_id for item in result.items} == {result.items[0].person_id}
    people = queries.list_people(new_uow(), filters={})
    assert [p.email for p in people] == ["anna.virtanen@kivikoski.fi"]


def test_a_resent_batch_changes_nothing_and_says_so(new_uow: NewUow) -> None:
    batch = [event(id=f"e{i}", email="a@kivikoski.fi") for i in range(5)]
    track(new_uow, batch)
    again = track(new_uow, batch)
    assert again.stored == 0 and again.duplicates == 5
    assert all(item.status == "duplicate" for item in again.items)
    assert queries.counts(new_uow())["events"] == 5


def test_events_without_ids_are_deduplicated_by_content(new_uow: NewUow) -> None:
    batch = [event(email="a@kivikoski.fi", properties={"path": "/palvelut/pilvi"})]
    track(new_uow, batch)
    assert track(new_uow, batch).duplicates == 1


def test_one_invalid_item_refuses_the_whole_batch(new_uow: NewUow) -> None:
    batch = [event(id="ok", email="a@kivikoski.fi"), event("nonsense", id="bad", email="b@kivikoski.fi")]
    with pytest.raises(ValidationFailed) as caught:
        track(new_uow, batch)
    error = caught.value.errors[0]
    assert (error.index, error.field, error.value) == (1, "type", "nonsense")
    assert queries.counts(new_uow()) == {"people": 0, "accounts": 0, "events": 0}


def test_an_unknown_person_id_refuses_the_batch_without_partial_writes(new_uow: NewUow) -> None:
    with pytest.raises(ValidationFailed) as caught:
        track(new_uow, [event(id="a", email="a@kivikoski.fi"), event(id="b", person_id=999)])
    assert caught.value.errors[0].field == "person_id"
    assert queries.counts(new_uow())["events"] == 0
    assert queries.counts(new_uow())["people"] == 0


def test_a_batch_over_the_limit_is_refused(new_uow: NewUow) -> None:
    with pytest.raises(PayloadTooLarge):
        ingest.track_events(new_uow(), events=[event(email="a@b.fi")] * 3, now=NOW, max_batch=2)


def test_work_email_domain_matches_an_account_and_free_mail_does_not(new_uow: NewUow) -> None:
    track(new_uow, [event(id="1", email="a@kivikoski.fi"), event(id="2", email="b@kivikoski.fi")])
    track(new_uow, [event(id="3", email="someone@gmail.com")])
    people = {p.email: p for p in queries.list_people(new_uow(), filters={})}
    assert people["a@kivikoski.fi"].account_id == people["b@kivikoski.fi"].account_id is not None
    assert people["someone@gmail.com"].account_id is None
    accounts = queries.list_accounts(new_uow(), filters={})
    assert [(a.domain, a.name) for a in accounts] == [("kivikoski.fi", "Kivikoski")]


def test_an_explicit_account_wins_over_the_email_domain(new_uow: NewUow) -> None:
    result = identify(new_uow(), email="ceo@gmail.com", traits={"account_domain": "kivikoski.fi"}, now=NOW)
    view = queries.get_person(new_uow(), person_id=result.person_id)
    assert view.account is not None and view.account.domain == "kivikoski.fi"


def test_anonymous_history_joins_the_person_when_identified(new_uow: NewUow) -> None:
    track(
        new_uow,
        [event(id=f"v{i}", anonymous_id="anon-1", properties={"path": "/palvelut/pilvi"}) for i in range(4)],
    )
    result = identify(new_uow(), email="matti@kivikoski.fi", anonymous_id="anon-1", now=NOW)
    assert result.events_attributed == 4
    later = track(new_uow, [event(id="v9", anonymous_id="anon-1")])
    assert later.items[0].person_id == result.person_id
    view = queries.get_person(new_uow(), person_id=result.person_id)
    assert view.event_count == 5
    assert all(e.account_id == view.person.account_id for e in view.events)


def test_an_event_with_email_and_anonymous_id_stitches_the_history(new_uow: NewUow) -> None:
    batch = [
        event(id="v1", anonymous_id="anon-2"),
        event("download", id="d1", anonymous_id="anon-2", email="x@firma.fi"),
    ]
    result = track(new_uow, batch)
    person_id = result.items[1].person_id
    assert person_id is not None
    assert queries.get_person(new_uow(), person_id=person_id).event_count == 2


def test_title_gives_the_buying_group_role(new_uow: NewUow) -> None:
    result = identify(new_uow(), email="t@firma.fi", traits={"title": "Toimitusjohtaja"}, now=NOW)
    person = queries.get_person(new_uow(), person_id=result.person_id).person
    assert person.role.value == "decision_maker" and person.seniority.value == "c_level"
