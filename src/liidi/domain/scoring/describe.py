"""Plain-language text for parts of a model, shared by explanations and diffs."""

from __future__ import annotations

from typing import Any

from liidi.domain.scoring.spec import (
    DAY,
    AnyOf,
    Cap,
    Condition,
    Decay,
    EventFilter,
    Predicate,
    WindowClause,
)

_OP_WORDS = {
    "equals": "=",
    "not": "≠",
    "in": "in",
    "not_in": "not in",
    "between": "between",
    "above": ">",
    "below": "<",
    "at_least": "≥",
    "at_most": "≤",
    "matches": "matches",
    "contains": "contains",
    "starts_with": "starts with",
    "ends_with": "ends with",
}


def duration(seconds: float) -> str:
    """Seconds as the shortest exact text: '14d', '36h', '90m' or '45s'."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


def number(value: float) -> str:
    """A number with at most one decimal and no trailing '.0'."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def signed(value: float) -> str:
    """A number with its sign: '+15', '-2.5', '+0'."""
    text = number(value)
    if text in ("-0", "0"):
        return "+0"
    return text if text.startswith("-") else f"+{text}"


def literal(value: Any) -> str:
    """A condition value as written."""
    if isinstance(value, tuple | list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return number(value)
    return str(value)


def condition(cond: Condition) -> str:
    """'account.industry in [software, finance]'."""
    if cond.op == "missing":
        return f"{cond.field} is {'missing' if cond.value else 'known'}"
    if cond.op == "between":
        return f"{cond.field} between {literal(cond.value[0])} and {literal(cond.value[1])}"
    return f"{cond.field} {_OP_WORDS[cond.op]} {literal(cond.value)}"


def predicate(pred: Predicate) -> str:
    """Conditions joined with 'and' / 'or'; 'always' for none."""
    if isinstance(pred, Condition):
        return condition(pred)
    if not pred.items:
        return "always"
    joiner = " or " if isinstance(pred, AnyOf) else " and "
    parts = []
    for item in pred.items:
        text = predicate(item)
        nested = not isinstance(item, Condition) and len(item.items) > 1
        parts.append(f"({text})" if nested else text)
    return joiner.join(parts)


def event_filter(filt: EventFilter) -> str:
    """'page_view where path starts with /palvelut/'."""
    types = "/".join(filt.types)
    return types if not filt.where.items else f"{types} where {predicate(filt.where)}"


def decay(spec: Decay) -> str:
    """'half-life 14d', 'lifespan 90d', 'steps 50% after 30d, 0% after 90d' or 'no decay'."""
    if spec.kind == "half_life":
        return f"half-life {duration(spec.period)}"
    if spec.kind == "lifespan":
        return f"lifespan {duration(spec.period)}"
    if spec.kind == "step":
        return "steps " + ", ".join(f"{s.keep * 100:g}% after {duration(s.after)}" for s in spec.steps)
    return "no decay"


def cap(spec: Cap) -> str:
    """'30 per 30d' or '100 in total'."""
    return (
        f"{number(spec.points)} per {duration(spec.per)}" if spec.per else f"{number(spec.points)} in total"
    )


def caps(specs: tuple[Cap, ...]) -> str:
    """Several caps, or 'no cap'."""
    return " and ".join(cap(c) for c in specs) if specs else "no cap"


def clause(spec: WindowClause) -> str:
    """'at least 3 page_view where … within 7d'."""
    measure = "" if spec.measure == "count" else f"{spec.field} summed over "
    same = f" sharing the same {spec.same}" if spec.same else ""
    what = f"{measure}{event_filter(spec.of)}{same}"
    return f"at least {number(spec.at_least)} {what} within {duration(spec.within)}"


def days(seconds: float) -> str:
    """Seconds as days with one decimal: '6.2 days'."""
    value = seconds / DAY
    return f"{number(value)} day" if number(value) == "1" else f"{number(value)} days"
