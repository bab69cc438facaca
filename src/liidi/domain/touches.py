"""Sales touches: a call, e-mail, meeting or note, recorded from the CRM, by the rep or by an event."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from liidi.domain.bounds import moment_of, parse_time
from liidi.errors import FieldError, ValidationFailed

KINDS = ("call", "email", "meeting", "note")
SOURCES = ("crm", "rep")
EVENT_TYPE = "sales_touch"
OTHER = "other"  # an event's kind outside KINDS
MAX_NOTE = 2000
MAX_ACTOR = 254
MAX_PAST = 30 * 365.25 * 86400


@dataclass(frozen=True, slots=True)
class Touch:
    """A checked touch, ready to be stored for a person."""

    kind: str
    occurred_ts: float
    actor: str | None
    note: str | None
    source: str
    event_id: str | None = None


def check_touch(
    *,
    kind: str,
    occurred_at: Any,
    actor: str | None,
    note: str | None,
    source: str,
    now: float,
    tolerance: float = 300.0,
) -> Touch:
    """A touch from its parts; ValidationFailed names every field at fault."""
    errors: list[FieldError] = []
    if kind not in KINDS:
        errors.append(FieldError("kind", kind, f"must be one of {', '.join(KINDS)}"))
    if source not in SOURCES:
        errors.append(FieldError("source", source, f"must be one of {', '.join(SOURCES)}"))
    ts = now if occurred_at is None else _moment(occurred_at, now, tolerance, errors)
    actor = _text(actor, "actor", MAX_ACTOR, errors)
    note = _text(note, "note", MAX_NOTE, errors)
    if errors:
        raise ValidationFailed(errors, f"touch refused: {errors[0].one_line()}")
    return Touch(kind, ts, actor, note, source)


def _moment(value: Any, now: float, tolerance: float, errors: list[FieldError]) -> float:
    ts = moment_of(value.strip()) if isinstance(value, str) else parse_time(value)
    if ts is None or ts < 0:
        errors.append(
            FieldError("occurred_at", value, "not an ISO 8601 time (2026-11-20T09:30:00Z) or epoch seconds")
        )
        return now
    if ts > now + tolerance:
        errors.append(
            FieldError("occurred_at", value, f"is in the future by more than {int(tolerance)} seconds")
        )
    elif ts < now - MAX_PAST:
        errors.append(FieldError("occurred_at", value, "is more than 30 years in the past"))
    return ts


def _text(value: str | None, field: str, limit: int, errors: list[FieldError]) -> str | None:
    if value is None or not value.strip():
        return None
    if "\x00" in value:
        errors.append(
            FieldError(field, value.replace("\x00", "\\0")[:40], "must not contain the NUL character")
        )
    elif len(value) > limit:
        errors.append(FieldError(field, value[:40] + "…", f"must be at most {limit} characters"))
    return value.strip()


def touch_of_event(event_id: str, occurred_ts: float, properties: Mapping[str, Any]) -> Touch:
    """The touch a sales_touch event records: properties kind, actor (or rep), note and source.

    An event is never refused for its properties: a kind outside KINDS is stored as 'other', text that
    is too long is cut, and a source other than crm or rep is 'event'.
    """
    kind = _prop(properties, "kind", 20)
    source = _prop(properties, "source", 20)
    return Touch(
        kind=kind.lower() if kind and kind.lower() in KINDS else OTHER,
        occurred_ts=occurred_ts,
        actor=_prop(properties, "actor", MAX_ACTOR) or _prop(properties, "rep", MAX_ACTOR),
        note=_prop(properties, "note", MAX_NOTE),
        source=source if source in SOURCES else "event",
        event_id=event_id,
    )


def _prop(properties: Mapping[str, Any], name: str, limit: int) -> str | None:
    value = properties.get(name)
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()[:limit]
