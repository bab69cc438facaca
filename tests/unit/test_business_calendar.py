"""A business calendar on examples a sales team would check by hand (Europe/Helsinki, Finnish holidays)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest

from liidi.domain.business_time import BusinessCalendar, WeeklyHours, parse_days, parse_spans

HELSINKI = ZoneInfo("Europe/Helsinki")
OFFICE = BusinessCalendar()
HOUR = 3600


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=HELSINKI).timestamp()


def shown(ts: float) -> str:
    return datetime.fromtimestamp(ts, HELSINKI).strftime("%a %Y-%m-%d %H:%M")


def test_a_deadline_on_friday_afternoon_falls_on_monday_morning() -> None:
    assert shown(OFFICE.add(at("2026-11-20T15:30"), HOUR)) == "Mon 2026-11-23 08:30"


def test_a_start_outside_working_hours_waits_for_the_next_opening() -> None:
    assert shown(OFFICE.add(at("2026-11-17T21:10"), 15 * 60)) == "Wed 2026-11-18 08:15"
    assert shown(OFFICE.add(at("2026-11-22T11:00"), 15 * 60)) == "Mon 2026-11-23 08:15"
    assert shown(OFFICE.next_open(at("2026-11-17T06:00"))) == "Tue 2026-11-17 08:00"
    assert OFFICE.next_open(at("2026-11-17T09:00")) == at("2026-11-17T09:00")


def test_a_deadline_that_uses_up_the_day_falls_at_closing_time() -> None:
    assert shown(OFFICE.add(at("2026-11-17T12:00"), 4 * HOUR)) == "Tue 2026-11-17 16:00"
    assert not OFFICE.is_open(at("2026-11-17T16:00")) and OFFICE.is_open(at("2026-11-17T15:59:59"))


def test_midsummer_eve_christmas_and_independence_day_are_closed_in_finland() -> None:
    assert shown(OFFICE.add(at("2027-06-24T15:00"), 2 * HOUR)) == "Mon 2027-06-28 09:00"
    assert shown(OFFICE.add(at("2027-12-03T15:00"), 2 * HOUR)) == "Tue 2027-12-07 09:00"
    assert shown(OFFICE.add(at("2027-12-23T15:00"), 2 * HOUR)) == "Mon 2027-12-27 09:00"
    assert OFFICE.closed_reason(date(2027, 12, 6)) == "Independence Day"
    assert OFFICE.closed_reason(date(2027, 12, 7)) is None
    assert OFFICE.closed_reason(date(2027, 12, 11)) == "no working hours"


def test_a_calendar_without_a_country_works_on_public_holidays() -> None:
    plain = BusinessCalendar(country=None)
    assert plain.between(at("2027-12-06T00:00"), at("2027-12-07T00:00")) == 8 * HOUR
    assert OFFICE.between(at("2027-12-06T00:00"), at("2027-12-07T00:00")) == 0


def test_a_subdivision_adds_its_own_holidays() -> None:
    aland = BusinessCalendar(subdivision="01")
    assert (
        aland.holiday(date(2026, 6, 9)) == "Åland's Autonomy Day" and OFFICE.holiday(date(2026, 6, 9)) is None
    )
    assert aland.between(at("2026-06-09T00:00"), at("2026-06-10T00:00")) == 0


def test_closed_dates_are_skipped_like_holidays() -> None:
    calendar = BusinessCalendar(closed=frozenset({date(2026, 12, 31)}))
    assert shown(calendar.add(at("2026-12-30T15:00"), 2 * HOUR)) == "Mon 2027-01-04 09:00"
    assert calendar.closed_reason(date(2026, 12, 31)) == "closed"


def test_the_spring_change_day_has_23_hours_and_the_autumn_one_25() -> None:
    always = BusinessCalendar(hours=WeeklyHours.parse({"mon-sun": "00:00-24:00"}), country=None)
    assert always.between(at("2027-03-28T00:00"), at("2027-03-29T00:00")) == 23 * HOUR
    assert always.between(at("2026-10-25T00:00"), at("2026-10-26T00:00")) == 25 * HOUR
    assert always.open_intervals(at("2026-10-24T12:00"), at("2026-10-26T12:00")) == [
        (at("2026-10-24T12:00"), at("2026-10-26T12:00"))
    ]


def test_working_hours_across_a_clock_change_count_the_hours_that_exist() -> None:
    night = BusinessCalendar(hours=WeeklyHours.parse({"sun": "02:00-06:00"}), country=None)
    assert night.between(at("2027-03-28T00:00"), at("2027-03-28T12:00")) == 3 * HOUR
    assert night.between(at("2026-10-25T00:00"), at("2026-10-25T12:00")) == 5 * HOUR
    assert shown(night.add(at("2027-03-28T00:00"), 2 * HOUR)) == "Sun 2027-03-28 05:00"


def test_a_night_shift_across_midnight_is_one_stretch() -> None:
    nights = BusinessCalendar(
        hours=WeeklyHours.parse({"mon": "22:00-24:00", "tue": "00:00-06:00"}), country=None
    )
    assert nights.open_intervals(at("2026-11-16T00:00"), at("2026-11-18T00:00")) == [
        (at("2026-11-16T22:00"), at("2026-11-17T06:00"))
    ]
    assert nights.pauses(at("2026-11-16T20:00"), at("2026-11-17T08:00")) == [
        (at("2026-11-16T20:00"), at("2026-11-16T22:00")),
        (at("2026-11-17T06:00"), at("2026-11-17T08:00")),
    ]


def test_a_lunch_break_pauses_the_clock() -> None:
    lunch = BusinessCalendar(hours=WeeklyHours.parse({"mon-fri": ["08:00-11:30", "12:00-16:00"]}))
    assert shown(lunch.add(at("2026-11-17T11:00"), HOUR)) == "Tue 2026-11-17 12:30"
    assert lunch.day_length == int(7.5 * HOUR)
    assert lunch.hours.describe() == "mon-fri 08:00-11:30, 12:00-16:00"


def test_time_waited_is_zero_when_the_end_is_not_after_the_start() -> None:
    assert OFFICE.between(at("2026-11-17T12:00"), at("2026-11-17T10:00")) == 0
    assert OFFICE.open_intervals(at("2026-11-17T12:00"), at("2026-11-17T12:00")) == []


def test_negative_business_time_is_refused() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        OFFICE.add(at("2026-11-17T12:00"), -1)


def test_a_calendar_needs_hours_and_a_known_time_zone() -> None:
    with pytest.raises(ValueError, match="at least one weekday"):
        BusinessCalendar(hours=WeeklyHours.parse({"sat-sun": "closed"}))
    with pytest.raises(ZoneInfoNotFoundError):
        BusinessCalendar(zone="Europe/Helsinky")


def test_a_calendar_closed_for_years_says_so_instead_of_searching_forever() -> None:
    days = {date.fromordinal(date(2026, 1, 1).toordinal() + n) for n in range(4 * 366)}
    shut = BusinessCalendar(closed=frozenset(days))
    with pytest.raises(ValueError, match="no working time within"):
        shut.add(at("2026-01-01T00:00"), HOUR)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("08:00-16:00, 15:00-17:00", "overlap"),
        ("16:00-08:00", "ends before it starts"),
        ("8-16", "time of day"),
        ("08:00-24:30", "24:00 at the latest"),
        ("08:00", "expected hours such as 08:00-16:00"),
    ],
)
def test_hours_that_make_no_sense_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_spans(text)


def test_days_are_read_as_single_days_and_ranges() -> None:
    assert parse_days("mon-fri") == (0, 1, 2, 3, 4) and parse_days("Sun") == (6,)
    with pytest.raises(ValueError, match="backwards"):
        parse_days("fri-mon")
    with pytest.raises(ValueError, match="given twice"):
        WeeklyHours.parse({"mon-fri": "08:00-16:00", "fri": "08:00-14:00"})
