"""Types of attributes (traits): inferred from a column of text or declared, and values coerced to them.

Stored forms, chosen so the scoring conditions compare them correctly:
- integer and number: JSON numbers (`between`, `above`, `>` … compare them);
- boolean: JSON true/false (`equals: true`);
- datetime: ISO 8601 text, a date as `2026-11-01`, a time in UTC as `2026-11-01T09:30:00Z`, so that
  `starts_with: "2026-11"` and text order follow time order;
- text: text.
Lists and objects are kept as they are and have no type.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

TYPES = ("integer", "number", "boolean", "datetime", "text")
SCOPES = ("people", "accounts")

_INTEGER = re.compile(r"^[+-]?\d+$")
_DOT_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_COMMA_DECIMAL = re.compile(r"^[+-]?\d+,\d+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_TRUE = frozenset({"yes", "true", "y"})
_FALSE = frozenset({"no", "false", "n"})


class TypeMismatch(ValueError):
    """A value that cannot be read as the attribute's type; the message is the reason."""


def parse_type(text: str) -> str:
    """A type name from a declaration; TypeMismatch naming the allowed ones."""
    name = {"int": "integer", "float": "number", "bool": "boolean", "date": "datetime"}.get(
        text.strip().lower(), text.strip().lower()
    )
    if name not in TYPES:
        raise TypeMismatch(f"unknown type '{text}'; use {', '.join(TYPES)}")
    return name


def infer_type(values: Iterable[str]) -> str:
    """The narrowest type every (non-missing) text value of a column fits; text if none is present."""
    seen = [v.strip() for v in values if v.strip()]
    if not seen:
        return "text"
    for kind, fits in (
        ("integer", lambda v: bool(_INTEGER.match(v))),
        ("number", _is_dot_decimal),
        ("boolean", lambda v: v.lower() in _TRUE | _FALSE),
        ("datetime", _is_time),
    ):
        if all(fits(v) for v in seen):
            return kind
    if all(_INTEGER.match(v) or _COMMA_DECIMAL.match(v) for v in seen) and not any(
        _thousands_like(v) for v in seen
    ):
        return "number"
    return "text"


def type_of_value(value: Any) -> str | None:
    """The type a JSON value sent through the API has; None for lists, objects and null."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "text"
    return None


def widened(stored: str, incoming: str) -> str:
    """The type an attribute keeps when a value of another type arrives: integer widens to number."""
    return "number" if {stored, incoming} == {"integer", "number"} else stored


def coerce(value: Any, kind: str) -> Any:
    """The value in the stored form of `kind`; TypeMismatch saying what was expected."""
    if value is None or isinstance(value, list | dict):
        return value
    try:
        return _COERCE[kind](value)
    except (ValueError, OverflowError):
        raise TypeMismatch(f"expected {_ARTICLE[kind]}") from None


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not _INTEGER.match(text):
        raise ValueError
    return int(text)


def _number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError
        return value
    text = str(value).strip()
    if _INTEGER.match(text):
        return int(text)
    if _is_dot_decimal(text):
        return float(text)
    if _COMMA_DECIMAL.match(text) and not _thousands_like(text):
        return float(text.replace(",", "."))
    raise ValueError


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE or text == "1":
        return True
    if text in _FALSE or text == "0":
        return False
    raise ValueError


def _datetime(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueError
    text = value.strip()
    if _DATE.match(text):
        return datetime.strptime(text, "%Y-%m-%d").date().isoformat()
    if not _DATETIME.match(text):
        raise ValueError
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _is_dot_decimal(text: str) -> bool:
    return bool(_DOT_DECIMAL.match(text)) and any(c.isdigit() for c in text)


def _thousands_like(text: str) -> bool:
    """'1,234' could be a thousand and more or one and a bit: refused as a decimal."""
    return "," in text and len(text.rsplit(",", 1)[1]) == 3


def _is_time(text: str) -> bool:
    try:
        _datetime(text)
    except ValueError:
        return False
    return True


_COERCE = {
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
    "datetime": _datetime,
    "text": _text,
}
_ARTICLE = {
    "integer": "an integer (a whole number)",
    "number": "a number",
    "boolean": "a boolean (true/false, yes/no, 1/0)",
    "datetime": "a date/time (ISO 8601, e.g. 2026-11-01 or 2026-11-01T09:30:00Z)",
    "text": "text",
}
