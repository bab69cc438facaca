"""Planning periods: a month (2026-12), a quarter (2026-Q1) or a year (2026), in UTC."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from liidi.errors import FieldError, ValidationFailed

_PERIOD = re.compile(r"^(\d{4})(?:-(?:(\d{2})|[Qq]([1-4])))?$")
DAY = 86_400.0


@dataclass(frozen=True, slots=True)
class Period:
    """A stretch of whole days [start, end) named as a month, a quarter or a year."""

    name: str
    start: date
    end: date

    @property
    def start_ts(self) -> float:
        """The first moment of the period, UTC epoch seconds."""
        return _epoch(self.start)

    @property
    def end_ts(self) -> float:
        """The first moment after the period, UTC epoch seconds."""
        return _epoch(self.end)

    def elapsed(self, now: float) -> float:
        """The share of the period gone by at `now`, from 0 to 1."""
        span = self.end_ts - self.start_ts
        return min(1.0, max(0.0, (now - self.start_ts) / span))

    def describe(self) -> str:
        """'December 2026', 'Q1 2026' or '2026'."""
        if "-Q" in self.name:
            return f"Q{self.name[-1]} {self.start.year}"
        if "-" in self.name:
            return f"{self.start:%B %Y}"
        return self.name


def parse_period(value: str, field: str = "period") -> Period:
    """A period from '2026-12', '2026-Q1' or '2026'; ValidationFailed naming the field otherwise."""
    text = value.strip() if isinstance(value, str) else ""
    match = _PERIOD.match(text)
    reason = "expected a month such as 2026-12, a quarter such as 2026-Q1 or a year such as 2026"
    if not match or not 1970 <= int(match.group(1)) <= 9998:
        raise ValidationFailed([FieldError(field, value, reason)], f"{field} {value!r}: {reason}")
    year, month, quarter = int(match.group(1)), match.group(2), match.group(3)
    if month is not None:
        if not 1 <= int(month) <= 12:
            raise ValidationFailed([FieldError(field, value, reason)], f"{field} {value!r}: {reason}")
        start = date(year, int(month), 1)
        return Period(f"{year}-{month}", start, _add_months(start, 1))
    if quarter is not None:
        start = date(year, 3 * int(quarter) - 2, 1)
        return Period(f"{year}-Q{quarter}", start, _add_months(start, 3))
    return Period(str(year), date(year, 1, 1), date(year + 1, 1, 1))


def month_of(ts: float) -> Period:
    """The calendar month (UTC) a moment falls in."""
    moment = datetime.fromtimestamp(ts, UTC)
    return parse_period(f"{moment.year}-{moment.month:02d}")


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day when it has fewer days)."""
    return _add_months(day, -months)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - date(year, month, 1)).days
    return date(year, month, min(day.day, last))


def _epoch(day: date) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()


def year_before(ts: float) -> float:
    """The same moment twelve calendar months earlier (UTC)."""
    moment = datetime.fromtimestamp(ts, UTC)
    day = months_before(moment.date(), 12)
    return moment.replace(year=day.year, month=day.month, day=day.day).timestamp()


def day_of(ts: float) -> str:
    """A moment's UTC date as 2026-12-05."""
    return datetime.fromtimestamp(ts, UTC).date().isoformat()
