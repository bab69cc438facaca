"""Loading the building blocks of rules: conditions, event filters, decay and caps."""

from __future__ import annotations

import difflib
import re
from typing import Any

import yaml

from liidi.domain.accounts import REVENUE_BANDS, Tier
from liidi.domain.events import STANDARD_EVENT_TYPES, event_type_problem
from liidi.domain.people import BuyingRole, Consent, Direction, Seniority, SourcedBy
from liidi.domain.scoring.conditions import ACCOUNT_ATTRIBUTES, OPERATORS, PERSON_ATTRIBUTES, is_number
from liidi.domain.scoring.spec import (
    NO_DECAY,
    AllOf,
    AnyOf,
    Cap,
    Condition,
    Decay,
    DecayStep,
    EventFilter,
    Predicate,
)
from liidi.domain.scoring.yamlread import MISSING, Reader, Where, scalar

KNOWN_VALUES: dict[str, tuple[str, ...]] = {
    "person.role": tuple(m.value for m in BuyingRole),
    "person.seniority": tuple(m.value for m in Seniority),
    "person.consent": tuple(m.value for m in Consent),
    "person.direction": tuple(m.value for m in Direction),
    "person.sourced_by": tuple(m.value for m in SourcedBy),
    "account.tier": tuple(m.value for m in Tier),
    "account.revenue_band": REVENUE_BANDS,
}
_ALL_FIELDS = [f"person.{a}" for a in PERSON_ATTRIBUTES] + [f"account.{a}" for a in ACCOUNT_ATTRIBUTES]
DECAY_KINDS = ("half_life", "lifespan", "step")


