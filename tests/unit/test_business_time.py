"""Business-time arithmetic against a brute-force clock that looks at every minute on its own (Hypothesis).

The clock asks, minute by minute, whether the minute's local date and wall-clock time in
Europe/Helsinki fall in working hours and off the Finnish public holidays, which it takes from the
`holidays` package itself. The windows cover weekends, Easter with the spring DST change (28.3.2027),
the autumn DST change (25.10.2026), Midsummer (25.6.2027) and December (Independence Day on Monday
6.12.2027, Christmas, New Year).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from liidi.domain.business_time import DAY, BusinessCalendar, WeeklyHours

HELSINKI = ZoneInfo("Europe/Helsinki")
FINNISH_HOLIDAYS = frozenset(holidays.country_holidays("FI", years=range(2026, 2029)))
WINDOWS = {
    "easter and spring DST": ("2027-03-22", "2027-04-05"),
    "midsummer": ("2027-06-21", "2027-06-30"),
    "autumn DST": ("2026-10-19", "2026-11-03"),
    "december": ("2027-11-29", "2028-01-04"),
}
DST_DAYS = {"spring DST": ("2027-03-27", "2027-03-30"), "autumn DST": ("2026-10-24", "2026-10-27")}
CALENDARS: dict[str, Mapping[str, str]] = {
    "office": {"mon-fri": "08:00-16:00"},
    "round the clock on Sundays": {
        "mon": "00:00-02:00, 07:00-17:00",
        "tue-fri": "07:00-11:30, 12:15-17:00",
        "sat": "10:00-14:00",
        "sun": "00:00-01:00, 02:30-04:30, 22:00-24:00",
    },
    "every hour of the year": {"mon-sun": "00:00-24:00"},
}
CLOSED = frozenset({date(2026, 10, 28), date(2027, 6, 22), date(2027, 12, 31)})
FAST = settings(max_examples=60, deadline=None)


def local(text: str) -> float:
    """A Helsinki wall-clock time as epoch seconds."""
    return datetime.fromisoformat(text).replace(tzinfo=HELSINKI).timestamp()


@dataclass(frozen=True)
class Clock:
    """The brute-force answer for one calendar over one window: which minutes are open."""

    start: int
    open: tuple[bool, ...]
    prefix: tuple[int, ...]

    def ts(self, minute: int) -> float:
        return float(self.start + minute * 60)

    def between(self, a: int, b: int) -> int:
        return 60 * (self.prefix[b] - self.prefix[a])

    def add(self, a: int, minutes: int) -> int:
        return bisect.bisect_left(self.prefix, self.prefix[a] + minutes, lo=a)

    def runs(self, a: int, b: int) -> list[tuple[float, float]]:
        found = []
        minute = a
        for is_open, group in itertools.groupby(self.open[a:b]):
            length = len(list(group))
            if is_open:
                found.append((self.ts(minute), self.ts(minute + length)))
            minute += length
        return found


@cache
def minutes(first: str, last: str) -> tuple[int, tuple[tuple[date, int], ...]]:
    """Every UTC minute from local midnight of `first` to that of `last`, as (local date, minute of day)."""
    start, end = int(local(first)), int(local(last))
    seen = []
    for ts in range(start, end, 60):
        moment = datetime.fromtimestamp(ts, HELSINKI)
        seen.append((moment.date(), moment.hour * 60 + moment.minute))
    return start, tuple(seen)


def brute_clock(
    spans: Sequence[Sequence[tuple[int, int]]], closed: frozenset[date], window: tuple[str, str]
) -> Clock:
    """Open minutes: a working span of the weekday, not a Finnish public holiday, not a closed date."""
    start, seen = minutes(*window)
    is_open = tuple(
        day not in FINNISH_HOLIDAYS
        and day not in closed
        and any(a <= minute * 60 < b for a, b in spans[day.weekday()])
        for day, minute in seen
    )
    return Clock(start, is_open, (0, *itertools.accumulate(is_open)))


@cache
def fixed(calendar: str, window: str) -> tuple[BusinessCalendar, Clock]:
    """A named calendar under test and its brute-force clock over a named window."""
    hours = WeeklyHours.parse(CALENDARS[calendar])
    closed = CLOSED if calendar != "office" else frozenset()
    return BusinessCalendar("Europe/Helsinki", hours, "FI", None, closed), brute_clock(
        hours.days, closed, WINDOWS[window]
    )


@st.composite
def cases(draw: st.DrawFn) -> tuple[BusinessCalendar, Clock, int, int]:
    """A calendar, its clock over a window, and two minutes a ≤ b in the window."""
    calendar, clock = fixed(draw(st.sampled_from(sorted(CALENDARS))), draw(st.sampled_from(sorted(WINDOWS))))
    a, b = sorted(draw(st.lists(st.integers(0, len(clock.open)), min_size=2, max_size=2)))
    return calendar, clock, a, b


@st.composite
def weekly_spans(draw: st.DrawFn) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Random weekly hours on a 15-minute grid: up to three spans a day, some days closed."""
    days = []
    for _ in range(7):
        cuts = sorted(set(draw(st.lists(st.integers(0, 96), max_size=6))))
        pairs = [(cuts[i] * 900, cuts[i + 1] * 900) for i in range(0, len(cuts) - 1, 2)]
        days.append(tuple(pairs))
    spans = tuple(days)
    return spans if any(spans) else (((0, DAY),), *spans[1:])


