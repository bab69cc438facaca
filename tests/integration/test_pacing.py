"""The weekly review and the playbooks on a hand-counted history (tests/pacing_support.py)."""

from __future__ import annotations

from liidi.services import pacing, playbooks
from tests.pacing_support import NOW, NewUow, seed_weeks

PLAN = """\
pacing: test-plan
targets: {leads: 4, mqls: 2, sals: 4, meetings: 1}
weeks:
  2026-W48: {leads: 2}
segments:
  - {by: channel, value: paid_search, mqls: 2}
playbooks:
  - name: baseline-short
    when: {metric: mqls, below: 3, where: {channel: [organic_search, paid_search]}}
    then: {action: start_outbound, contacts_per_day: 30, owner: lead@firma.fi}
  - name: mqls-overall
    when: {metric: mqls, below: 2}
    then: {action: order_meetings, meetings: 10}
"""


def _metrics(row: dict[str, object]) -> tuple[object, ...]:
    return tuple(row[m]["actual"] for m in ("leads", "mqls", "sals", "meetings"))  # type: ignore[index]


def test_weekly_counts_match_the_hand_counted_history(new_uow: NewUow) -> None:
    seed_weeks(new_uow)
    data = pacing.report(new_uow(), weeks=3, now=NOW).as_dict()
    assert [w["week"] for w in data["weeks"]] == ["2026-W47", "2026-W48", "2026-W49"]
    assert [_metrics(w["total"]) for w in data["weeks"]] == [(2, 2, 0, 1), (1, 2, 2, 2), (0, 0, 0, 0)]
    assert [w["partial"] for w in data["weeks"]] == [False, False, True]


def test_a_split_by_channel_counts_each_group_and_its_segment_target(new_uow: NewUow) -> None:
    seed_weeks(new_uow)
    pacing.load_plan(new_uow(), text=PLAN, source_name="plan.yaml", author="test", now=NOW)
    data = pacing.report(new_uow(), weeks=1, until="2026-W48", by="channel", now=NOW).as_dict()
    week = data["weeks"][0]
    groups = {g["key"]: _metrics(g) for g in week["groups"]}
    assert groups == {"direct": (0, 1, 0, 0), "organic_search": (0, 0, 1, 1), "paid_search": (1, 1, 1, 1)}
    paid = next(g for g in week["groups"] if g["key"] == "paid_search")
    assert (paid["mqls"]["target"], paid["mqls"]["share"], paid["leads"]["target"]) == (2, 0.5, None)
    assert _metrics(week["total"]) == (1, 2, 2, 2)
    assert week["total"]["leads"] == {"actual": 1, "target": 2, "share": 0.5}
    assert week["total"]["sals"] == {"actual": 2, "target": 4, "share": 0.5}


def test_a_note_is_shown_beside_its_week_and_a_part_left_out_is_kept(new_uow: NewUow) -> None:
    pacing.save_note(new_uow(), week="2026-W48", done="Webinar", next_=None, author="t", now=NOW)
    pacing.save_note(new_uow(), week="2026-W48", done=None, next_="Call the list", author="t", now=NOW)
    week = pacing.report(new_uow(), weeks=1, until="2026-W48", now=NOW).as_dict()["weeks"][0]
    assert (week["done"], week["next"]) == ("Webinar", "Call the list")


def test_a_playbook_below_its_threshold_fires_once_and_one_above_does_not(new_uow: NewUow) -> None:
    seed_weeks(new_uow)
    pacing.load_plan(new_uow(), text=PLAN, source_name="plan.yaml", author="test", now=NOW)
    first = playbooks.run(new_uow, now=NOW)
    assert first.period == "2026-W48"
    assert [(o.playbook, o.actual, o.result) for o in first.outcomes] == [
        ("baseline-short", 1, "fired"),
        ("mqls-overall", 2, "on_pace"),
    ]
    again = playbooks.run(new_uow, now=NOW + 3600)
    assert [o.result for o in again.outcomes] == ["already", "on_pace"]
    tasks = playbooks.list_tasks(new_uow())
    assert [(t["playbook"], t["period"], t["due_period"], t["owner"]) for t in tasks] == [
        ("baseline-short", "2026-W48", "2026-W49", "lead@firma.fi")
    ]
    assert tasks[0]["title"] == "Start outbound at 30 contacts/day in 2026-W49"
    with new_uow() as uow:
        sent = [row for row in uow.outbox.listing() if row["topic"] == "playbook.triggered"]
    assert len(sent) == 1 and sent[0]["payload"]["actual"] == 1 and sent[0]["id"] == tasks[0]["outbox_id"]
