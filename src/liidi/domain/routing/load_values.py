"""The values of a routing document: names, e-mails, time zone, period, weights, capacities and absences."""

from __future__ import annotations

import math
from datetime import date
from fractions import Fraction
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from liidi.domain.emails import email_problem, normalise_email
from liidi.domain.routing.plan import PERIODS, QUALIFIED_BY, Away
from liidi.domain.scoring.yamlread import Reader, Where, scalar, shown

MAX_NAME = 100
MAX_WEIGHT = 1000
MAX_CAPACITY = 1_000_000
MAX_DESCRIPTION = 2000


class ValueReader:
    """Reads and checks one value, reporting problems to a Reader; None when the value is refused."""

    def __init__(self, reader: Reader) -> None:
        self.r = reader

    def name(self, node: yaml.Node, where: Where, limit: int = MAX_NAME) -> str | None:
        """A non-empty name of at most `limit` characters (numbers are read as their text)."""
        if isinstance(node, yaml.ScalarNode) and isinstance(scalar(node), int | float):
            text: str | None = str(node.value)
        else:
            text = self.r.text(node, where)
        if text is None:
            return None
        text = text.strip()
        if not text or len(text) > limit:
            self.r.report(node, where, f"expected a name of 1 to {limit} characters, got {len(text)}")
            return None
        return text

    def description(self, node: yaml.Node, where: Where) -> str | None:
        """Free text of at most MAX_DESCRIPTION characters."""
        text = self.r.text(node, where, empty_ok=True)
        if text is not None and len(text) > MAX_DESCRIPTION:
            self.r.report(node, where, f"expected at most {MAX_DESCRIPTION} characters, got {len(text)}")
            return None
        return text

    def email(self, node: yaml.Node, where: Where) -> str | None:
        """An e-mail address, normalised (trimmed, lower case)."""
        text = self.r.text(node, where)
        if text is None:
            return None
        problem = email_problem(text)
        if problem:
            self.r.report(node, where, f"{text!r}: {problem}", text)
            return None
        return normalise_email(text)

    def boolean(self, node: yaml.Node, where: Where) -> bool | None:
        """true or false."""
        value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(value, bool):
            self.r.report(node, where, f"expected true or false, got {shown(node)}")
            return None
        return value

    def timezone(self, node: yaml.Node, where: Where) -> str | None:
        """An IANA time zone name such as Europe/Helsinki."""
        text = self.r.text(node, where)
        if text is None:
            return None
        try:
            ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            self.r.report(
                node, where, f"unknown time zone {text!r}; use a name such as Europe/Helsinki or UTC"
            )
            return None
        return text

    def period(self, node: yaml.Node, where: Where) -> str | None:
        """day or week."""
        value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if value not in PERIODS:
            self.r.report(node, where, f"expected one of {', '.join(PERIODS)}, got {shown(node)}")
            return None
        return str(value)

    def weight(self, node: yaml.Node, where: Where) -> Fraction | None:
        """A number above 0 and at most MAX_WEIGHT, kept exact (0.5 is one half)."""
        value = self.r.number(node, where, positive=True)
        if value is None:
            return None
        if not math.isfinite(value) or value > MAX_WEIGHT:
            self.r.report(node, where, f"expected a weight from above 0 to {MAX_WEIGHT}, got {shown(node)}")
            return None
        return Fraction(str(scalar(node))).limit_denominator(1000)

    def capacity(self, node: yaml.Node, where: Where) -> int | None:
        """New leads a period: a whole number from 0 to MAX_CAPACITY."""
        value = self.r.integer(node, where, minimum=0)
        if value is not None and value > MAX_CAPACITY:
            self.r.report(node, where, f"expected at most {MAX_CAPACITY:,} leads a period, got {value}")
            return None
        return value

    def away(self, node: yaml.Node, where: Where) -> tuple[Away, ...] | None:
        """`[{from: 2026-12-21, until: 2027-01-06}, …]`, both days included."""
        found = []
        for index, item in enumerate(self.r.sequence(node, where) or []):
            at = where.key(index)
            f = self.r.mapping(item, at, ("from", "until"), required=("from", "until"))
            first_node, last_node = (f.get("from"), f.get("until")) if f else (None, None)
            first = self.day(first_node, at.key("from")) if first_node is not None else None
            last = self.day(last_node, at.key("until")) if last_node is not None else None
            if first is not None and last is not None and last < first:
                self.r.report(item, at, f"'until' ({last}) is before 'from' ({first})")
            elif first is not None and last is not None:
                found.append(Away(first, last))
        return tuple(found)

    def day(self, node: yaml.Node, where: Where) -> date | None:
        """A date such as 2026-12-21."""
        value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
        try:
            parsed = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
        except ValueError:
            parsed = None
        if parsed is None:
            self.r.report(node, where, f"expected a date such as 2026-12-21, got {shown(node)}")
        return parsed

    def qualified_by(self, node: yaml.Node, where: Where) -> tuple[str, ...] | None:
        """One of hand_raiser, pql, mql, manual, or a list of them."""
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        found = []
        for item in items:
            value = scalar(item) if isinstance(item, yaml.ScalarNode) else None
            if value not in QUALIFIED_BY:
                self.r.report(
                    item, where, f"expected {', '.join(QUALIFIED_BY)} (or a list), got {shown(item)}"
                )
            else:
                found.append(str(value))
        if not items:
            self.r.report(node, where, "expected at least one of " + ", ".join(QUALIFIED_BY))
        return tuple(found)