@FAST
@given(cases())
def test_time_waited_matches_the_minute_by_minute_clock(
    case: tuple[BusinessCalendar, Clock, int, int],
) -> None:
    calendar, clock, a, b = case
    assert calendar.between(clock.ts(a), clock.ts(b)) == clock.between(a, b)


@FAST
@given(cases())
def test_a_deadline_matches_the_minute_by_minute_clock(
    case: tuple[BusinessCalendar, Clock, int, int],
) -> None:
    calendar, clock, a, b = case
    budget = clock.prefix[b] - clock.prefix[a]
    assert calendar.add(clock.ts(a), budget * 60) == clock.ts(clock.add(a, budget))


@FAST
@given(cases())
def test_open_and_next_open_match_the_minute_by_minute_clock(
    case: tuple[BusinessCalendar, Clock, int, int],
) -> None:
    calendar, clock, a, _ = case
    a = min(a, len(clock.open) - 1)
    assert calendar.is_open(clock.ts(a)) is clock.open[a]
    assert calendar.is_open(clock.ts(a) + 59.5) is clock.open[a]
    if True in clock.open[a:]:
        assert calendar.next_open(clock.ts(a)) == clock.ts(clock.open.index(True, a))


@FAST
@given(cases())
def test_open_stretches_and_pauses_are_the_runs_of_the_minute_by_minute_clock(
    case: tuple[BusinessCalendar, Clock, int, int],
) -> None:
    calendar, clock, a, b = case
    opened = calendar.open_intervals(clock.ts(a), clock.ts(b))
    assert opened == clock.runs(a, b)
    stretches = sorted(opened + calendar.pauses(clock.ts(a), clock.ts(b)))
    assert all(x[1] == y[0] for x, y in itertools.pairwise(stretches))
    if a < b:
        assert stretches[0][0] == clock.ts(a) and stretches[-1][1] == clock.ts(b)


@settings(max_examples=40, deadline=None)
@given(weekly_spans(), st.sampled_from(sorted(DST_DAYS)), st.data())
def test_any_weekly_hours_agree_with_the_clock_across_a_dst_change(
    spans: tuple[tuple[tuple[int, int], ...], ...], day: str, data: st.DataObject
) -> None:
    calendar = BusinessCalendar("Europe/Helsinki", WeeklyHours(spans), "FI")
    clock = brute_clock(spans, frozenset(), DST_DAYS[day])
    a, b = sorted(data.draw(st.lists(st.integers(0, len(clock.open)), min_size=2, max_size=2)))
    assert calendar.between(clock.ts(a), clock.ts(b)) == clock.between(a, b)
    budget = clock.prefix[b] - clock.prefix[a]
    assert calendar.add(clock.ts(a), budget * 60) == clock.ts(clock.add(a, budget))
    assert calendar.open_intervals(clock.ts(a), clock.ts(b)) == clock.runs(a, b)


MOMENTS = st.integers(int(local("2026-10-01T00:00")), int(local("2028-01-01T00:00")))


@FAST
@given(st.sampled_from(sorted(CALENDARS)), MOMENTS, st.integers(0, 30 * 8 * 3600))
def test_the_time_waited_until_a_deadline_is_the_time_added(name: str, start: int, seconds: int) -> None:
    calendar = fixed(name, "midsummer")[0]
    deadline = calendar.add(start, seconds)
    assert calendar.between(start, deadline) == seconds
    assert deadline == start or calendar.between(start, deadline - 1) < seconds


@FAST
@given(st.sampled_from(sorted(CALENDARS)), MOMENTS, st.integers(0, 40 * DAY))
def test_adding_the_time_waited_reaches_the_later_moment_or_the_last_opening_before_it(
    name: str, start: int, length: int
) -> None:
    calendar = fixed(name, "midsummer")[0]
    end = start + length
    reached = calendar.add(start, calendar.between(start, end))
    assert start <= reached <= end
    assert calendar.between(reached, end) == 0


@FAST
@given(st.sampled_from(sorted(CALENDARS)), MOMENTS, st.integers(0, 20 * DAY), st.integers(0, 20 * DAY))
def test_time_waited_adds_up_over_consecutive_stretches(name: str, a: int, ab: int, bc: int) -> None:
    calendar = fixed(name, "midsummer")[0]
    b, c = a + ab, a + ab + bc
    assert calendar.between(a, b) + calendar.between(b, c) == calendar.between(a, c)
