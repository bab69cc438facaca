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
