"""What a condition means: the operators, the attributes they read, and how a value is tested."""

from __future__ import annotations

import re
from enum import Enum
from functools import lru_cache
from typing import Any

from liidi.domain.accounts import Account
from liidi.domain.emails import email_domain
from liidi.domain.events import Event
from liidi.domain.people import Person
from liidi.domain.scoring.spec import AnyOf, Condition, EventFilter, Predicate

OPERATORS: tuple[str, ...] = (
    "equals",
    "not",
    "in",
    "not_in",
    "between",
    "above",
    "below",
    "at_least",
    "at_most",
    "matches",
    "missing",
    "contains",
    "starts_with",
    "ends_with",
)
NUMERIC_OPERATORS = frozenset({"above", "below", "at_least", "at_most"})
TEXT_OPERATORS = frozenset({"matches", "starts_with", "ends_with"})
PERSON_ATTRIBUTES: tuple[str, ...] = (
    "role",
    "seniority",
    "title",
    "consent",
    "lead_tool",
    "channel",
    "direction",
    "sourced_by",
    "email_domain",
)
ACCOUNT_ATTRIBUTES: tuple[str, ...] = (
    "industry",
    "country",
    "employees",
    "revenue_band",
    "tier",
    "domain",
    "name",
)
_FIRST_TOUCH = frozenset({"lead_tool", "channel", "direction", "sourced_by"})


def is_missing(value: Any) -> bool:
    """Absent, None, an empty string or an empty list."""
    return value is None or value == "" or (isinstance(value, list | tuple) and not value)


def is_number(value: Any) -> bool:
    """An int or a float, but not a bool."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def same(a: Any, b: Any) -> bool:
    """Equality that never mixes booleans with numbers or text with numbers."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if is_number(a) and is_number(b):
        return bool(a == b)
    return type(a) is type(b) and bool(a == b)


@lru_cache(maxsize=512)
def compiled(pattern: str) -> re.Pattern[str]:
    """A case-insensitive regular expression, compiled once."""
    return re.compile(pattern, re.IGNORECASE)


def condition_holds(cond: Condition, value: Any) -> bool:
    """Test one value; every operator but `missing` is false on a missing value."""
    if cond.op == "missing":
        return is_missing(value) == bool(cond.value)
    if is_missing(value):
        return False
    if cond.op in ("equals", "not", "in", "not_in"):
        choices = cond.value if cond.op in ("in", "not_in") else (cond.value,)
        found = any(same(value, choice) for choice in choices)
        return found if cond.op in ("equals", "in") else not found
    if cond.op in NUMERIC_OPERATORS or cond.op == "between":
        return is_number(value) and _numeric(cond, float(value))
    if cond.op == "contains":
        if isinstance(value, list | tuple):
            return any(same(item, cond.value) for item in value)
        return isinstance(value, str) and isinstance(cond.value, str) and cond.value in value
    return isinstance(value, str) and _textual(cond, value)


def _numeric(cond: Condition, value: float) -> bool:
    """above / below / at_least / at_most / between (inclusive)."""
    if cond.op == "between":
        low, high = cond.value
        return bool(low <= value <= high)
    limit = float(cond.value)
    return {
        "above": value > limit,
        "below": value < limit,
        "at_least": value >= limit,
        "at_most": value <= limit,
    }[cond.op]


def _textual(cond: Condition, value: str) -> bool:
    """matches (regex search, case-insensitive) / starts_with / ends_with (case-sensitive)."""
    if cond.op == "matches":
        return compiled(cond.value).search(value) is not None
    if cond.op == "starts_with":
        return value.startswith(cond.value)
    return value.endswith(cond.value)


def plain(value: Any) -> Any:
    """Enum members as their plain values."""
    return value.value if isinstance(value, Enum) else value


def person_value(person: Person, key: str) -> Any:
    """A person attribute by its model name, e.g. 'role', 'lead_tool' or 'traits.segment'."""
    if key.startswith("traits."):
        return person.traits.get(key[len("traits.") :])
    if key in _FIRST_TOUCH:
        return plain(getattr(person.first_touch, key))
    if key == "email_domain":
        return email_domain(person.email) if person.email else None
    return plain(getattr(person, key))


def account_value(account: Account | None, key: str) -> Any:
    """An account attribute by its model name; everything is missing without an account."""
    if account is None:
        return None
    if key.startswith("traits."):
        return account.traits.get(key[len("traits.") :])
    return plain(getattr(account, key))


class Subject:
    """The person and account a model is evaluated for."""

    def __init__(self, person: Person, account: Account | None) -> None:
        self.person = person
        self.account = account

    def value(self, cond: Condition, event: Event | None) -> Any:
        """The value a condition tests, from the event, the person or the account."""
        if cond.scope == "person":
            return person_value(self.person, cond.key)
        if cond.scope == "account":
            return account_value(self.account, cond.key)
        return None if event is None else event.properties.get(cond.key)

    def holds(self, pred: Predicate, event: Event | None = None) -> bool:
        """Whether a predicate holds for this subject (and event)."""
        if isinstance(pred, Condition):
            return condition_holds(pred, self.value(pred, event))
        if isinstance(pred, AnyOf):
            return any(self.holds(item, event) for item in pred.items)
        return all(self.holds(item, event) for item in pred.items)

    def matches(self, filt: EventFilter, event: Event) -> bool:
        """Whether an event passes an event filter."""
        return event.type in filt.types and self.holds(filt.where, event)
