"""Nurture on SQLite and PostgreSQL: who enters and when, steps written to the outbox once after their waits,
exits with their reasons, and the report's figures."""

from __future__ import annotations

from liidi.services import lifecycle, nurture
from liidi.services.nurture_steps import run_due_in
from tests.builders import NOW
from tests.nurture_support import (
    DAY,
    NewUow,
    enrolments,
    hand_raise,
    lead,
    ready,
    step_messages,
    withdraw_consent,
)


def test_a_recycled_lead_is_enrolled_in_the_transaction_that_recycles_them(new_uow: NewUow) -> None:
    ready(new_uow)
    pid = lead(new_uow, "anna@kivikoski.fi")
    hand_raise(new_uow, "anna@kivikoski.fi", NOW)
    with new_uow() as uow:
        move = lifecycle.Transition(pid, "mql", "recycled", NOW + DAY, "rep@firma.fi", "not_ready")
        lifecycle.record_in(uow, move)
        inside = uow.nurture.of_person(pid)
        # not committed: leaving the block rolls the step back and the enrolment with it
    assert [(e["track"], e["entry"], e["status"]) for e in inside] == [("cloud", "recycled", "active")]
    assert [e["status"] for e in enrolments(new_uow, pid)] == []
    lifecycle.transition(new_uow(), person_id=pid, to="recycled", actor="rep", reason="timing", now=NOW + DAY)
    (enrolled,) = enrolments(new_uow, pid)
    assert (enrolled["entry"], enrolled["enrolled_ts"], enrolled["next_due_ts"]) == (
        "recycled",
        NOW + DAY,
        NOW + DAY,
    )


def test_not_ready_leads_are_enrolled_by_the_scan_once_and_poor_fits_are_not(new_uow: NewUow) -> None:
    ready(new_uow)
    fit = lead(new_uow, "anna@kivikoski.fi")
    data = lead(new_uow, "ville@kivikoski.fi", topic="data", stage="deciding")
    poor = lead(new_uow, "opettaja@pikku.fi")
    assert enrolments(new_uow, fit) == []  # scoring alone enrols nobody: the ingest path stays as it was
    first = nurture.tick(new_uow, NOW)
    assert (first.enrolled, first.performed) == (2, 1)
    assert [e["track"] for e in enrolments(new_uow, fit)] == ["cloud"]
    assert [(e["track"], e["entry_stage"]) for e in enrolments(new_uow, data)] == [("everyone", "deciding")]
    assert enrolments(new_uow, poor) == []
    again = nurture.tick(new_uow, NOW + 2 * DAY)
    assert again.enrolled == 0 and len(enrolments(new_uow, fit)) == 1


def test_steps_are_written_once_each_after_their_waits(new_uow: NewUow) -> None:
    ready(new_uow)
    pid = lead(new_uow, "anna@kivikoski.fi")
    for at, expected in [
        (NOW, 1),
        (NOW, 0),
        (NOW + 5 * DAY - 60, 0),
        (NOW + 5 * DAY, 1),
        (NOW + 12 * DAY - 60, 0),
        (NOW + 12 * DAY + 3600, 1),
        (NOW + 40 * DAY, 0),
    ]:
        assert nurture.tick(new_uow, at).performed == expected, at
    sent = step_messages(new_uow)
    assert [(m["step"], m["action"], m["occurred_ts"]) for m in sent] == [
        (1, "webhook", NOW),
        (2, "email", NOW + 5 * DAY),
        (3, "task", NOW + 12 * DAY + 3600),
    ]
    assert sent[1] | {"themes": None} == sent[1] | {
        "key": f"nurture:{sent[1]['enrolment_id']}:2",
        "person_id": pid,
        "email": "anna@kivikoski.fi",
        "track": "cloud",
        "steps": 3,
        "subject": "Five questions",
        "template": "cloud-questions",
        "campaign": None,
        "owner": None,
        "buying_stage": "early_interest",
        "due_ts": NOW + 5 * DAY,
        "themes": None,
    }
    (done,) = enrolments(new_uow, pid)
    assert (done["status"], done["steps_done"], done["ended_ts"]) == ("completed", 3, NOW + 12 * DAY + 3600)


