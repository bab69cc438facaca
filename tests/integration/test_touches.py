"""Touches on SQLite and PostgreSQL: by hand, from sales_touch events once per event, moved on merge."""

from __future__ import annotations

from collections.abc import Callable

from liidi.services import acceptance, feedback, lifecycle, touches
from liidi.services.ingest import track_events
from liidi.services.people import identify, merge_people
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import NOW, event

NewUow = Callable[[], UnitOfWork]


def person(new_uow: NewUow, email: str = "anna@kivikoski.fi") -> int:
    return identify(new_uow(), email=email, now=NOW - 100).person_id


def test_a_touch_entered_by_a_rep_is_stored_with_its_time_actor_and_note(new_uow: NewUow) -> None:
    pid = person(new_uow)
    done = touches.record_touch(
        new_uow(),
        person_id=pid,
        kind="call",
        occurred_at="2026-10-26T06:00:00Z",
        actor="rep@x.fi",
        note="wants a demo",
        source="crm",
        now=NOW,
    )
    [stored] = touches.touches_of(new_uow(), person_id=pid)["touches"]
    assert stored == done
    assert (stored["kind"], stored["occurred_ts"], stored["actor"], stored["note"], stored["source"]) == (
        "call",
        1_792_994_400.0,
        "rep@x.fi",
        "wants a demo",
        "crm",
    )
    assert stored["event_id"] is None


def test_a_sales_touch_event_records_one_touch_however_often_it_is_sent(new_uow: NewUow) -> None:
    pid = person(new_uow)
    batch = [
        event(
            "sales_touch",
            id="crm-1",
            email="anna@kivikoski.fi",
            properties={"kind": "meeting", "actor": "r@x.fi"},
        ),
        event("page_view", id="web-1", email="anna@kivikoski.fi"),
    ]
    track_events(new_uow(), events=batch, now=NOW)
    track_events(new_uow(), events=batch, now=NOW + 1)
    [stored] = touches.touches_of(new_uow(), person_id=pid)["touches"]
    assert (stored["kind"], stored["actor"], stored["source"], stored["event_id"]) == (
        "meeting",
        "r@x.fi",
        "event",
        "crm-1",
    )


def test_events_sent_without_touch_recording_store_the_event_but_no_touch(new_uow: NewUow) -> None:
    pid = person(new_uow)
    batch = [event("sales_touch", id="crm-2", email="anna@kivikoski.fi", properties={"kind": "call"})]
    assert track_events(new_uow(), events=batch, now=NOW, record_touches=False).stored == 1
    assert touches.touches_of(new_uow(), person_id=pid)["touches"] == []


def test_a_merge_moves_the_duplicates_touches_to_the_survivor(new_uow: NewUow) -> None:
    survivor, merged = person(new_uow), person(new_uow, "anna.k@kivikoski.fi")
    touches.record_touch(new_uow(), person_id=merged, kind="email", now=NOW)
    merge_people(new_uow(), survivor_id=survivor, merged_id=merged, actor="test", now=NOW)
    found = touches.touches_of(new_uow(), person_id=merged)
    assert found["person_id"] == survivor and [t["person_id"] for t in found["touches"]] == [survivor]


def test_the_acceptance_report_reads_the_feedback_given_in_the_store(new_uow: NewUow) -> None:
    emails = [f"lead{i}@kivikoski.fi" for i in range(5)]
    ids = [person(new_uow, e) for e in emails]
    for pid in ids:
        lifecycle.transition(new_uow(), person_id=pid, to="mql", actor="scoring", now=NOW)
    feedback.accept(new_uow(), person_id=ids[0], actor="rep", now=NOW + 3600)
    feedback.reject(new_uow(), person_id=ids[1], reason="not_ready", actor="rep", now=NOW + 7200)
    feedback.reject(new_uow(), person_id=ids[2], reason="spam", actor="rep", now=NOW + 7200)
    feedback.accept(new_uow(), person_id=ids[3], actor="rep", now=NOW + 3600)
    report = acceptance.acceptance_report(new_uow(), since=NOW - 1, until=NOW + 1).as_dict()
    assert report["handed_over"] == 5
    assert (report["accepted"]["count"], report["rejected"]["count"], report["waiting"]["count"]) == (2, 2, 1)
    assert report["sales_ready"] == 0.5 and report["median_hours_to_decision"] == 1.5
    assert {r["reason"]: r["to"] for r in report["rejected_by_reason"]} == {
        "not_ready": "recycled",
        "spam": "disqualified",
    }
    assert acceptance.acceptance_report(new_uow(), since=NOW + 1).handed_over == 0