class PartLoader:
    """Builds conditions, filters, decay and caps, reporting problems to a Reader."""

    def __init__(self, reader: Reader) -> None:
        self.r = reader
        self.reads: list[tuple[str, Condition | None, yaml.Node, yaml.Node | None]] = []

    def property_read(self, name: str, use: str, node: yaml.Node, where: Where) -> None:
        """Note an event property read outside a condition (`use` is 'sum', 'same' or 'from')."""
        if name:
            self.reads.append((where.rule, Condition("event", name, use, None), node, None))

    def event_types(self, node: yaml.Node, where: Where) -> tuple[str, ...]:
        """One event type or a list of them, each checked."""
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        types: list[str] = []
        for index, item in enumerate(items):
            at = where.key(index) if isinstance(node, yaml.SequenceNode) else where
            name = self.r.text(item, at)
            problem = event_type_problem(name) if name is not None else None
            if problem:
                hint = _suggest(str(name), sorted(STANDARD_EVENT_TYPES))
                self.r.report(item, at, f"{name!r}: {problem}{hint}")
            elif name is not None:
                types.append(name)
                self.reads.append((where.rule, None, item, None))
        if isinstance(node, yaml.SequenceNode) and not items:
            self.r.report(node, where, "expected at least one event type")
        return tuple(types)

    def event_filter(self, node: yaml.Node, where: Where) -> EventFilter | None:
        """`{event: page_view, path: {starts_with: /x/}}`: the event type(s) and property conditions."""
        if isinstance(node, yaml.ScalarNode):
            types = self.event_types(node, where)
            return EventFilter(types) if types else None
        fields = self.r.mapping(node, where, None, required=("event",))
        if fields is None or "event" not in fields:
            return None
        event_node = fields.get("event")
        assert event_node is not None
        types = self.event_types(event_node, where.key("event"))
        rest = {k: v for k, v in fields.entries.items() if k != "event"}
        conditions = self.conditions(rest, where, events=True)
        return EventFilter(types, AllOf(tuple(conditions))) if types else None

    def when(self, node: yaml.Node, where: Where) -> AllOf:
        """A fit `when:` mapping: account and person conditions only."""
        fields = self.r.mapping(node, where, None)
        if fields is None:
            return AllOf()
        if not fields.entries:
            self.r.report(node, where, "expected at least one condition")
        return AllOf(tuple(self.conditions(fields.entries, where, events=False)))

    def conditions(
        self, entries: dict[str, tuple[yaml.Node, yaml.Node]], where: Where, events: bool
    ) -> list[Predicate]:
        """Every entry of a `when` mapping as predicates (ANDed by the caller)."""
        found: list[Predicate] = []
        for key, (key_node, value_node) in entries.items():
            at = where.key(key)
            if key in ("any", "all"):
                found.extend(self.nested(key, value_node, at, events))
                continue
            field = self.field(key, key_node, at, events)
            if field is not None:
                built = self.operators(field, value_node, at)
                found.extend(built)
                self.reads.extend((where.rule, cond, key_node, value_node) for cond in built)
        return found

    def nested(self, key: str, node: yaml.Node, where: Where, events: bool) -> list[Predicate]:
        """`any:` / `all:` — a list of `when` mappings."""
        items = self.r.sequence(node, where) or []
        groups: list[Predicate] = []
        for index, item in enumerate(items):
            fields = self.r.mapping(item, where.key(index), None)
            if fields is not None:
                groups.append(AllOf(tuple(self.conditions(fields.entries, where.key(index), events))))
        if not items:
            self.r.report(node, where, "expected at least one set of conditions")
        return [AnyOf(tuple(groups))] if key == "any" else groups

    def field(self, key: str, node: yaml.Node, where: Where, events: bool) -> tuple[str, str] | None:
        """Resolve a condition key to (scope, attribute)."""
        scope, _, attr = key.partition(".")
        if scope in ("account", "person") and attr:
            known = ACCOUNT_ATTRIBUTES if scope == "account" else PERSON_ATTRIBUTES
            if attr in known or (attr.startswith("traits.") and len(attr) > len("traits.")):
                return scope, attr
            hint = _suggest(key, _ALL_FIELDS)
            self.r.report(
                node,
                where,
                f"unknown {scope} attribute '{attr}'; expected one of "
                f"{', '.join(known)} or traits.<key>{hint}",
            )
            return None
        if events:
            if key == "event":
                self.r.report(node, where, "'event' belongs at the top of the filter, not inside any/all")
                return None
            return "event", key.removeprefix("properties.") or key
        self.r.report(
            node,
            where,
            f"unknown attribute '{key}'; fit conditions read account.<attribute> "
            f"or person.<attribute>{_suggest(key, _ALL_FIELDS)}",
        )
        return None

    def operators(self, field: tuple[str, str], node: yaml.Node, where: Where) -> list[Condition]:
        """A value (equals), a list (in) or a mapping of operators, all ANDed."""
        if isinstance(node, yaml.ScalarNode | yaml.SequenceNode):
            op = "equals" if isinstance(node, yaml.ScalarNode) else "in"
            built = [self.condition(field, op, node, where)]
        else:
            fields = self.r.mapping(node, where, OPERATORS, noun="operator")
            entries = fields.entries.items() if fields else {}.items()
            if fields is not None and not node.value:
                self.r.report(node, where, "expected at least one operator")
            built = [self.condition(field, op, value, where.key(op)) for op, (_, value) in entries]
        return [c for c in built if c is not None]

    def condition(self, field: tuple[str, str], op: str, node: yaml.Node, where: Where) -> Condition | None:
        """One operator with its checked value."""
        value = self.r.plain_value(node)
        problem = _value_problem(op, value)
        if problem is None and op in ("equals", "not", "in", "not_in"):
            problem = _known_value_problem(field, value)
        if problem:
            self.r.report(node, where, problem, value if value is not MISSING else None)
            return None
        if op == "between":
            value = (float(value[0]), float(value[1]))
        elif op in ("above", "below", "at_least", "at_most"):
            value = float(value)
        return Condition(field[0], field[1], op, value)

    def decay(self, node: yaml.Node, where: Where) -> Decay:
        """`none`, `{half_life: 14d}`, `{lifespan: 90d}` or `{step: [{after: 30d, keep: 0.5}]}`."""
        if isinstance(node, yaml.ScalarNode) and scalar(node) in ("none", None):
            return NO_DECAY
        fields = self.r.mapping(node, where, DECAY_KINDS)
        if fields is None:
            return NO_DECAY
        if len(fields.entries) != 1:
            if len(fields.entries) > 1 or not node.value:
                self.r.report(node, where, f"expected exactly one of {', '.join(DECAY_KINDS)}")
            return NO_DECAY
        kind, (_, value) = next(iter(fields.entries.items()))
        if kind == "step":
            return self.steps(value, where.key("step"))
        period = self.r.duration(value, where.key(kind))
        return Decay(kind, period) if period else NO_DECAY

    def steps(self, node: yaml.Node, where: Where) -> Decay:
        """Step decay: `after` strictly increasing, `keep` between 0 and 1 and never rising."""
        steps: list[DecayStep] = []
        for index, item in enumerate(self.r.sequence(node, where) or []):
            at = where.key(index)
            fields = self.r.mapping(item, at, ("after", "keep"), required=("after", "keep"))
            after_node, keep_node = (fields.get("after"), fields.get("keep")) if fields else (None, None)
            after = self.r.duration(after_node, at.key("after")) if after_node else None
            keep = self.r.number(keep_node, at.key("keep")) if keep_node else None
            if keep is not None and not 0 <= keep <= 1:
                self.r.report(keep_node, at.key("keep"), f"expected a fraction from 0 to 1, got {keep:g}")
            elif after is not None and keep is not None:
                previous = steps[-1] if steps else DecayStep(0, 1.0)
                if (steps and after <= previous.after) or keep > previous.keep:
                    self.r.report(
                        item, at, "steps must come in order of age, each keeping no more than the last"
                    )
                steps.append(DecayStep(after, keep))
        if isinstance(node, yaml.SequenceNode) and not node.value:
            self.r.report(node, where, "expected at least one step")
        return Decay("step", 0, tuple(steps)) if steps else NO_DECAY

    def caps(self, node: yaml.Node, where: Where) -> tuple[Cap, ...]:
        """`{points: 30}` (lifetime), `{points: 30, per: 30d}`, optionally with `total: 100`."""
        fields = self.r.mapping(node, where, ("points", "per", "total"), required=("points",))
        if fields is None or "points" not in fields:
            return ()
        points_node, per_node, total_node = fields.get("points"), fields.get("per"), fields.get("total")
        assert points_node is not None
        points = self.r.number(points_node, where.key("points"), positive=True)
        per = self.r.duration(per_node, where.key("per")) if per_node else None
        total = self.r.number(total_node, where.key("total"), positive=True) if total_node else None
        if total_node is not None and per_node is None:
            self.r.report(
                total_node, where.key("total"), "'total' goes with 'per'; alone, 'points' is the lifetime cap"
            )
        caps = [Cap(points, per)] if points is not None else []
        return tuple(caps + ([Cap(total, None)] if total is not None and per is not None else []))


