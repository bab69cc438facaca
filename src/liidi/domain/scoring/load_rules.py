"""Loading the rule sections: fit, engagement, groups, signals and product rules."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

import yaml

from liidi.domain.scoring.load_parts import PartLoader
from liidi.domain.scoring.spec import (
    NO_DECAY,
    Decay,
    EngagementRule,
    FitRule,
    Group,
    ProductRule,
    Signal,
    WindowClause,
)
from liidi.domain.scoring.yamlread import Fields, Reader, Where, scalar

T = TypeVar("T")
CLAUSE_KEYS = ("at_least", "of", "sum", "field", "same", "within")
FIT_KEYS = ("name", "description", "when", "points")
ENGAGEMENT_KEYS = ("name", "description", "when", "points", "decay", "cap", "group")
WINDOW_RULE_KEYS = ("name", "description", "points", "decay", "active_for")
SIGNAL_KEYS = (*WINDOW_RULE_KEYS, "all", *CLAUSE_KEYS)
DEFAULT_ACTIVE_FOR = 30 * 86400


def slug(name: str) -> str:
    """The name used in expressions: lower case, other characters as '_' ('service binge' → service_binge)."""
    return re.sub(r"\W+", "_", name.lower()).strip("_")


class RuleLoader:
    """Builds rules, remembering names and group references for checks across sections."""

    def __init__(self, reader: Reader) -> None:
        self.r = reader
        self.parts = PartLoader(reader)
        self.names: dict[str, yaml.Node] = {}
        self.group_refs: list[tuple[str, yaml.Node, Where]] = []
        self.group_nodes: dict[str, yaml.Node] = {}

    def rules(
        self, node: yaml.Node, section: str, label: str, build: Callable[[Fields, Where], T | None]
    ) -> list[T]:
        """Every rule of a list section, each built in its own context."""
        built: list[T] = []
        for index, item in enumerate(self.r.sequence(node, Where(section, section)) or []):
            where = Where(self._label(item, label, index), f"{section}[{index}]")
            fields = self.r.mapping(item, where, _keys_for(section), required=("name",))
            rule = build(fields, where) if fields is not None else None
            if rule is not None:
                built.append(rule)
        return built

    def _label(self, item: yaml.Node, label: str, index: int) -> str:
        """The rule's label for messages, e.g. engagement rule 'guide download', or #3 without a name."""
        if isinstance(item, yaml.MappingNode):
            for key, value in item.value:
                if scalar(key) == "name" and isinstance(value, yaml.ScalarNode) and scalar(value):
                    return f"{label} '{scalar(value)}'"
        return f"{label} #{index + 1}"

    def name(self, fields: Fields, where: Where) -> str | None:
        """The rule's name, unique across the model."""
        node = fields.get("name")
        name = self.r.text(node, where.key("name")) if node is not None else None
        if name is not None and node is not None:
            if name in self.names:
                first = self.names[name].start_mark.line + 1
                self.r.report(node, where.key("name"), f"the name '{name}' is already used on line {first}")
                return None
            self.names[name] = node
        return name

    def text(self, fields: Fields, key: str, where: Where) -> str:
        """An optional text such as a description."""
        node = fields.get(key)
        return (self.r.text(node, where.key(key), empty_ok=True) or "") if node is not None else ""

    def required_number(self, fields: Fields, key: str, where: Where) -> float | None:
        """A number that must be there."""
        node = fields.get(key)
        if node is None:
            self.r.report(fields.node, where, f"'{key}' is required")
            return None
        return self.r.number(node, where.key(key))

    def fit(self, fields: Fields, where: Where) -> FitRule | None:
        """A fit rule: name, when, points."""
        name = self.name(fields, where)
        when_node = fields.get("when")
        if when_node is None:
            self.r.report(fields.node, where, "'when' is required")
        when = self.parts.when(when_node, where.key("when")) if when_node is not None else None
        points = self.required_number(fields, "points", where)
        if name is None or when is None or points is None:
            return None
        return FitRule(name, when, points, self.text(fields, "description", where))

    def engagement(self, fields: Fields, where: Where) -> EngagementRule | None:
        """An engagement rule: an event filter with points, decay, caps and a group."""
        name = self.name(fields, where)
        when_node = fields.get("when")
        if when_node is None:
            self.r.report(fields.node, where, "'when' is required")
        when = self.parts.event_filter(when_node, where.key("when")) if when_node is not None else None
        points = self.required_number(fields, "points", where)
        decay_node, cap_node, group_node = fields.get("decay"), fields.get("cap"), fields.get("group")
        decay = self.parts.decay(decay_node, where.key("decay")) if decay_node is not None else NO_DECAY
        caps = self.parts.caps(cap_node, where.key("cap")) if cap_node is not None else ()
        group = self.r.text(group_node, where.key("group")) if group_node is not None else None
        if group is not None and group_node is not None:
            self.group_refs.append((group, group_node, where.key("group")))
        if name is None or when is None or points is None:
            return None
        return EngagementRule(name, when, points, decay, caps, group, self.text(fields, "description", where))

    def groups(self, node: yaml.Node) -> list[Group]:
        """`groups: {name: {cap: {...}, description: ...}}`."""
        fields = self.r.mapping(node, Where("groups", "groups"), None)
        groups: list[Group] = []
        for name, (key_node, value) in (fields.entries if fields else {}).items():
            self.group_nodes[name] = key_node
            where = Where(f"group '{name}'", f"groups.{name}")
            entry = self.r.mapping(value, where, ("cap", "description"), required=("cap",))
            cap_node = entry.get("cap") if entry else None
            if entry is not None and cap_node is not None:
                caps = self.parts.caps(cap_node, where.key("cap"))
                groups.append(Group(name, caps, self.text(entry, "description", where)))
        return groups

    def signal(self, fields: Fields, where: Where) -> Signal | None:
        """A window rule: `all:` clauses, or one clause written on the signal itself."""
        name = self.name(fields, where)
        within_node = fields.get("within")
        default = self.r.duration(within_node, where.key("within")) if within_node is not None else None
        all_node = fields.get("all")
        if all_node is not None:
            for key in CLAUSE_KEYS[:-1]:
                if key in fields:
                    self.r.report(fields.key_node(key), where, f"'{key}' belongs inside an item of 'all'")
            clauses = self.clause_list(all_node, where.key("all"), default)
        else:
            clause = self.clause(fields, where, None)
            clauses = [clause] if clause else []
        points, decay, active_for = self.window_scoring(fields, where)
        if name is None or not clauses or (all_node is not None and len(clauses) != len(all_node.value)):
            return None
        return Signal(
            name,
            slug(name),
            tuple(clauses),
            points,
            decay,
            active_for,
            self.text(fields, "description", where),
        )

    def clause_list(self, node: yaml.Node, where: Where, default: int | None) -> list[WindowClause]:
        """The items of `all:`."""
        clauses: list[WindowClause] = []
        items = self.r.sequence(node, where) or []
        for index, item in enumerate(items):
            fields = self.r.mapping(item, where.key(index), CLAUSE_KEYS)
            clause = self.clause(fields, where.key(index), default) if fields else None
            if clause is not None:
                clauses.append(clause)
        if isinstance(node, yaml.SequenceNode) and not items:
            self.r.report(node, where, "expected at least one condition")
        return clauses

    def clause(self, fields: Fields, where: Where, default: int | None) -> WindowClause | None:
        """`at_least: N` of events (`of:`) or of a property total (`sum:`), `within` a duration."""
        at_least = self.required_number(fields, "at_least", where)
        if at_least is not None and at_least <= 0:
            self.r.report(fields.get("at_least"), where.key("at_least"), "expected a number above 0")
            at_least = None
        measure = "sum" if "sum" in fields else "count"
        if ("of" in fields) == ("sum" in fields):
            self.r.report(
                fields.node, where, "expected exactly one of 'of' (count events) or 'sum' (add up a property)"
            )
        filter_node = fields.get(measure if measure == "sum" else "of")
        of = (
            self.parts.event_filter(filter_node, where.key(measure if measure == "sum" else "of"))
            if filter_node
            else None
        )
        within_node = fields.get("within")
        within = self.r.duration(within_node, where.key("within")) if within_node is not None else default
        if within_node is None and default is None:
            self.r.report(fields.node, where, "'within' is required (here or on the signal)")
        field_node, same_node = fields.get("field"), fields.get("same")
        if field_node is not None and measure != "sum":
            self.r.report(field_node, where.key("field"), "'field' goes with 'sum'")
        field = self.r.text(field_node, where.key("field")) if field_node is not None else "value"
        same = self.r.text(same_node, where.key("same")) if same_node is not None else None
        if at_least is None or of is None or within is None or field is None:
            return None
        for name, use, node in ((field, "sum", field_node), (same, "same", same_node)):
            if node is not None and name:
                self.parts.property_read(name.removeprefix("properties."), use, node, where)
        return WindowClause(at_least, of, within, measure, field, same)

    def window_scoring(self, fields: Fields, where: Where) -> tuple[float, Decay, int]:
        """Points, decay and how long a fired window rule stays active."""
        points_node, decay_node, active_node = (
            fields.get("points"),
            fields.get("decay"),
            fields.get("active_for"),
        )
        points = self.r.number(points_node, where.key("points")) if points_node is not None else 0.0
        decay = self.parts.decay(decay_node, where.key("decay")) if decay_node is not None else NO_DECAY
        active = self.r.duration(active_node, where.key("active_for")) if active_node is not None else None
        return points or 0.0, decay, active or DEFAULT_ACTIVE_FOR

    def product(self, fields: Fields, where: Where) -> ProductRule | None:
        """A PQL rule: one window clause over product usage."""
        name = self.name(fields, where)
        clause = self.clause(fields, where, None)
        points, decay, active_for = self.window_scoring(fields, where)
        if name is None or clause is None:
            return None
        return ProductRule(
            name, slug(name), clause, points, decay, active_for, self.text(fields, "description", where)
        )


def _keys_for(section: str) -> tuple[str, ...]:
    """The keys a rule of a section may have."""
    return {
        "fit": FIT_KEYS,
        "engagement": ENGAGEMENT_KEYS,
        "signals": SIGNAL_KEYS,
        "product": (*WINDOW_RULE_KEYS, *CLAUSE_KEYS),
    }[section]
