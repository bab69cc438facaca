"""Checking incoming records (events, identify calls, upserts) before anything is stored."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from liidi.domain.accounts import REVENUE_BANDS, Tier
from liidi.domain.bounds import MAX_INT32, MAX_INT64, json_value_problem, moment_of, parse_time
from liidi.domain.emails import email_problem, normalise_email
from liidi.domain.events import content_key, event_type_problem
from liidi.domain.people import Consent, Direction, SourcedBy
from liidi.errors import FieldError, ValidationFailed

MAX_ID_LENGTH = 200
MAX_PAST_YEARS = 30
EVENT_FIELDS = frozenset({"id", "type", "email", "person_id", "anonymous_id", "occurred_at", "properties"})


@dataclass(frozen=True, slots=True)
class TrackEvent:
    """A checked event ready to be resolved to a person and stored."""

    index: int
    event_id: str
    type: str
    occurred_ts: float
    email: str | None = None
    person_id: int | None = None
    anonymous_id: str | None = None
    properties: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PersonFields:
    """Checked attributes for creating or updating a person."""

    values: Mapping[str, Any]
    account_domain: str | None = None
    account_id: int | None = None
    traits: Mapping[str, Any] = field(default_factory=dict)
    account_external_id: str | None = None
    account_name: str | None = None

    @property
    def names_account(self) -> bool:
        """True when the input names the person's account (which then wins over the e-mail domain)."""
        return any(
            v is not None
            for v in (self.account_id, self.account_domain, self.account_external_id, self.account_name)
        )


@dataclass(frozen=True, slots=True)
class PersonKey:
    """How an upsert names its person: an e-mail, an id in the CRM, or both."""

    email: str | None = None
    external_id: str | None = None


class _Collector:
    """Gathers field errors for one item so every problem is reported at once."""

    def __init__(self, index: int | None) -> None:
        self.index = index
        self.errors: list[FieldError] = []

    def add(self, name: str, value: Any, reason: str) -> None:
        self.errors.append(FieldError(field=name, value=value, reason=reason, index=self.index))


def _text(col: _Collector, raw: Mapping[str, Any], name: str, limit: int = 300) -> str | None:
    value = raw.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        col.add(name, value, "must be a string")
        return None
    if "\x00" in value:
        col.add(name, value.replace("\x00", "\\0")[:40], "must not contain the NUL character (\\u0000)")
        return None
    if len(value) > limit:
        col.add(name, value[:40] + "…", f"longer than {limit} characters")
        return None
    return value.strip()


def _email(col: _Collector, raw: Mapping[str, Any], name: str = "email") -> str | None:
    value = _text(col, raw, name, 254)
    if value is None:
        return None
    problem = email_problem(value)
    if problem:
        col.add(name, value, problem)
        return None
    return normalise_email(value)


def _timestamp(col: _Collector, raw: Mapping[str, Any], name: str, now: float, tolerance: float) -> float:
    value = raw.get(name)
    if value is None:
        return now
    ts = parse_time(value)
    if ts is None:
        col.add(name, value, "not an ISO 8601 time (e.g. 2026-11-01T09:30:00Z) or epoch seconds")
        return now
    if ts > now + tolerance:
        col.add(name, value, f"is in the future by more than {int(tolerance)} seconds")
    elif ts < now - MAX_PAST_YEARS * 365.25 * 86400:
        col.add(name, value, f"is more than {MAX_PAST_YEARS} years in the past")
    return ts


def _choice(col: _Collector, raw: Mapping[str, Any], name: str, allowed: Sequence[str]) -> str | None:
    value = _text(col, raw, name, 50)
    if value is not None and value not in allowed:
        col.add(name, value, f"must be one of {', '.join(allowed)}")
        return None
    return value


def _properties(col: _Collector, raw: Mapping[str, Any], name: str) -> dict[str, Any]:
    value = raw.get(name)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        col.add(name, value, "must be an object of key/value pairs")
        return {}
    problem = json_value_problem(value)
    if problem:
        col.add(f"{name}.{problem[0]}".rstrip("."), None, problem[1])
        return {}
    return dict(value)


def _positive_int(col: _Collector, raw: Mapping[str, Any], name: str, most: int = MAX_INT64) -> int | None:
    value = raw.get(name)
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        col.add(name, value, "must be a whole number")
        return None
    if number < 0 or (isinstance(value, float) and not value.is_integer()):
        col.add(name, value, "must be a whole number of zero or more")
        return None
    if number > most:
        col.add(name, value, f"must be at most {most}")
        return None
    return number


def parse_event(
    raw: Mapping[str, Any], *, index: int, now: float, tolerance: float
) -> tuple[TrackEvent | None, list[FieldError]]:
    """Check one event; returns the command or the reasons it was refused."""
    col = _Collector(index)
    for name in sorted(set(raw) - EVENT_FIELDS):
        col.add(name, raw[name], f"unknown field; an event has {', '.join(sorted(EVENT_FIELDS))}")
    event_type = _text(col, raw, "type", 100)
    if event_type is None and not any(e.field == "type" for e in col.errors):
        col.add("type", raw.get("type"), "is required")
    elif event_type is not None and (problem := event_type_problem(event_type)):
        col.add("type", event_type, problem)
    email = _email(col, raw)
    anonymous_id = _text(col, raw, "anonymous_id", MAX_ID_LENGTH)
    person_id = _positive_int(col, raw, "person_id")
    if email is None and anonymous_id is None and person_id is None and not col.errors:
        col.add("email", None, "an event needs one of email, person_id or anonymous_id")
    occurred = _timestamp(col, raw, "occurred_at", now, tolerance)
    props = _properties(col, raw, "properties")
    event_id = _text(col, raw, "id", MAX_ID_LENGTH)
    if col.errors or event_type is None:
        return None, col.errors
    key = event_id or content_key(
        {
            "type": event_type,
            "email": email,
            "person_id": person_id,
            "anon": anonymous_id,
            "ts": occurred,
            "p": props,
        }
    )
    cmd = TrackEvent(index, key, event_type, occurred, email, person_id, anonymous_id, props)
    return cmd, []


