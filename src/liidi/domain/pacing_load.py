"""plan.yaml → PacingPlan, reporting every problem with its line, column and section."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from liidi.domain.pacing import (
    ACTIONS,
    DIMENSIONS,
    METRICS,
    Filter,
    PacingPlan,
    Playbook,
    Segment,
    Targets,
    parse_week,
)
from liidi.domain.scoring.issues import SpecIssue
from liidi.domain.scoring.yamlread import Fields, Reader, Where, scalar, shown
from liidi.errors import SpecError, ValidationFailed

TOP_KEYS = ("pacing", "description", "targets", "weeks", "segments", "playbooks")
WHEN_KEYS = ("metric", "below", "where")
THEN_KEYS = ("action", "contacts_per_day", "meetings", "owner", "note")
MAX_TARGET = 10_000_000
MAX_PER_DAY = 10_000
MAX_TEXT = 500
NEEDS = {"start_outbound": "contacts_per_day", "order_meetings": "meetings", "task": "note"}


def load_plan_text(text: str, source_name: str = "<plan>") -> PacingPlan:
    """Load a plan file's text; raise SpecError listing every problem."""
    plan, issues = _load(text, source_name)
    if issues or plan is None:
        raise plan_error(issues)
    return plan


def load_plan_file(path: str | os.PathLike[str]) -> PacingPlan:
    """Load a plan file (UTF-8 YAML)."""
    return load_plan_text(Path(path).read_text(encoding="utf-8"), str(path))


def plan_error(issues: Sequence[SpecIssue]) -> SpecError:
    """One SpecError carrying every issue, sorted by position."""
    ordered = sorted(issues, key=lambda i: (i.source, i.line, i.column))
    noun = "problem" if len(ordered) == 1 else "problems"
    message = f"{len(ordered)} {noun} in the plan file:\n" + "\n".join(i.one_line() for i in ordered)
    return SpecError(list(ordered), message)


def _load(text: str, source: str) -> tuple[PacingPlan | None, list[SpecIssue]]:
    reader = _PlanReader(source)
    root = reader.compose(text)
    loaded = _PlanLoader(reader).load(root) if root is not None else None
    return (None if reader.issues else loaded), reader.issues


class _PlanReader(Reader):
    empty_file = ("pacing", "the file is empty; it needs at least 'pacing:' and 'targets:'")