def test_a_lead_who_qualifies_leaves_in_the_qualifying_transaction_and_gets_no_more_steps(
    new_uow: NewUow,
) -> None:
    ready(new_uow)
    pid = lead(new_uow, "anna@kivikoski.fi")
    nurture.tick(new_uow, NOW)
    hand_raise(new_uow, "anna@kivikoski.fi", NOW + 2 * DAY)
    (gone,) = enrolments(new_uow, pid)
    assert (gone["status"], gone["exit_reason"], gone["ended_ts"]) == ("exited", "qualified", NOW + 2 * DAY)
    assert nurture.tick(new_uow, NOW + 30 * DAY).performed == 0
    assert len(step_messages(new_uow)) == 1


def test_a_disqualified_lead_leaves_with_the_move(new_uow: NewUow) -> None:
    ready(new_uow)
    pid = lead(new_uow, "anna@kivikoski.fi")
    nurture.tick(new_uow, NOW)
    lifecycle.transition(
        new_uow(), person_id=pid, to="disqualified", actor="rep", reason="student", now=NOW + DAY
    )
    (gone,) = enrolments(new_uow, pid)
    assert (gone["exit_reason"], gone["ended_ts"]) == ("disqualified", NOW + DAY)


def test_an_unsubscribed_lead_leaves_at_the_next_round_before_any_further_step(new_uow: NewUow) -> None:
    ready(new_uow)
    pid = lead(new_uow, "anna@kivikoski.fi")
    nurture.tick(new_uow, NOW)
    withdraw_consent(new_uow, "anna@kivikoski.fi", NOW + DAY)
    with new_uow() as uow:  # the step is due, and is not performed: the person leaves instead
        assert run_due_in(uow, now=NOW + 6 * DAY).performed == 0
        uow.commit()
    (gone,) = enrolments(new_uow, pid)
    assert (gone["status"], gone["exit_reason"], gone["ended_ts"]) == (
        "exited",
        "unsubscribed",
        NOW + 6 * DAY,
    )
    assert len(step_messages(new_uow)) == 1


def test_a_lead_who_unsubscribed_leaves_at_the_next_round_even_with_no_step_due(new_uow: NewUow) -> None:
    ready(new_uow)
    pid = lead(new_uow, "anna@kivikoski.fi")
    nurture.tick(new_uow, NOW)
    withdraw_consent(new_uow, "anna@kivikoski.fi", NOW + DAY)
    assert nurture.tick(new_uow, NOW + DAY).exited == 1
    assert enrolments(new_uow, pid)[0]["exit_reason"] == "unsubscribed"


def test_a_track_removed_from_the_file_in_force_ends_its_enrolments(new_uow: NewUow) -> None:
    ready(new_uow)
    pid = lead(new_uow, "anna@kivikoski.fi")
    nurture.tick(new_uow, NOW)
    from tests.nurture_support import NURTURE

    fewer = NURTURE.split("  - name: everyone")[0].replace("name: cloud", "name: cloud-v2")
    loaded = nurture.load_nurture(new_uow(), text=fewer, source_name="v2", author="t", now=NOW + DAY)
    assert (loaded.document.version, loaded.created) == (2, True)
    nurture.tick(new_uow, NOW + 5 * DAY)
    assert enrolments(new_uow, pid)[0]["exit_reason"] == "track_removed"
    assert len(step_messages(new_uow)) == 1


