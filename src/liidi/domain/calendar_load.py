"""The `calendar:` section of sla.yaml → BusinessCalendar, every problem reported with its position."""

from __future__ import annotations

import difflib
from datetime import date, timedelta
from functools import cache
from zoneinfo import available_timezones

import yaml

from liidi.domain.business_time import (
    WEEKDAYS,
    BusinessCalendar,
    Span,
    WeeklyHours,
    holiday_countries,
    parse_days,
    parse_spans,
)
from liidi.domain.scoring.yamlread import Reader, Where, scalar, shown

CALENDAR_KEYS = ("time_zone", "hours", "country", "subdivision", "closed")
DEFAULT_ZONE = "Europe/Helsinki"
MAX_CLOSED_RANGE_DAYS = 366
_HOURS_EXAMPLE = "such as 08:00-16:00, '08:00-11:30, 12:00-16:00' or closed"


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


class CalendarLoader:
    """Reads one `calendar:` mapping; None from `calendar()` when it has a problem."""

    def __init__(self, reader: Reader) -> None:
        self.r = reader

    def calendar(self, node: yaml.Node) -> BusinessCalendar | None:
        """Time zone, weekly hours, the country of the public holidays and closed dates."""
        where = Where("calendar", "calendar")
        f = self.r.mapping(node, where, CALENDAR_KEYS)
        if f is None:
            return None
        zone = self.zone(f.get("time_zone"), where.key("time_zone"))
        hours = self.hours(f.get("hours"), where.key("hours"))
        country = self.country(f.get("country"), where.key("country"))
        subdivision = self.subdivision(f.get("subdivision"), country, where.key("subdivision"))
        closed = self.closed(f.get("closed"), where.key("closed"))
        parts = (zone, hours, country, subdivision, closed)
        if any(part is False for part in parts) or zone is None or hours is None or closed is None:
            return None
        return BusinessCalendar(zone, hours, _text_or_none(country), _text_or_none(subdivision), closed)

    def zone(self, node: yaml.Node | None, where: Where) -> str | None:
        """An IANA time zone name (Europe/Helsinki when absent)."""
        if node is None:
            return DEFAULT_ZONE
        name = self.r.text(node, where)
        if name is not None and name not in _zones():
            close = difflib.get_close_matches(name, sorted(_zones()), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "an IANA name such as Europe/Helsinki"
            self.r.report(node, where, f"unknown time zone '{name}' ({hint})", name)
            return None
        return name

    def hours(self, node: yaml.Node | None, where: Where) -> WeeklyHours | None:
        """`{mon-fri: 08:00-16:00, sat: closed}`; days not named are closed; Mon–Fri 08–16 when absent."""
        if node is None:
            return WeeklyHours.parse({"mon-fri": "08:00-16:00"})
        f = self.r.mapping(node, where, None, noun="day")
        if f is None:
            return None
        days: dict[int, tuple[Span, ...]] = {}
        results = [self.day(key, *nodes, where.key(key), days) for key, nodes in f.entries.items()]
        if not all(results):
            return None
        if not any(days.values()):
            self.r.report(node, where, "no working hours on any day; give some, e.g. mon-fri: 08:00-16:00")
            return None
        return WeeklyHours(tuple(days.get(day, ()) for day in range(7)))

    def day(
        self, key: str, key_node: yaml.Node, value: yaml.Node, where: Where, days: dict[int, tuple[Span, ...]]
    ) -> bool:
        """One `days: spans` entry added to `days`; False when it has a problem."""
        try:
            numbers = parse_days(key)
        except ValueError as error:
            self.r.report(key_node, where, str(error), key)
            return False
        text = _spans_text(value)
        if text is None:
            self.r.report(value, where, f"expected hours {_HOURS_EXAMPLE}, got {shown(value)}")
            return False
        try:
            spans = parse_spans(text)
        except ValueError as error:
            self.r.report(value, where, str(error), text)
            return False
        twice = [WEEKDAYS[n] for n in numbers if n in days]
        if twice:
            self.r.report(key_node, where, f"{', '.join(twice)} given twice", key)
            return False
        days.update(dict.fromkeys(numbers, spans))
        return True

    def country(self, node: yaml.Node | None, where: Where) -> str | bool | None:
        """A country code of the `holidays` package (FI when absent, null for no public holidays)."""
        if node is None:
            return "FI"
        code = scalar(node) if isinstance(node, yaml.ScalarNode) else False
        if code is None:
            return None
        if not isinstance(code, str) or code.upper() not in holiday_countries():
            reason = "no public holidays are known for it; expected a code such as FI, SE or DE, or null"
            self.r.report(node, where, f"{shown(node)}: {reason}", code)
            return False
        return code.upper()

    def subdivision(
        self, node: yaml.Node | None, country: str | bool | None, where: Where
    ) -> str | bool | None:
        """A subdivision of the country (e.g. a Finnish region code such as '01'), if any."""
        if node is None or country is False:
            return None
        if not isinstance(country, str):
            self.r.report(node, where, "a subdivision needs a country")
            return False
        name = str(node.value) if isinstance(node, yaml.ScalarNode) else None
        known = holiday_countries()[country]
        if name not in known:
            listed = ", ".join(known) or "none"
            self.r.report(
                node, where, f"{shown(node)} is not a subdivision of {country} (known: {listed})", name
            )
            return False
        return name

    def closed(self, node: yaml.Node | None, where: Where) -> frozenset[date] | None:
        """Dates closed besides the public holidays: '2026-12-31' or '2027-07-05..2027-07-30'."""
        if node is None:
            return frozenset()
        found: set[date] = set()
        ok = True
        for i, item in enumerate(self.r.sequence(node, where) or []):
            days = self.closed_item(item, where.key(i))
            ok = ok and days is not None
            found.update(days or ())
        return frozenset(found) if ok and isinstance(node, yaml.SequenceNode) else None

    def closed_item(self, node: yaml.Node, where: Where) -> list[date] | None:
        """One date or one 'first..last' range of dates."""
        text = str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""
        first_text, dots, last_text = text.partition("..")
        try:
            first = date.fromisoformat(first_text.strip())
            last = date.fromisoformat(last_text.strip()) if dots else first
        except ValueError:
            example = "such as 2026-12-31 or 2027-07-05..2027-07-30"
            self.r.report(
                node, where, f"expected a date or a range of dates {example}, got {shown(node)}", text
            )
            return None
        length = (last - first).days + 1
        if not 1 <= length <= MAX_CLOSED_RANGE_DAYS:
            reason = "runs backwards" if length < 1 else f"is longer than {MAX_CLOSED_RANGE_DAYS} days"
            self.r.report(node, where, f"the range {text} {reason}", text)
            return None
        return [first + timedelta(days=n) for n in range(length)]


def _spans_text(node: yaml.Node) -> str | None:
    """The hours of a day as text: a scalar, or a list of spans joined with commas."""
    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    if isinstance(node, yaml.SequenceNode) and all(isinstance(item, yaml.ScalarNode) for item in node.value):
        return ", ".join(str(item.value) for item in node.value)
    return None


def _text_or_none(value: str | bool | None) -> str | None:
    return value if isinstance(value, str) else None
