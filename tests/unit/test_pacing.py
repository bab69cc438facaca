"""ISO weeks, notes and plan.yaml checking (pure domain)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from liidi.domain.pacing import Week, check_note, parse_week, week_of, week_of_index
from liidi.domain.pacing_load import load_plan_file, load_plan_text
from liidi.domain.scoring import issues_of
from liidi.errors import SpecError, ValidationFailed


def test_a_week_runs_from_monday_midnight_utc_to_the_next_monday() -> None:
    week = parse_week("2026-W49")
    assert datetime.fromtimestamp(week.start, UTC).isoformat() == "2026-11-30T00:00:00+00:00"
    assert week.end - week.start == 7 * 86400
    assert week_of(week.start) == week and week_of(week.end - 1) == week and week_of(week.end) != week
    assert week_of_index(week.index) == week


def test_weeks_shift_across_years_including_a_53_week_year() -> None:
    assert parse_week("2026-W52").shifted(1).label == "2026-W53"
    assert parse_week("2026-W53").shifted(1).label == "2027-W01"
    assert parse_week("2027-W01").shifted(-2).label == "2026-W52"
    assert Week(2026, 1).monday.isoformat() == "2025-12-29"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2026-W54", "2026 has no week 54"),
        ("2025-W53", "2025 has no week 53"),
        ("2026-W00", "2026 has no week 0"),
        ("2026-49", "expected an ISO week such as 2026-W49"),
        ("1969-W52", "between 1970 and 9998"),
        ("2026-W49\x00", "expected an ISO week"),
        (2026, "expected an ISO week"),
    ],
)
def test_a_bad_week_is_refused_with_the_reason(text: object, reason: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_week(text)
    assert reason in caught.value.errors[0].reason


def test_a_note_needs_some_text_without_nul_and_within_the_limit() -> None:
    assert check_note("2026-W49", " Webinar ", None).done == "Webinar"
    for done, next_, field in [(None, None, "done"), ("a\x00", None, "done"), (None, "x" * 4001, "next")]:
        with pytest.raises(ValidationFailed) as caught:
            check_note("2026-W49", done, next_)
        assert caught.value.errors[0].field == field


def test_the_example_plan_overrides_holiday_weeks_and_splits_by_segment() -> None:
    plan = load_plan_file(Path(__file__).resolve().parents[2] / "examples" / "plan.yaml")
    weekly = {"leads": 18, "mqls": 6, "sals": 3, "meetings": 4}
    assert plan.targets_for(parse_week("2026-W49")).values == weekly
    assert plan.targets_for(parse_week("2026-W52")).of("leads") == 8
    assert plan.segment_targets("sourced_by", "sales").values == {"leads": 5, "meetings": 2}
    assert plan.segment_targets("channel", "direct").values == {}
    boost = plan.playbooks[0]
    assert (boost.fires(4), boost.fires(5)) == (True, False)
    assert boost.title(parse_week("2026-W50")) == "Start outbound at 30 contacts/day in 2026-W50"
    assert plan.playbooks[1].title(parse_week("2026-W50")) == "Order 5 booked meetings in 2026-W50"


def _problems(text: str) -> list[str]:
    with pytest.raises(SpecError) as caught:
        load_plan_text(text, "plan.yaml")
    return [issue.one_line() for issue in issues_of(caught.value)]


def test_every_problem_in_a_plan_is_reported_with_its_line_and_column() -> None:
    text = """\
pacing: p
targets: {leads: 1.5, wins: 3}
segments:
  - {by: channel, value: email, mqls: 2}
  - {by: channel, value: email, mqls: 3}
playbooks:
  - name: a
    when: {metric: mqls, below: 2, where: {colour: red}}
    then: {action: order_meetings}
  - name: a
    when: {metric: mqls, below: 2}
    then: {action: call_everyone}
"""
    assert _problems(text) == [
        "plan.yaml:2:18 targets: leads: expected a whole number from 0 to 10000000, got 1.5",
        "plan.yaml:2:23 targets: unknown metric 'wins'; expected one of leads, mqls, sals, meetings",
        "plan.yaml:5:5 segment 2: channel 'email' already has a segment above",
        "plan.yaml:8:44 playbook 1: when.where: unknown dimension 'colour'; "
        "expected one of lead_tool, channel, direction, sourced_by",
        "plan.yaml:9:11 playbook 1: then: 'meetings' is required for order_meetings",
        "plan.yaml:12:20 playbook 2: then.action: expected one of "
        "start_outbound, order_meetings, task, got 'call_everyone'",
    ]


def test_an_empty_or_deeply_nested_plan_is_refused() -> None:
    assert "the file is empty" in _problems("")[0]
    assert "nest deeper" in _problems("[" * 100 + "]" * 100)[0]