class _PlanLoader:
    """Reads the name, the weekly targets, the week overrides, the segments and the playbooks."""

    def __init__(self, reader: Reader) -> None:
        self.r = reader

    def load(self, root: yaml.Node) -> PacingPlan | None:
        """The top-level mapping."""
        f = self.r.mapping(root, Where("pacing", ""), TOP_KEYS, required=("pacing", "targets"))
        if f is None:
            return None
        name = self.short_text(f, "pacing", Where("pacing", "pacing"))
        description = self.short_text(f, "description", Where("description", "description"))
        node = f.get("targets")
        targets = self.targets(node, Where("targets", "targets"), METRICS) if node else None
        weeks = self.weeks(f.get("weeks"))
        segments = self.segments(f.get("segments"))
        playbooks = self.playbooks(f.get("playbooks"))
        if name is None or targets is None or weeks is None or segments is None or playbooks is None:
            return None
        return PacingPlan(name, targets, weeks, tuple(segments), tuple(playbooks), description)

    def short_text(self, f: Fields, key: str, where: Where, limit: int = MAX_TEXT) -> str | None:
        """A text of at most `limit` characters, without NUL."""
        node = f.get(key)
        value = self.r.text(node, where) if node is not None else None
        if value is not None and ("\x00" in value or len(value) > limit):
            self.r.report(node, where, f"must be at most {limit} characters, without NUL", value[:40])
            return None
        return value

    def count(self, node: yaml.Node, where: Where, minimum: int = 0, most: int = MAX_TARGET) -> int | None:
        """A whole number in [minimum, most]."""
        value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value <= most:
            self.r.report(node, where, f"expected a whole number from {minimum} to {most}, got {shown(node)}")
            return None
        return value

    def targets(self, node: yaml.Node, where: Where, allowed: Sequence[str]) -> Targets | None:
        """`{leads: 120, mqls: 30, …}`: whole numbers per metric."""
        f = self.r.mapping(node, where, allowed, noun="metric")
        if f is None:
            return None
        found = {m: self.count(f.get(m), where.key(m)) for m in METRICS if f.get(m) is not None}  # type: ignore[arg-type]
        if any(v is None for v in found.values()):
            return None
        return Targets({k: v for k, v in found.items() if v is not None})

    def weeks(self, node: yaml.Node | None) -> dict[str, Targets] | None:
        """`{2026-W52: {leads: 40}}`: targets of given weeks in place of the weekly ones."""
        if node is None:
            return {}
        f = self.r.mapping(node, Where("weeks", "weeks"), None, noun="week")
        if f is None:
            return None
        found: dict[str, Targets] = {}
        ok = True
        for key, (key_node, value_node) in f.entries.items():
            where = Where(f"week {key}", f"weeks.{key}")
            try:
                label = parse_week(key).label
            except ValidationFailed as error:
                self.r.report(key_node, where, error.errors[0].reason, key)
                ok = False
                continue
            targets = self.targets(value_node, where, METRICS)
            ok = ok and targets is not None
            found[label] = targets or Targets()
        return found if ok else None

    def segments(self, node: yaml.Node | None) -> list[Segment] | None:
        """`- {by: lead_tool, value: download, leads: 40}`: targets of one group of a split report."""
        if node is None:
            return []
        items = self.r.sequence(node, Where("segments", "segments"))
        found: list[Segment] = []
        ok = items is not None
        for i, item in enumerate(items or []):
            where = Where(f"segment {i + 1}", f"segments[{i}]")
            f = self.r.mapping(item, where, ("by", "value", *METRICS), required=("by", "value"))
            by = self.choice(f.get("by"), where.key("by"), DIMENSIONS) if f and f.get("by") else None
            value = self.short_text(f, "value", where.key("value"), 100) if f else None
            rest = {m: f.entries[m] for m in METRICS if f and m in f} if f else {}
            targets = self.targets(_only(item, rest), where, METRICS) if f else None
            if by is None or value is None or targets is None:
                ok = False
                continue
            if any(s.by == by and s.value == value for s in found):
                self.r.report(item, where, f"{by} '{value}' already has a segment above")
                ok = False
            found.append(Segment(by, value, targets))
        return found if ok else None

    def playbooks(self, node: yaml.Node | None) -> list[Playbook] | None:
        """The playbooks, each `{name, when: {metric, below, where}, then: {action, …}}`; names unique."""
        if node is None:
            return []
        items = self.r.sequence(node, Where("playbooks", "playbooks"))
        found: list[Playbook] = []
        ok = items is not None
        for i, item in enumerate(items or []):
            playbook = self.playbook(item, Where(f"playbook {i + 1}", f"playbooks[{i}]"))
            if playbook is not None and any(p.name == playbook.name for p in found):
                self.r.report(item, Where(f"playbook {i + 1}", f"playbooks[{i}]"), "the name is used above")
                playbook = None
            ok = ok and playbook is not None
            found.extend([playbook] if playbook else [])
        return found if ok else None

    def playbook(self, node: yaml.Node, where: Where) -> Playbook | None:
        """One playbook: a name, when it fires and what it does."""
        f = self.r.mapping(node, where, ("name", "when", "then"), required=("name", "when", "then"))
        if f is None:
            return None
        name = self.short_text(f, "name", where.key("name"), 100)
        when_node, then_node = f.get("when"), f.get("then")
        when = self.when(when_node, where.key("when")) if when_node is not None else None
        then = self.then(then_node, where.key("then")) if then_node is not None else None
        if name is None or when is None or then is None:
            return None
        metric, below, filt = when
        return Playbook(name, metric, below, where=filt, **then)

    def when(self, node: yaml.Node, where: Where) -> tuple[str, int, Filter] | None:
        """`{metric: mqls, below: 20, where: {channel: [organic_search]}}`."""
        w = self.r.mapping(node, where, WHEN_KEYS, required=("metric", "below"))
        if w is None:
            return None
        metric_node, below_node = w.get("metric"), w.get("below")
        metric = self.choice(metric_node, where.key("metric"), METRICS) if metric_node else None
        below = self.count(below_node, where.key("below"), 1) if below_node else None
        filt = self.filter(w.get("where"), where.key("where"))
        return (metric, below, filt) if metric and below and filt is not None else None

    def then(self, node: yaml.Node, where: Where) -> dict[str, Any] | None:
        """`{action: start_outbound, contacts_per_day: 30, owner: …, note: …}`."""
        t = self.r.mapping(node, where, THEN_KEYS, required=("action",))
        if t is None:
            return None
        action = self.choice(t.get("action"), where.key("action"), ACTIONS) if "action" in t else None
        found: dict[str, Any] = {"action": action}
        for key in ("contacts_per_day", "meetings"):
            number = t.get(key)
            found[key] = self.count(number, where.key(key), 1, MAX_PER_DAY) if number else None
        found["owner"] = self.short_text(t, "owner", where.key("owner"), 254)
        found["note"] = self.short_text(t, "note", where.key("note"))
        given = [k for k in THEN_KEYS if k in t]
        needed = NEEDS.get(action or "")
        if needed and needed not in t:
            self.r.report(node, where, f"'{needed}' is required for {action}")
            return None
        return found if action and all(found[k] is not None for k in given) else None

    def filter(self, node: yaml.Node | None, where: Where) -> Filter | None:
        """`{channel: [organic, paid, email]}`: one value or a list of values per dimension."""
        if node is None:
            return Filter()
        f = self.r.mapping(node, where, DIMENSIONS, noun="dimension")
        if f is None:
            return None
        found: dict[str, tuple[str, ...]] = {}
        for key, (_, value_node) in f.entries.items():
            items = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            values = [scalar(i) if isinstance(i, yaml.ScalarNode) else None for i in items]
            if not items or not all(isinstance(v, str) and v and len(v) <= 100 for v in values):
                got = shown(value_node)
                self.r.report(value_node, where.key(key), f"expected a value or a list of values, got {got}")
                return None
            found[key] = tuple(str(v) for v in values)
        return Filter(found)

    def choice(self, node: yaml.Node | None, where: Where, allowed: Sequence[str]) -> str | None:
        """One of the allowed words."""
        value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if value not in allowed:
            self.r.report(node, where, f"expected one of {', '.join(allowed)}, got {shown(node)}", value)  # type: ignore[arg-type]
            return None
        return str(value)


def _only(node: yaml.Node, entries: dict[str, tuple[yaml.Node, yaml.Node]]) -> yaml.MappingNode:
    """A mapping node holding just the given entries (the metrics of a segment), at the segment's place."""
    return yaml.MappingNode(node.tag, list(entries.values()), node.start_mark, node.end_mark)
