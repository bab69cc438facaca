"""How a lead's SLA wait reads: working time waited, how late, and the short cell of lead lists."""

from __future__ import annotations

from liidi.domain.business_time import BusinessCalendar
from liidi.domain.sla_wait import describe_wait, wait_cell, wait_of

MONDAY_0833 = 1_793_000_000.0 - 3600  # 2026-10-26 08:33 in Helsinki
CLOCK = {"status": "open", "policy": "p", "started_ts": MONDAY_0833, "due_ts": MONDAY_0833 + 900}


def test_waits_read_in_minutes_hours_and_working_days() -> None:
    assert [describe_wait(s, 8 * 3600) for s in (59, 45 * 60, 7800, 3900, 8 * 3600, 11 * 3600)] == [
        "0m",
        "45m",
        "2h 10m",
        "1h 05m",
        "1d",
        "1d 3h",
    ]


def test_an_untouched_clock_past_its_due_time_is_breached_before_the_scan_marks_it() -> None:
    calendar = BusinessCalendar()
    before = wait_of(CLOCK, calendar, MONDAY_0833 + 600)
    after = wait_of(CLOCK, calendar, MONDAY_0833 + 4800)
    assert before is not None and (before.status, before.waited_seconds) == ("open", 600)
    assert after is not None and (after.status, after.late_seconds) == ("breached", 3900)
    assert wait_cell(before, MONDAY_0833) == "due 08:48" and wait_cell(after, MONDAY_0833) == "late 1h 05m"
    assert wait_cell(before, MONDAY_0833 - 86400) == "due 26.10 08:48"


def test_a_met_clock_waited_until_the_touch_and_a_closed_one_shows_nothing() -> None:
    met = wait_of(CLOCK | {"status": "met", "first_touch_ts": MONDAY_0833 + 300}, None, MONDAY_0833 + 9999)
    assert met is not None and (met.status, met.waited_seconds, wait_cell(met, 0)) == ("met", 300, "met")
    assert wait_of(CLOCK | {"status": "closed"}, None, MONDAY_0833) is None
