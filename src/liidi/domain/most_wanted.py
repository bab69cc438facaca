"""The Most Wanted list (R17): target accounts by domain or account id, each with its tier."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from liidi.domain.accounts import Tier
from liidi.errors import FieldError, ValidationFailed

COLUMNS = ("domain", "account_id", "tier")
TIERS = tuple(t.value for t in Tier if t is not Tier.NONE)
MAX_ROWS = 100_000
MAX_ACCOUNT_ID = 2**63 - 1


@dataclass(frozen=True, slots=True)
class Target:
    """One line of the list: an account named by domain or id, and its tier."""

    line: int
    tier: str
    domain: str | None = None
    account_id: int | None = None


def parse_csv(text: str) -> list[dict[str, Any]]:
    """The rows of a CSV text with a header naming domain and/or account_id, and optionally tier."""
    if "\x00" in text:
        raise _refused("file", None, "must not contain the NUL character")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if not header:
        raise _refused("file", None, "is empty; it needs a header with domain or account_id, and tier")
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise _refused("header", unknown[0], f"unknown column; use {', '.join(COLUMNS)}")
    if "domain" not in header and "account_id" not in header:
        raise _refused("header", ",".join(header), "needs a domain or an account_id column")
    reader.fieldnames = header
    rows: list[dict[str, Any]] = []
    for row in reader:
        if len(rows) >= MAX_ROWS:
            raise _refused("file", None, f"has more than {MAX_ROWS} rows")
        rows.append({k: v for k, v in row.items() if k is not None})
    return rows


def check_targets(rows: Sequence[Mapping[str, Any]]) -> list[Target]:
    """Check every row (line numbers count the header as line 1); ValidationFailed lists every problem."""
    if not rows:
        raise _refused("rows", None, "the list is empty: give at least one account")
    if len(rows) > MAX_ROWS:
        raise _refused("rows", len(rows), f"at most {MAX_ROWS} accounts at once")
    errors: list[FieldError] = []
    found: list[Target] = []
    seen: dict[str, int] = {}
    for i, row in enumerate(rows):
        line = i + 2
        target = _target(row, line, errors)
        if target is None:
            continue
        key = f"id:{target.account_id}" if target.account_id is not None else f"domain:{target.domain}"
        if key in seen:
            errors.append(
                FieldError(f"line {line}", key.split(":", 1)[1], f"listed twice (line {seen[key]})")
            )
        seen.setdefault(key, line)
        found.append(target)
    if errors:
        noun = "problem" if len(errors) == 1 else "problems"
        raise ValidationFailed(
            errors, f"{len(errors)} {noun} in the Most Wanted list: {errors[0].one_line()}"
        )
    return found


def _target(row: Mapping[str, Any], line: int, errors: list[FieldError]) -> Target | None:
    if not isinstance(row, Mapping):
        errors.append(
            FieldError(f"line {line}", None, "expected an object with domain or account_id and tier")
        )
        return None
    unknown = [k for k in row if k not in COLUMNS]
    if unknown:
        errors.append(
            FieldError(f"line {line}", str(unknown[0])[:80], f"unknown field; use {', '.join(COLUMNS)}")
        )
        return None
    before = len(errors)
    domain = _domain(row.get("domain"), line, errors)
    account_id = _account_id(row.get("account_id"), line, errors)
    tier = _tier(row.get("tier"), line, errors)
    if domain is None and account_id is None and len(errors) == before:
        errors.append(FieldError(f"line {line}", None, "give a domain or an account_id"))
    if len(errors) != before or tier is None:
        return None
    return Target(line, tier, domain, account_id)


def _domain(value: Any, line: int, errors: list[FieldError]) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip().lower().removeprefix("www.") if isinstance(value, str) else ""
    if (
        not text
        or "@" in text
        or "." not in text
        or any(c.isspace() or c == "\x00" for c in text)
        or len(text) > 253
    ):
        shown = value[:80] if isinstance(value, str) else value
        errors.append(FieldError(f"line {line}: domain", shown, "must be a domain name such as example.fi"))
        return None
    return text


def _account_id(value: Any, line: int, errors: list[FieldError]) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = value.strip() if isinstance(value, str) else value
    if isinstance(number, str) and number.isdigit() and len(number) <= 19:
        number = int(number)
    if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= MAX_ACCOUNT_ID:
        shown = value[:80] if isinstance(value, str) else value if isinstance(value, int) else None
        errors.append(
            FieldError(f"line {line}: account_id", shown, "must be a whole number from 1 to 2^63-1")
        )
        return None
    return number


def _tier(value: Any, line: int, errors: list[FieldError]) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return Tier.MOST_WANTED.value
    text = value.strip().lower() if isinstance(value, str) else None
    if text not in TIERS:
        shown = value[:80] if isinstance(value, str) else None
        errors.append(FieldError(f"line {line}: tier", shown, f"must be one of {', '.join(TIERS)}"))
        return None
    return text


def _refused(field: str, value: Any, reason: str) -> ValidationFailed:
    return ValidationFailed([FieldError(field, value, reason)], f"{field}: {reason}")
