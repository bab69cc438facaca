"""Checking dated stage changes and deals loaded from a CRM's past (history and deals imports)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from liidi.domain.bounds import moment_of, parse_time
from liidi.domain.emails import email_problem, normalise_email
from liidi.domain.lifecycle import Stage
from liidi.errors import FieldError, ValidationFailed

HISTORY_FIELDS = ("email", "external_id", "person_id", "to", "occurred_at", "actor", "reason", "amount")
DEAL_FIELDS = (
    "external_id",
    "name",
    "email",
    "person_external_id",
    "account_domain",
    "account_external_id",
    "account_name",
    "amount",
    "currency",
    "stage",
    "created_at",
    "closed_at",
    "lost_reason",
    "owner",
)
DEAL_STAGES = ("open", "won", "lost")
STAGE_WORDS = {"won": "won", "closed won": "won", "lost": "lost", "closed lost": "lost"}


@dataclass(frozen=True, slots=True)
class PersonRef:
    """How a record names its person: by e-mail, CRM id or liidi id."""

    email: str | None = None
    external_id: str | None = None
    person_id: int | None = None


@dataclass(frozen=True, slots=True)
class DatedChange:
    """A checked stage change with the moment it happened."""

    index: int
    person: PersonRef
    to_stage: str
    occurred_ts: float
    actor: str
    reason: str | None
    amount: float | None


@dataclass(frozen=True, slots=True)
class Deal:
    """A checked opportunity, keyed by its CRM id."""

    index: int
    external_id: str
    person: PersonRef | None
    account: tuple[str, str] | None  # (domain | external_id | name, value)
    values: Mapping[str, Any]


class _Row:
    """Reads the fields of one record, gathering every problem."""

    def __init__(self, raw: Mapping[str, Any], index: int, known: Sequence[str]) -> None:
        self.raw, self.index = raw, index
        self.errors: list[FieldError] = []
        for name in sorted(set(raw) - set(known)):
            self.add(name, raw[name], f"unknown field; use {', '.join(known)}")

    def add(self, name: str, value: Any, reason: str) -> None:
        self.errors.append(FieldError(name, value, reason, self.index))

    def text(self, name: str, limit: int = 200) -> str | None:
        value = self.raw.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str | int) or isinstance(value, bool):
            self.add(name, value, "must be text")
            return None
        text = str(value).strip()
        if "\x00" in text or len(text) > limit:
            self.add(name, text[:40], f"must be at most {limit} characters without NUL")
            return None
        return text

    def email(self, name: str = "email") -> str | None:
        value = self.text(name, 254)
        if value is not None and (problem := email_problem(value)):
            self.add(name, value, problem)
            return None
        return normalise_email(value) if value else None

    def number(self, name: str) -> float | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return None
        try:
            number = float(str(value).replace(",", "")) if isinstance(value, str) else float(value)
        except (TypeError, ValueError):
            number = float("nan")
        if isinstance(value, bool) or number != number or abs(number) > 1e15:
            self.add(name, value, "must be a number such as 1250.50")
            return None
        return number

    def moment(self, name: str, required: bool = False) -> float | None:
        value = self.raw.get(name)
        if value is None or value == "":
            if required:
                self.add(name, value, "is required: an ISO 8601 time (2017-03-01T09:30:00Z) or epoch seconds")
            return None
        found = moment_of(value) if isinstance(value, str) else parse_time(value)
        if found is None or found < 0:
            self.add(name, value, "not an ISO 8601 time (e.g. 2017-03-01T09:30:00Z) or epoch seconds")
            return None
        return found

    def person(self, email: str, external: str, required: bool) -> PersonRef | None:
        ref = PersonRef(self.email(email), self.text(external), self._person_id())
        if ref.email is None and ref.external_id is None and ref.person_id is None:
            if required and not self.errors:
                self.add(email, None, f"needs one of {email}, {external} or person_id")
            return None
        return ref

    def _person_id(self) -> int | None:
        value = self.raw.get("person_id")
        if value is None or value == "":
            return None
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if number < 1 or isinstance(value, bool | float):
            self.add("person_id", value, "must be a whole number of 1 or more")
            return None
        return number


def parse_history(records: Sequence[Mapping[str, Any]], *, latest: float) -> list[DatedChange]:
    """Check every dated stage change; ValidationFailed lists every problem and nothing is kept."""
    found: list[DatedChange] = []
    errors: list[FieldError] = []
    for index, raw in enumerate(records):
        row = _Row(raw, index, HISTORY_FIELDS)
        ref = row.person("email", "external_id", required=True)
        stage = _stage(row)
        ts = row.moment("occurred_at", required=True)
        if ts is not None and ts > latest:
            row.add(
                "occurred_at", raw.get("occurred_at"), "is in the future; history is what already happened"
            )
        actor = row.text("actor", 254) or "import"
        reason, amount = row.text("reason"), row.number("amount")
        errors.extend(row.errors)
        if not row.errors and ref is not None and stage is not None and ts is not None:
            found.append(DatedChange(index, ref, stage, ts, actor, reason, amount))
    if errors:
        raise ValidationFailed(errors, f"history refused, nothing stored: {errors[0].one_line()}")
    return found


def _stage(row: _Row) -> str | None:
    value = row.text("to", 30)
    if value is None:
        if not any(e.field == "to" for e in row.errors):
            row.add("to", None, "is required: the stage moved to")
        return None
    try:
        return Stage(value.lower()).value
    except ValueError:
        row.add("to", value, f"unknown stage; use one of {', '.join(s.value for s in Stage)}")
        return None


def parse_deals(records: Sequence[Mapping[str, Any]]) -> list[Deal]:
    """Check every deal; ValidationFailed lists every problem and nothing is kept."""
    found: list[Deal] = []
    errors: list[FieldError] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(records):
        row = _Row(raw, index, DEAL_FIELDS)
        deal = _deal(row)
        if deal is not None and deal.external_id in seen:
            row.add("external_id", deal.external_id, f"appears twice (also item {seen[deal.external_id]})")
        errors.extend(row.errors)
        if deal is not None and not row.errors:
            seen[deal.external_id] = index
            found.append(deal)
    if errors:
        raise ValidationFailed(errors, f"deals refused, nothing stored: {errors[0].one_line()}")
    return found


def _deal(row: _Row) -> Deal | None:
    external_id = row.text("external_id")
    if external_id is None and not any(e.field == "external_id" for e in row.errors):
        row.add("external_id", None, "is required: the deal's id in the CRM")
    person = row.person("email", "person_external_id", required=False)
    account = _account(row)
    stage = _deal_stage(row)
    created, closed = row.moment("created_at"), row.moment("closed_at")
    if created is not None and closed is not None and closed < created:
        row.add("closed_at", row.raw.get("closed_at"), "is before created_at")
    elif stage == "open" and closed is not None:
        row.add("closed_at", row.raw.get("closed_at"), "an open deal has no close date")
    currency = (row.text("currency", 3) or "EUR").upper()
    if len(currency) != 3 or not currency.isalpha():
        row.add("currency", currency, "must be a three-letter code such as EUR or USD")
    if external_id is None or stage is None:
        return None
    values = {
        "name": row.text("name", 300) or external_id,
        "stage": stage,
        "amount": row.number("amount"),
        "currency": currency,
        "created_ts": created,
        "closed_ts": closed,
        "lost_reason": row.text("lost_reason", 100),
        "owner": row.text("owner", 254),
    }
    return Deal(row.index, external_id, person, account, values)


def _account(row: _Row) -> tuple[str, str] | None:
    domain = row.text("account_domain", 253)
    if domain is not None:
        domain = domain.lower().removeprefix("www.")
        if "." not in domain or " " in domain or "@" in domain:
            row.add("account_domain", domain, "must be a domain name such as example.fi")
            return None
        return ("domain", domain)
    for key, name in (("external_id", "account_external_id"), ("name", "account_name")):
        if (value := row.text(name, 300)) is not None:
            return (key, value)
    return None


def _deal_stage(row: _Row) -> str | None:
    value = row.text("stage", 50)
    if value is None:
        return "open"
    word = value.lower()
    return STAGE_WORDS.get(word, "open" if word not in DEAL_STAGES else word)