def test_the_report_counts_each_track_as_computed_by_hand(new_uow: NewUow) -> None:
    ready(new_uow)
    people = {
        name: lead(new_uow, f"{name}@kivikoski.fi", topic=topic, stage=stage)
        for name, topic, stage in [
            ("a", "cloud", "early_interest"),
            ("b", "cloud", "early_interest"),
            ("c", "cloud", "early_interest"),
            ("d", "cloud", "need_recognised"),
            ("e", "data", "early_interest"),
            ("f", "data", "early_interest"),
        ]
    }
    nurture.tick(new_uow, NOW)
    hand_raise(new_uow, "a@kivikoski.fi", NOW + 3 * DAY)  # cloud: qualified after 3 days
    hand_raise(new_uow, "b@kivikoski.fi", NOW + 8 * DAY)  # cloud: qualified after 8 days
    withdraw_consent(new_uow, "c@kivikoski.fi", NOW + DAY)  # cloud: unsubscribed
    lead(new_uow, "d@kivikoski.fi", topic="cloud", stage="deciding", at=NOW + 2 * DAY)  # progressed
    lead(new_uow, "e@kivikoski.fi", topic="data", stage="comparing_solutions", at=NOW + 2 * DAY)  # progressed
    lifecycle.transition(
        new_uow(), person_id=people["f"], to="disqualified", actor="rep", reason="competitor", now=NOW + DAY
    )
    nurture.tick(new_uow, NOW + 10 * DAY)
    report = nurture.nurture_report(new_uow())
    rows = {r.track: r.as_dict() for r in report.results}
    # cloud: a, b, c, d enrolled; a and b qualified by a demo request (3 and 8 days: median 5.5), which
    # makes their buying stage `deciding`: progressed; c unsubscribed; d still active and progressed
    # (need_recognised → deciding). everyone: e (progressed to comparing, completed), f (disqualified).
    assert rows["cloud"] | {"qualified_share": None} == {
        "track": "cloud",
        "enrolled": 4,
        "active": 1,
        "completed": 0,
        "progressed": 3,
        "qualified": 2,
        "unsubscribed": 1,
        "disqualified": 0,
        "other_exits": 0,
        "median_days_to_qualify": 5.5,
        "qualified_share": None,
    }
    assert rows["cloud"]["qualified_share"] == 0.5
    everyone = rows["everyone"]
    assert (
        everyone["enrolled"],
        everyone["completed"],
        everyone["progressed"],
        everyone["disqualified"],
    ) == (2, 1, 1, 1)
    total = rows["all tracks"]
    totals = (total["enrolled"], total["qualified"], total["progressed"], total["median_days_to_qualify"])
    assert totals == (6, 2, 4, 5.5)
    later = nurture.nurture_report(new_uow(), since=NOW + DAY)
    assert all(r.enrolled == 0 for r in later.results)


def test_a_qualification_dated_before_the_enrolment_ends_it_at_the_enrolment_not_before(
    new_uow: NewUow,
) -> None:
    ready(new_uow)
    pid = lead(new_uow, "anna@kivikoski.fi", at=NOW - 10 * DAY)
    nurture.tick(new_uow, NOW)
    hand_raise(new_uow, "anna@kivikoski.fi", NOW - DAY)  # the MQL is dated at the event, before the enrolment
    (gone,) = enrolments(new_uow, pid)
    assert (gone["exit_reason"], gone["ended_ts"]) == ("qualified", NOW)


def test_a_person_merged_into_another_leaves_their_track(new_uow: NewUow) -> None:
    from liidi.services.people import merge_people

    ready(new_uow)
    kept = lead(new_uow, "anna@kivikoski.fi")
    merged = lead(new_uow, "anna.k@kivikoski.fi")
    nurture.tick(new_uow, NOW)
    merge_people(new_uow(), survivor_id=kept, merged_id=merged, actor="rep", reason="same person")
    assert nurture.tick(new_uow, NOW + DAY).exited == 1
    assert enrolments(new_uow, merged)[0]["exit_reason"] == "merged"
    assert enrolments(new_uow, kept)[0]["status"] == "active"
