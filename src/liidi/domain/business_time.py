"""Business time: working hours in one time zone, closed on weekends, public holidays and chosen dates.

A moment is open when its local wall-clock time falls in a working span of its local date and that
date is neither a public holiday nor a closed date. Every operation follows from that one rule, so the
hour that repeats when clocks go back counts twice when it is working time, and the hour skipped when
they go forward does not exist. Times are epoch seconds (UTC); durations are seconds of working time.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

DAY = 86_400
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HORIZON_DAYS = 3 * 366
_MAX_WINDOW_DAYS = 32
_EPOCH_DAY = date(1970, 1, 1)
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")

Span = tuple[int, int]
Interval = tuple[float, float]


def parse_days(text: str) -> tuple[int, ...]:
    """'mon', 'mon-fri' or 'sat-sun' as weekday numbers, Monday being 0."""
    first, _, last = text.strip().lower().partition("-")
    if first not in WEEKDAYS or (last and last not in WEEKDAYS):
        raise ValueError(f"expected a weekday or a range such as mon-fri, got {text!r}")
    start, end = WEEKDAYS.index(first), WEEKDAYS.index(last or first)
    if end < start:
        raise ValueError(f"{text!r} runs backwards; write the days from Monday towards Sunday")
    return tuple(range(start, end + 1))


def parse_spans(text: str) -> tuple[Span, ...]:
    """'08:00-16:00' or '08:00-11:30, 12:00-16:00' as seconds since local midnight; 'closed' is none."""
    if text.strip().lower() in ("closed", ""):
        return ()
    spans = sorted(_span(part) for part in text.split(","))
    for (_, end), (start, _) in itertools.pairwise(spans):
        if start < end:
            raise ValueError(f"the spans of {text!r} overlap")
    return tuple(spans)


def _span(text: str) -> Span:
    """One 'HH:MM-HH:MM' span, ending after it starts, at 24:00 at the latest."""
    start, dash, end = text.strip().partition("-")
    if not dash:
        raise ValueError(f"expected hours such as 08:00-16:00, got {text.strip()!r}")
    opens, closes = _clock(start), _clock(end)
    if closes <= opens:
        raise ValueError(
            f"{text.strip()!r} ends before it starts; split a night at midnight (22:00-24:00, 00:00-06:00)"
        )
    return opens, closes


def _clock(text: str) -> int:
    """'08:30' as seconds since midnight; '24:00' is the end of the day."""
    match = _CLOCK.match(text.strip())
    hour, minute = (int(match.group(1)), int(match.group(2))) if match else (99, 99)
    if minute > 59 or hour * 3600 + minute * 60 > DAY:
        raise ValueError(f"expected a time of day such as 08:00 (24:00 at the latest), got {text.strip()!r}")
    return hour * 3600 + minute * 60


@dataclass(frozen=True, slots=True)
class WeeklyHours:
    """Working spans for each weekday, Monday first, in local seconds since midnight."""

    days: tuple[tuple[Span, ...], ...]

    @classmethod
    def parse(cls, spec: Mapping[str, str | Sequence[str]]) -> WeeklyHours:
        """`{"mon-fri": "08:00-16:00", "sat": "10:00-14:00"}`; days not named are closed."""
        days: dict[int, tuple[Span, ...]] = {}
        for key, value in spec.items():
            text = value if isinstance(value, str) else ", ".join(value)
            spans = parse_spans(text)
            for day in parse_days(key):
                if day in days:
                    raise ValueError(f"{WEEKDAYS[day]} is given twice")
                days[day] = spans
        return cls(tuple(days.get(day, ()) for day in range(7)))

    def on(self, weekday: int) -> tuple[Span, ...]:
        """The spans of one weekday (Monday = 0)."""
        return self.days[weekday]

    def longest_day(self) -> int:
        """Seconds of working time in the longest weekday: what one working day means."""
        return max(sum(end - start for start, end in spans) for spans in self.days)

    def describe(self) -> str:
        """'mon-fri 08:00-16:00' style text, runs of equal days joined."""
        parts: list[str] = []
        day = 0
        while day < 7:
            last = day
            while last + 1 < 7 and self.days[last + 1] == self.days[day]:
                last += 1
            if self.days[day]:
                days = WEEKDAYS[day] if last == day else f"{WEEKDAYS[day]}-{WEEKDAYS[last]}"
                parts.append(f"{days} {', '.join(_hhmm(a) + '-' + _hhmm(b) for a, b in self.days[day])}")
            day = last + 1
        return "; ".join(parts) or "closed"


def _hhmm(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


OFFICE_HOURS = WeeklyHours.parse({"mon-fri": "08:00-16:00"})


@lru_cache(maxsize=512)
def public_holidays(country: str, subdivision: str | None, year: int) -> Mapping[date, str]:
    """The public holidays of a country (and subdivision) in one year, from the `holidays` package."""
    import holidays

    found = holidays.country_holidays(country, subdiv=subdivision, years=year)
    return {day: str(name) for day, name in found.items()}


def holiday_countries() -> Mapping[str, Sequence[str]]:
    """Country codes with public holidays in the `holidays` package, each with its subdivision codes."""
    import holidays

    return holidays.list_supported_countries()


@dataclass(frozen=True, slots=True)
class BusinessCalendar:
    """When a team works: weekly hours in a time zone, less public holidays and closed dates."""

    zone: str = "Europe/Helsinki"
    hours: WeeklyHours = OFFICE_HOURS
    country: str | None = "FI"
    subdivision: str | None = None
    closed: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        ZoneInfo(self.zone)
        if not any(self.hours.days):
            raise ValueError("a business calendar needs working hours on at least one weekday")

    @property
    def tz(self) -> ZoneInfo:
        """The time zone (zoneinfo caches one object per name)."""
        return ZoneInfo(self.zone)

    @property
    def day_length(self) -> int:
        """Seconds of working time in one working day (the longest weekday)."""
        return self.hours.longest_day()

    def holiday(self, day: date) -> str | None:
        """The public holiday's name on a local date, if it is one."""
        if self.country is None:
            return None
        return public_holidays(self.country, self.subdivision, day.year).get(day)

    def closed_reason(self, day: date) -> str | None:
        """Why a local date has no working time ('closed', a holiday's name, 'no working hours'), or None."""
        if day in self.closed:
            return "closed"
        return self.holiday(day) or (None if self.hours.on(day.weekday()) else "no working hours")

    def spans_on(self, day: date) -> tuple[Span, ...]:
        """The working spans of a local date: none on closed dates and holidays."""
        spans = self.hours.on(day.weekday())
        if not spans or day in self.closed or self.holiday(day):
            return ()
        return spans

    def is_open(self, ts: float) -> bool:
        """Whether a moment is working time."""
        local = datetime.fromtimestamp(ts, self.tz)
        clock = local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6
        return any(start <= clock < end for start, end in self.spans_on(local.date()))

    def next_open(self, ts: float) -> float:
        """The moment itself when it is working time, else the next moment that is."""
        if self.is_open(ts):
            return ts
        return next(self._open_from(ts))[0]

    def add(self, start_ts: float, business_seconds: float) -> float:
        """The moment `business_seconds` of working time after `start_ts`: a deadline."""
        if business_seconds < 0:
            raise ValueError(f"business time to add must not be negative, got {business_seconds}")
        left = float(business_seconds)
        if left == 0:
            return start_ts
        for opens, closes in self._open_from(start_ts):
            if closes - opens >= left:
                return opens + left
            left -= closes - opens
        raise AssertionError("unreachable: _open_from raises past its horizon")

    def between(self, a_ts: float, b_ts: float) -> float:
        """Seconds of working time from a to b (time waited); 0 when b is not after a."""
        return sum(closes - opens for opens, closes in self.open_intervals(a_ts, b_ts))

    def open_intervals(self, start_ts: float, end_ts: float) -> list[Interval]:
        """The working stretches within [start, end), merged and in order."""
        found: list[Interval] = []
        for piece_start, piece_end, offset in self._pieces(start_ts, end_ts):
            for opens, closes in self._local_open(piece_start + offset, piece_end + offset):
                _append(found, opens - offset, closes - offset)
        return found

    def pauses(self, start_ts: float, end_ts: float) -> list[Interval]:
        """The stretches of [start, end) that are not working time: when a clock stands still."""
        gaps: list[Interval] = []
        cursor = start_ts
        for opens, closes in self.open_intervals(start_ts, end_ts):
            if opens > cursor:
                gaps.append((cursor, opens))
            cursor = closes
        if cursor < end_ts:
            gaps.append((cursor, end_ts))
        return gaps

    def _open_from(self, start_ts: float) -> Iterator[Interval]:
        """Working stretches from a moment on, in windows of 1, 2, 4 … up to 32 days, HORIZON_DAYS at most."""
        done = 0
        while done < HORIZON_DAYS:
            days = min(max(done, 1), _MAX_WINDOW_DAYS, HORIZON_DAYS - done)
            yield from self.open_intervals(start_ts + done * DAY, start_ts + (done + days) * DAY)
            done += days
        raise ValueError(f"the calendar has no working time within {HORIZON_DAYS} days")

    def _local_open(self, local_start: float, local_end: float) -> Iterator[Interval]:
        """Working stretches of a stretch of local wall-clock time (seconds as if local were UTC)."""
        for n in range(math.floor(local_start / DAY), math.floor(local_end / DAY) + 1):
            base = n * DAY
            for start, end in self.spans_on(_EPOCH_DAY + timedelta(days=n)):
                opens, closes = max(local_start, base + start), min(local_end, base + end)
                if opens < closes:
                    yield opens, closes

    def _pieces(self, start_ts: float, end_ts: float) -> Iterator[tuple[float, float, int]]:
        """[start, end) cut where the UTC offset changes: (from, to, offset seconds) per stretch."""
        cursor = start_ts
        while cursor < end_ts:
            offset = _offset(self.tz, cursor)
            stop = cursor
            while stop < end_ts:
                probe = min(stop + DAY, end_ts)
                if _offset(self.tz, probe) != offset:
                    stop = _change(self.tz, stop, probe, offset)
                    break
                stop = probe
            yield cursor, min(stop, end_ts), offset
            cursor = stop


def _offset(tz: ZoneInfo, ts: float) -> int:
    """The zone's UTC offset at a moment, in seconds."""
    delta = datetime.fromtimestamp(ts, tz).utcoffset()
    return int(delta.total_seconds()) if delta is not None else 0


def _change(tz: ZoneInfo, low: float, high: float, offset: int) -> float:
    """The first whole second in (low, high] whose offset differs from `offset` (zones change on seconds)."""
    lo, hi = math.floor(low), math.ceil(high)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _offset(tz, mid) == offset:
            lo = mid
        else:
            hi = mid
    return float(hi)


def _append(found: list[Interval], opens: float, closes: float) -> None:
    """Add a stretch, joining it to the last one when they touch."""
    if found and found[-1][1] >= opens:
        found[-1] = (found[-1][0], max(found[-1][1], closes))
    else:
        found.append((opens, closes))
