"""Checking a model against the data it will score: names and values its rules read that the store lacks."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from liidi.domain.scoring.conditions import NUMERIC_OPERATORS, is_number
from liidi.domain.scoring.issues import SpecIssue
from liidi.domain.scoring.load import model_reads
from liidi.domain.scoring.spec import Condition
from liidi.domain.scoring.yamlread import scalar

VALUE_OPERATORS = frozenset({"equals", "not", "in", "not_in"})
NUMBER_TESTS = NUMERIC_OPERATORS | {"between", "sum"}
_NOUNS = {"person": "person", "account": "account", "event": "event"}


@dataclass(frozen=True, slots=True)
class KeyProfile:
    """What the store holds under one attribute or property key."""

    rows: int
    numbers: int = 0
    texts: int = 0
    values: tuple[tuple[Any, int], ...] = ()
    complete: bool = True

    def has(self, value: Any) -> bool:
        """Whether this value occurs, with the evaluator's equality (12 is not '12', True is not 1)."""
        wanted = value_key(value)
        return any(value_key(stored) == wanted for stored, _ in self.values)


@dataclass(frozen=True, slots=True)
class DataProfile:
    """A profile of the store: row counts, and per key how many rows have it and which values."""

    people: int = 0
    accounts: int = 0
    events: int = 0
    person: Mapping[str, KeyProfile] = field(default_factory=dict)
    account: Mapping[str, KeyProfile] = field(default_factory=dict)
    event_types: Mapping[str, int] = field(default_factory=dict)
    properties: Mapping[str, KeyProfile] = field(default_factory=dict)
    sampled: tuple[str, ...] = ()

    def rows(self, scope: str) -> int:
        """How many rows a scope has: people, accounts or events."""
        return {"person": self.people, "account": self.accounts, "event": self.events}[scope]

    def keys(self, scope: str) -> Mapping[str, KeyProfile]:
        """The key profiles of a scope."""
        return {"person": self.person, "account": self.account, "event": self.properties}[scope]


def value_key(value: Any) -> tuple[str, Any]:
    """A value as the evaluator compares it: booleans, numbers and text never equal each other."""
    if isinstance(value, bool):
        return ("bool", value)
    if is_number(value):
        return ("number", float(value))
    return (type(value).__name__, value)


def data_warnings(text: str, source_name: str, profile: DataProfile) -> list[SpecIssue]:
    """Warnings, each with its line and column, for what a valid model reads that the store does not hold."""
    found: list[SpecIssue] = []
    for rule, cond, key_node, value_node in model_reads(text, source_name):
        if cond is None:
            found.extend(_event_type(rule, key_node, source_name, profile))
        elif profile.rows(cond.scope):
            found.extend(_condition(rule, cond, key_node, value_node, source_name, profile))
    unique = {(i.line, i.column, i.reason): i for i in found}
    return [unique[k] for k in sorted(unique)]


def _issue(node: yaml.Node, path: str, value: Any, reason: str, source: str, rule: str) -> SpecIssue:
    """A warning at a node's position."""
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    return SpecIssue(f"{line}:{column} {path}", value, reason, None, source, line, column, rule)


def _event_type(rule: str, node: yaml.Node, source: str, profile: DataProfile) -> Iterator[SpecIssue]:
    """An event type that no stored event has."""
    name = scalar(node)
    if not profile.events or profile.event_types.get(name):
        return
    reason = f"no event has type '{name}'{_closest(str(name), profile.event_types)}"
    yield _issue(node, "event", name, reason, source, rule)


def _condition(
    rule: str, cond: Condition, key_node: yaml.Node, value_node: yaml.Node | None, source: str, p: DataProfile
) -> Iterator[SpecIssue]:
    """Warnings for one condition: unknown key, numbers tested on text, values that never occur."""
    keys = p.keys(cond.scope)
    noun = _NOUNS[cond.scope]
    known = keys.get(cond.key)
    if known is None or not known.rows:
        if known is not None or cond.scope == "event" or cond.key.startswith("traits."):
            names = {_shown(cond.scope, k): v.rows for k, v in keys.items() if v.rows}
            reason = f"no {noun} has {cond.field}{_closest(cond.field, names)}"
            yield _issue(key_node, cond.field, cond.field, reason, source, rule)
        return
    if cond.op in NUMBER_TESTS and not known.numbers and known.texts:
        example = next((v for v, _ in known.values if isinstance(v, str)), "")
        verb = "adds up" if cond.op == "sum" else "compares"
        reason = (
            f"'{cond.op}' {verb} numbers, but every stored value of {cond.field} is text "
            f"(e.g. {example!r}), so it never matches; store the attribute as a number"
        )
        yield _issue(key_node, cond.field, cond.field, reason, source, rule)
    if cond.op in VALUE_OPERATORS and value_node is not None:
        yield from _values(rule, cond, known, value_node, source)


def _values(
    rule: str, cond: Condition, known: KeyProfile, node: yaml.Node, source: str
) -> Iterator[SpecIssue]:
    """Each literal of equals / not / in / not_in that no stored value equals, with the closest that do."""
    literals = cond.value if isinstance(cond.value, tuple) else (cond.value,)
    positions = dict(_scalars(node))
    stored = [str(v) for v, _ in known.values]
    scope = "" if known.complete else f" among the {len(known.values)} most common values"
    for literal in literals:
        if known.has(literal):
            continue
        same_text = [v for v, _ in known.values if str(v) == str(literal)]
        if same_text:
            hint = f"; the stored value is {same_text[0]!r}, of another type, which never equals it"
        else:
            hint = _closest(str(literal), dict.fromkeys(stored, 1))
        reason = f"{literal!r} never occurs in {cond.field}{scope}{hint}"
        at = positions.get(value_key(literal), node)
        yield _issue(at, cond.field, literal, reason, source, rule)


def _scalars(node: yaml.Node) -> Iterator[tuple[tuple[str, Any], yaml.Node]]:
    """Every scalar under a node, keyed as the evaluator compares values."""
    if isinstance(node, yaml.ScalarNode):
        yield value_key(scalar(node)), node
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item)
    elif isinstance(node, yaml.MappingNode):
        for _, value in node.value:
            yield from _scalars(value)


def _shown(scope: str, key: str) -> str:
    """A stored key as a model names it: 'person.traits.TotalVisits', or a bare event property."""
    return key if scope == "event" else f"{scope}.{key}"


def _closest(text: str, known: Mapping[str, int]) -> str:
    """'; closest: 'A', 'B'' from the names or values that do occur (case differences count as close)."""
    names = list(known)
    lowered = {n.lower(): n for n in names}
    close = [lowered[m] for m in difflib.get_close_matches(text.lower(), list(lowered), n=3, cutoff=0.6)]
    if not close:
        return ""
    return "; closest: " + ", ".join(repr(c) for c in close)