def _value_problem(op: str, value: Any) -> str | None:
    """Why a value does not fit an operator, or None."""
    if value is MISSING or (isinstance(value, tuple) and any(v is MISSING for v in value)):
        return "expected a value or a list of values, got a mapping"
    if op in ("in", "not_in"):
        if not isinstance(value, tuple) or not value or any(_not_scalar(v) for v in value):
            return f"expected a non-empty list of values, got {_shown_value(value)}"
        return None
    if op == "between":
        ok = isinstance(value, tuple) and len(value) == 2 and all(is_number(v) for v in value)
        if not ok or value[0] > value[1]:
            return f"expected [low, high] with low ≤ high, got {_shown_value(value)}"
        return None
    if op in ("above", "below", "at_least", "at_most"):
        return None if is_number(value) else f"expected a number, got {_shown_value(value)}"
    if op == "missing":
        return (
            None if isinstance(value, bool) else f"missing: expected true or false, got {_shown_value(value)}"
        )
    if op in ("matches", "starts_with", "ends_with"):
        if not isinstance(value, str) or not value:
            return f"expected text, got {_shown_value(value)}"
        return _regex_problem(value) if op == "matches" else None
    return f"expected one value, got {_shown_value(value)}" if _not_scalar(value) else None


def _regex_problem(pattern: str) -> str | None:
    """Why a regular expression does not compile, or None."""
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"not a valid regular expression ({exc})"
    return None


def _known_value_problem(field: tuple[str, str], value: Any) -> str | None:
    """For attributes with a fixed vocabulary, name values outside it."""
    known = KNOWN_VALUES.get(f"{field[0]}.{field[1]}")
    if known is None:
        return None
    values = value if isinstance(value, tuple) else (value,)
    wrong = [v for v in values if v not in known]
    if not wrong:
        return None
    hint = _suggest(str(wrong[0]), known)
    return f"{wrong[0]!r} is not a known value; expected one of {', '.join(known)}{hint}"


def _not_scalar(value: Any) -> bool:
    """True for lists, mappings and null."""
    return value is None or value is MISSING or isinstance(value, tuple)


def _shown_value(value: Any) -> str:
    """A value in an error message."""
    return "a mapping" if value is MISSING else repr(value)


def _suggest(text: str, known: Any) -> str:
    """' (did you mean x?)' for a close match."""
    close = difflib.get_close_matches(text, [str(k) for k in known], n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
