"""Command-line values checked once: person references, moments and ids every backend can store."""

from __future__ import annotations

from datetime import UTC, datetime

from liidi.cli.common import uow
from liidi.domain.bounds import MAX_INT64, moment_of
from liidi.errors import FieldError, ValidationFailed
from liidi.services import queries

MOMENT_HELP = "Epoch seconds or an ISO date/time, UTC (2026-11-01, 2026-11-01T12:00:00Z); default now."


def person_id_of(who: str, field: str = "person") -> int:
    """The id of a person named by e-mail, id in the CRM or liidi id (digits); ValidationFailed for an
    id no backend can hold."""
    text = who.strip()
    if not text.isdigit():
        return queries.person_id_for(uow(), text)
    if int(text) > MAX_INT64:
        reason = f"a person id is at most {MAX_INT64}"
        raise ValidationFailed([FieldError(field, who, reason)], f"{field} {who!r}: {reason}")
    return int(text)


def parse_moment(value: str | None, option: str = "--as-of") -> float:
    """Epoch seconds from '1793000000', '2026-11-01' or '2026-11-01T12:00:00+02:00'; None is now."""
    if value is None:
        return datetime.now(UTC).timestamp()
    moment = moment_of(value)
    if moment is None:
        reason = "expected epoch seconds or an ISO date/time (e.g. 2026-11-01T00:00:00Z) from 1970 to 9999"
        raise ValidationFailed([FieldError("as_of", value, reason)], f"{option} {value!r}: {reason}")
    return moment


OPEN_PAST, OPEN_FUTURE = 0.0, 253_402_300_800.0
"""Bounds at or beyond these (1970, the year 10000) stand for an open end of a period."""


def period_words(since: float | None, until: float | None) -> str:
    """A report's period as read aloud: 'from 2026-06-01 to 2026-07-01', 'from 2026-06-01 to now',
    'until 2026-07-01' or 'so far'; times other than midnight keep their hour and minute (UTC)."""
    start = None if since is None or since <= OPEN_PAST else _day_or_time(since)
    end = None if until is None or until >= OPEN_FUTURE else _day_or_time(until)
    if start and end:
        return f"from {start} to {end}"
    if start:
        return f"from {start} to now"
    return f"until {end}" if end else "so far"


def _day_or_time(ts: float) -> str:
    moment = datetime.fromtimestamp(ts, UTC)
    return f"{moment:%Y-%m-%d}" if moment.time() == datetime.min.time() else f"{moment:%Y-%m-%d %H:%M}"