def parse_events(items: Sequence[Mapping[str, Any]], *, now: float, tolerance: float) -> list[TrackEvent]:
    """Check a whole batch; raise ValidationFailed listing every problem if any item is invalid."""
    commands: list[TrackEvent] = []
    errors: list[FieldError] = []
    for index, raw in enumerate(items):
        if not isinstance(raw, Mapping):
            errors.append(FieldError("item", raw, "each event must be an object", index))
            continue
        cmd, problems = parse_event(raw, index=index, now=now, tolerance=tolerance)
        errors.extend(problems)
        if cmd is not None:
            commands.append(cmd)
    if errors:
        raise ValidationFailed(errors, f"batch refused, nothing stored: {errors[0].one_line()}")
    return commands


PERSON_TEXT_FIELDS = ("first_name", "last_name", "title", "lead_tool", "channel", "owner")


def parse_person_fields(raw: Mapping[str, Any], *, index: int | None = None) -> PersonFields:
    """Check the attributes of a person upsert or identify call."""
    col = _Collector(index)
    values: dict[str, Any] = {}
    for name in PERSON_TEXT_FIELDS:
        if name in raw:
            values[name] = _text(col, raw, name)
    for name, enum in (("consent", Consent), ("direction", Direction), ("sourced_by", SourcedBy)):
        if name in raw:
            values[name] = _choice(col, raw, name, [m.value for m in enum])
    if "owner" in values and values["owner"] and email_problem(values["owner"]):
        col.add("owner", values["owner"], "owner must be the sales rep's e-mail address")
    if (created := _created(col, raw)) is not None:
        values["created_ts"] = created
    account_domain = _domain(col, raw.get("account_domain"))
    account_id = _positive_int(col, raw, "account_id")
    account_external_id = _text(col, raw, "account_external_id", MAX_ID_LENGTH) or None
    account_name = _text(col, raw, "account_name") or None
    traits = _properties(col, raw, "traits")
    if col.errors:
        raise ValidationFailed(col.errors)
    return PersonFields(values, account_domain, account_id, traits, account_external_id, account_name)


def parse_person_key(raw: Mapping[str, Any], *, index: int | None = None) -> PersonKey:
    """The e-mail and CRM id of a person upsert; at least one is required."""
    col = _Collector(index)
    email = _email(col, raw)
    external_id = _text(col, raw, "external_id", MAX_ID_LENGTH) or None
    if email is None and external_id is None and not col.errors:
        col.add("email", raw.get("email"), "a person needs an email or an external_id")
    if col.errors:
        raise ValidationFailed(col.errors)
    return PersonKey(email, external_id)


def _created(col: _Collector, raw: Mapping[str, Any]) -> float | None:
    """When a person or account came to be, as loaded from a CRM: `created_at` (ISO 8601 or epoch)."""
    value = raw.get("created_at")
    if value is None or value == "":
        return None
    found = moment_of(value.strip()) if isinstance(value, str) else None
    if found is None and not isinstance(value, bool | str):
        found = parse_time(value)
    if found is None or found < 0:
        col.add("created_at", value, "not an ISO 8601 time (e.g. 2016-10-20T09:30:00Z) or epoch seconds")
    return found if found is not None and found >= 0 else None


def _domain(col: _Collector, value: Any, name: str = "account_domain") -> str | None:
    if value is None or value == "":
        return None
    text = str(value).strip().lower().removeprefix("www.")
    if "@" in text or "." not in text or " " in text or len(text) > 253:
        col.add(name, value, "must be a domain name such as example.fi")
        return None
    return text


def parse_account_fields(raw: Mapping[str, Any], *, index: int | None = None) -> dict[str, Any]:
    """Check the attributes of an account upsert; returns the values to store."""
    col = _Collector(index)
    values: dict[str, Any] = {}
    for name in ("name", "industry", "country", "owner", "external_id"):
        if name in raw:
            values[name] = _text(col, raw, name)
    if "domain" in raw:
        values["domain"] = _domain(col, raw.get("domain"), "domain")
    if "employees" in raw:
        values["employees"] = _positive_int(col, raw, "employees", MAX_INT32)
    if "revenue_band" in raw:
        values["revenue_band"] = _choice(col, raw, "revenue_band", REVENUE_BANDS)
    if "tier" in raw:
        values["tier"] = _choice(col, raw, "tier", [t.value for t in Tier]) or Tier.NONE.value
    if "traits" in raw:
        values["traits"] = _properties(col, raw, "traits")
    if (created := _created(col, raw)) is not None:
        values["created_ts"] = created
    if not values.get("domain") and not values.get("external_id") and not col.errors:
        col.add("domain", raw.get("domain"), "an account needs a domain or an external_id")
    if col.errors:
        raise ValidationFailed(col.errors)
    return values
