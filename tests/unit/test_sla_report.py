"""The SLA report computed over clock rows, checked against counts and times worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from liidi.analytics.sla import nearest_rank, sla_report
from liidi.domain.business_time import BusinessCalendar, WeeklyHours

CALENDAR = BusinessCalendar("UTC", WeeklyHours.parse({"mon-fri": "08:00-16:00"}), None)
H = 3600.0


def at(day: int, hour: float) -> float:
    """November `day` 2026 at `hour` UTC (the 2nd is a Monday)."""
    return datetime(2026, 11, day, tzinfo=UTC).timestamp() + hour * H


MON = 2
NOW = at(MON, 12)
FRI = datetime(2026, 10, 30, 15, tzinfo=UTC).timestamp()


def clock(owner: str, start: float, due: float, status: str, **more: Any) -> dict[str, Any]:
    row = {"policy": "p", "owner": owner, "team": "nordics", "motion": None, "started_ts": start}
    row |= {"due_ts": due, "status": status, "first_touch_ts": None, "closed_ts": None, "breached_ts": None}
    return row | more


ROWS = [
    # anna: 0.5 h in time; 2 h late; Friday 15:00 to Monday 10:00 is 3 business hours (67 on the wall)
    clock("anna@firma.fi", at(MON, 8), at(MON, 9), "met", first_touch_ts=at(MON, 8.5)),
    clock("anna@firma.fi", at(MON, 8), at(MON, 9), "met", first_touch_ts=at(MON, 10)),
    clock("anna@firma.fi", FRI, at(MON, 8), "met", first_touch_ts=at(MON, 10)),
    # bert: 0.25 h in time; breached; open but past its deadline (the scan has not run); open; closed after
    # its breach (judged); closed before its deadline (not judged)
    clock("bert@firma.fi", at(MON, 9), at(MON, 10), "met", first_touch_ts=at(MON, 9.25)),
    clock("bert@firma.fi", at(MON, 8), at(MON, 9), "breached", breached_ts=at(MON, 9)),
    clock("bert@firma.fi", at(MON, 9), at(MON, 10), "open"),
    clock("bert@firma.fi", at(MON, 11), at(MON, 13), "open"),
    clock("bert@firma.fi", at(MON, 8), at(MON, 9), "closed", breached_ts=at(MON, 9), closed_ts=at(MON, 10)),
    clock("bert@firma.fi", at(MON, 10), at(MON, 11), "closed", closed_ts=at(MON, 10.5)),
]


def report(by: str | None, since: float = 0.0, calendar: Any = CALENDAR) -> Any:
    return sla_report(ROWS, since=since, until=at(3, 0), now=NOW, by=by, calendar_of=lambda _: calendar)


def test_the_report_by_owner_matches_the_hand_computation() -> None:
    anna, bert = (g.as_dict() for g in report("owner").groups)
    # anna: times 0.5, 2, 3 (Friday 15-16 and Monday 8-10); median the 2nd, p90 the 3rd of 3
    assert (anna["key"], anna["clocks"], anna["met"], anna["late"], anna["judged"]) == (
        "anna@firma.fi",
        3,
        1,
        2,
        3,
    )
    assert (anna["within_sla"], anna["median_hours"], anna["p90_hours"]) == (0.3333, 2.0, 3.0)
    assert bert == {
        "key": "bert@firma.fi",
        "clocks": 6,
        "met": 1,
        "late": 0,
        "breached": 2,
        "open": 1,
        "closed": 2,
        "judged": 4,
        "within_sla": 0.25,
        "responded": 1,
        "median_hours": 0.25,
        "p90_hours": 0.25,
    }


def test_response_times_are_business_hours_of_the_calendar() -> None:
    found = report(None)
    total = found.total.as_dict()
    # times 0.25, 0.5, 2, 3: median (0.5 + 2) / 2, p90 the 4th of 4; met 2 of the 7 judged
    assert (total["clocks"], total["met"], total["late"], total["judged"]) == (9, 2, 2, 7)
    assert (total["within_sla"], total["median_hours"], total["p90_hours"]) == (0.2857, 1.25, 3.0)
    assert found.groups == []


def test_clocks_started_outside_the_period_are_left_out() -> None:
    assert report(None, since=at(1, 0)).total.clocks == 8  # the Friday clock started in October


def test_clocks_without_a_calendar_are_counted_but_have_no_response_time() -> None:
    total = report(None, calendar=None).total
    assert (total.clocks, total.responded, total.median_hours, total.p90_hours) == (9, 0, None, None)


def test_the_month_groups_are_the_utc_months_clocks_started_in() -> None:
    found = report("month")
    assert [(g.key, g.clocks) for g in found.groups] == [("2026-10", 1), ("2026-11", 8)]
    assert found.groups[0].median_hours == 3.0


@pytest.mark.parametrize(("count", "expected"), [(1, 1), (9, 9), (10, 9), (11, 10), (20, 18)])
def test_the_p90_is_the_nearest_rank(count: int, expected: int) -> None:
    assert nearest_rank([float(v) for v in range(count, 0, -1)], 0.9) == expected
