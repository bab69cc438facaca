"""Merging two people keeps all history and records the merge."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from liidi.errors import Conflict, NotFound
from liidi.services import ingest, queries
from liidi.services.people import identify, merge_people
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import NOW, event

NewUow = Callable[[], UnitOfWork]


def two_people(new_uow: NewUow) -> tuple[int, int]:
    a = identify(new_uow(), email="anna@kivikoski.fi", traits={"title": "CTO"}, now=NOW).person_id
    b = identify(new_uow(), email="anna.k@gmail.com", traits={"first_name": "Anna"}, now=NOW).person_id
    ingest.track_events(new_uow(), events=[event(id="a1", email="anna@kivikoski.fi")], now=NOW)
    ingest.track_events(
        new_uow(), events=[event(id=f"b{i}", email="anna.k@gmail.com") for i in range(2)], now=NOW
    )
    return a, b


def test_merge_moves_events_and_identities_to_the_survivor(new_uow: NewUow) -> None:
    a, b = two_people(new_uow)
    result = merge_people(new_uow(), survivor_id=a, merged_id=b, actor="test", reason="same person", now=NOW)
    assert (result.moved_events, result.moved_identities) == (2, 1)
    view = queries.get_person(new_uow(), person_id=a)
    assert view.event_count == 3
    assert set(view.person.emails) == {"anna@kivikoski.fi", "anna.k@gmail.com"}
    assert view.person.first_name == "Anna" and view.person.title == "CTO"
    assert view.merges[0]["merged_id"] == b and view.merges[0]["reason"] == "same person"


def test_the_merged_id_resolves_to_the_survivor(new_uow: NewUow) -> None:
    a, b = two_people(new_uow)
    merge_people(new_uow(), survivor_id=a, merged_id=b, actor="test", now=NOW)
    view = queries.get_person(new_uow(), person_id=b)
    assert view.person.id == a and view.merged_from == b
    later = ingest.track_events(new_uow(), events=[event(id="late", person_id=b)], now=NOW)
    assert later.items[0].person_id == a
    assert (
        ingest.track_events(new_uow(), events=[event(id="m", email="anna.k@gmail.com")], now=NOW)
        .items[0]
        .person_id
        == a
    )


def test_merging_twice_is_a_conflict_and_unknown_people_are_not_found(new_uow: NewUow) -> None:
    a, b = two_people(new_uow)
    merge_people(new_uow(), survivor_id=a, merged_id=b, actor="test", now=NOW)
    with pytest.raises(Conflict):
        merge_people(new_uow(), survivor_id=a, merged_id=b, actor="test", now=NOW)
    with pytest.raises(NotFound):
        merge_people(new_uow(), survivor_id=a, merged_id=12345, actor="test", now=NOW)


def test_merge_queues_a_domain_event_in_the_outbox(new_uow: NewUow) -> None:
    a, b = two_people(new_uow)
    merge_people(new_uow(), survivor_id=a, merged_id=b, actor="test", now=NOW)
    with new_uow() as uow:
        assert uow.outbox.count("person.merged") == 1
