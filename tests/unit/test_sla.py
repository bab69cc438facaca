"""Response SLA policies: deadlines, warnings and escalation ladders in business time, chosen per lead."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from liidi.domain.business_time import BusinessCalendar
from liidi.domain.sla import (
    Action,
    Ladder,
    Match,
    SlaPolicy,
    Step,
    describe_working_time,
    parse_working_time,
)
from liidi.domain.sla_load import check_sla_text, load_sla_file, load_sla_text
from liidi.errors import SpecError

EXAMPLE = load_sla_file(Path(__file__).resolve().parents[2] / "examples" / "sla.yaml")
HELSINKI = ZoneInfo("Europe/Helsinki")
MINUTE, HOUR = 60, 3600
DAY = 8 * HOUR
LADDER = Ladder(
    (Step(0, Action.NOTIFY_OWNER), Step(15 * MINUTE, Action.NOTIFY_TEAM_LEAD), Step(HOUR, Action.REASSIGN))
)


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=HELSINKI).timestamp()


def shown(ts: float | None) -> str:
    assert ts is not None
    return datetime.fromtimestamp(ts, HELSINKI).strftime("%a %Y-%m-%d %H:%M")


def hand_raiser() -> SlaPolicy:
    policy = EXAMPLE.policy_for(qualified_by="hand_raiser", motion="high_touch", grade="A")
    assert policy is not None
    return policy


def test_the_example_hand_raiser_policy_allows_a_cup_of_coffee_and_not_a_minute_more() -> None:
    policy = hand_raiser()
    assert policy.name == "hand-raiser" and policy.respond_within == 15 * MINUTE
    handed_over = at("2026-11-17T10:00")
    assert shown(policy.deadline(handed_over)) == "Tue 2026-11-17 10:15"
    assert shown(policy.warning_at(handed_over)) == "Tue 2026-11-17 10:10"
    assert not policy.is_breached(handed_over, at("2026-11-17T10:14:59"))
    assert policy.is_breached(handed_over, at("2026-11-17T10:15"))


def test_a_hand_raiser_at_closing_time_is_due_first_thing_on_the_next_working_day() -> None:
    policy = hand_raiser()
    handed_over = at("2026-12-04T15:55")
    assert shown(policy.warning_at(handed_over)) == "Mon 2026-12-07 08:05"
    assert shown(policy.deadline(handed_over)) == "Mon 2026-12-07 08:10"
    assert policy.waited(handed_over, at("2026-12-07T08:00")) == 5 * MINUTE


def test_the_first_policy_that_matches_a_lead_is_its_sla() -> None:
    assert hand_raiser().name == "hand-raiser"
    chosen = EXAMPLE.policy_for(qualified_by="mql", motion="high_touch")
    assert chosen is not None and chosen.name == "high-touch" and chosen.respond_within == 4 * HOUR
    chosen = EXAMPLE.policy_for(qualified_by="pql", motion="low_touch")
    assert chosen is not None and chosen.name == "low-touch" and chosen.respond_within == DAY


def test_a_lead_no_policy_matches_has_no_sla() -> None:
    assert EXAMPLE.policy_for(qualified_by="mql", motion="no_touch") is None
    assert EXAMPLE.policy_for(qualified_by="mql", motion=None) is None


def test_one_working_day_means_the_same_time_on_the_next_working_day() -> None:
    low = EXAMPLE.named("low-touch")
    assert low is not None
    assert shown(low.deadline(at("2026-11-17T14:00"))) == "Wed 2026-11-18 14:00"
    assert shown(low.deadline(at("2026-11-20T14:00"))) == "Mon 2026-11-23 14:00"


def test_escalation_steps_fall_due_in_working_time_after_the_breach() -> None:
    policy = SlaPolicy("hot", 15 * MINUTE, BusinessCalendar(), 5 * MINUTE, LADDER)
    handed_over = at("2026-11-20T15:40")
    assert shown(policy.deadline(handed_over)) == "Fri 2026-11-20 15:55"
    assert [shown(policy.step_at(handed_over, step)) for step in LADDER.steps] == [
        "Fri 2026-11-20 15:55",
        "Mon 2026-11-23 08:10",
        "Mon 2026-11-23 08:55",
    ]
    assert policy.steps_due(handed_over, at("2026-11-20T15:54")) == ()
    assert policy.steps_due(handed_over, at("2026-11-22T12:00")) == LADDER.steps[:1]
    assert policy.since_breach(handed_over, at("2026-11-22T12:00")) == 5 * MINUTE
    assert policy.steps_due(handed_over, at("2026-11-23T08:10")) == LADDER.steps[:2]
    assert policy.steps_due(handed_over, at("2026-11-23T12:00")) == LADDER.steps


def test_the_ladder_lists_the_steps_due_and_the_next_one() -> None:
    assert LADDER.steps_due(0) == LADDER.steps[:1]
    assert LADDER.steps_due(14 * MINUTE) == LADDER.steps[:1]
    assert LADDER.next_step(14 * MINUTE) == LADDER.steps[1]
    assert LADDER.steps_due(2 * HOUR) == LADDER.steps and LADDER.next_step(2 * HOUR) is None
    assert Ladder().steps_due(10 * HOUR) == ()


def test_a_policy_without_a_warning_never_warns() -> None:
    policy = SlaPolicy("quiet", HOUR, BusinessCalendar())
    assert policy.warning_at(at("2026-11-17T10:00")) is None
    assert policy.since_breach(at("2026-11-17T10:00"), at("2026-11-17T10:30")) is None


def test_a_match_covers_another_only_when_it_takes_every_lead_the_other_takes() -> None:
    anyone, hot = Match(), Match(qualified_by=frozenset({"hand_raiser"}))
    hot_high = Match(qualified_by=frozenset({"hand_raiser"}), motion=frozenset({"high_touch"}))
    assert anyone.covers(hot) and hot.covers(hot_high)
    assert not hot_high.covers(hot) and not hot.covers(anyone)
    assert hot_high.matches("hand_raiser", "high_touch", None) and not hot_high.matches(
        "mql", "high_touch", "A"
    )


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30m", 1800), ("4h", 4 * HOUR), ("1h 30m", 5400), ("1d", DAY), ("2d 4h", 20 * HOUR)],
)
def test_working_time_reads_minutes_hours_and_working_days(text: str, seconds: int) -> None:
    assert parse_working_time(text, DAY) == seconds
    assert describe_working_time(seconds, DAY) == text


@pytest.mark.parametrize("text", ["", "15", "15 minutes", "1.5h", "30m 1h", "-1h"])
def test_working_time_without_a_unit_or_in_the_wrong_order_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="expected working time"):
        parse_working_time(text, DAY)


def test_one_working_day_is_as_long_as_the_calendars_longest_day() -> None:
    loaded = load_sla_text(
        "calendar: {hours: {mon-thu: '08:00-16:00', fri: '08:00-14:00'}}\n"
        "policies: [{name: slow, respond_within: 1d 2h}]\n"
    )
    assert loaded.policies[0].respond_within == 10 * HOUR
    assert loaded.calendar.hours.on(4) == ((8 * HOUR, 14 * HOUR),)


def test_a_file_with_only_policies_uses_the_finnish_office_calendar() -> None:
    loaded = load_sla_text("policies:\n  - {name: all, respond_within: 2h}\n")
    assert loaded.calendar == BusinessCalendar()
    assert loaded.policy_for(qualified_by="mql") == loaded.policies[0]


def test_every_problem_of_an_sla_file_is_reported_with_its_line() -> None:
    text = (
        "calendar:\n"
        "  time_zone: Mars/Olympus\n"
        "policies:\n"
        "  - {name: a, respond_within: 1h}\n"
        "  - {name: b, when: {grade: E}, respond_within: 1h}\n"
    )
    issues = check_sla_text(text, "sla.yaml")
    assert [(i.line, i.column) for i in issues] == [(2, 14), (5, 29)]
    with pytest.raises(SpecError, match="2 problems in the SLA file") as raised:
        load_sla_text(text, "sla.yaml")
    assert "sla.yaml:2:14 calendar: time_zone: unknown time zone 'Mars/Olympus'" in str(raised.value)


def test_a_policy_hidden_by_a_broader_one_above_is_reported() -> None:
    text = (
        "policies:\n  - {name: all, respond_within: 2h}\n"
        "  - {name: hot, when: {qualified_by: hand_raiser}, respond_within: 15m}\n"
    )
    [issue] = check_sla_text(text)
    assert issue.line == 3 and issue.rule == "policy 'hot'"
    assert "never chosen: policy 'all' on line 2 above takes every lead it would" in issue.reason


@pytest.mark.parametrize(
    ("name", "handed_over", "due"),
    [
        ("hand-raiser", "2026-11-17T10:00", "Tue 2026-11-17 10:15"),
        ("hand-raiser", "2026-12-04T15:55", "Mon 2026-12-07 08:10"),
        ("low-touch", "2026-11-17T14:00", "Wed 2026-11-18 14:00"),
        ("low-touch", "2026-11-20T14:00", "Mon 2026-11-23 14:00"),
        ("high-touch", "2027-06-24T15:00", "Mon 2027-06-28 11:00"),
        ("high-touch", "2027-12-03T15:00", "Tue 2027-12-07 11:00"),
    ],
)
def test_the_worked_examples_in_the_docs_hold(name: str, handed_over: str, due: str) -> None:
    policy = EXAMPLE.named(name)
    assert policy is not None and shown(policy.deadline(at(handed_over))) == due
