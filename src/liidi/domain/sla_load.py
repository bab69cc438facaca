"""sla.yaml → SlaPolicies, reporting every problem with its line, column and section."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import yaml

from liidi.domain.business_time import BusinessCalendar
from liidi.domain.calendar_load import CalendarLoader
from liidi.domain.scoring.issues import SpecIssue
from liidi.domain.scoring.yamlread import Fields, Reader, Where, scalar, shown
from liidi.domain.sla import (
    GRADES,
    MOTIONS,
    QUALIFIED_BY,
    Action,
    Ladder,
    Match,
    SlaPolicies,
    SlaPolicy,
    Step,
    describe_working_time,
    parse_working_time,
)
from liidi.errors import SpecError

TOP_KEYS = ("sla", "description", "calendar", "policies")
POLICY_KEYS = ("name", "when", "respond_within", "warn_before", "escalate")
WHEN_KEYS = {"qualified_by": QUALIFIED_BY, "motion": MOTIONS, "grade": GRADES}
STEP_KEYS = ("after", "action")
MAX_WORKING_DAYS = 60


def load_sla_text(text: str, source_name: str = "<sla>") -> SlaPolicies:
    """Load an SLA file's text; raise SpecError listing every problem."""
    policies, issues = _load(text, source_name)
    if issues or policies is None:
        raise sla_error(issues)
    return policies


def load_sla_file(path: str | os.PathLike[str]) -> SlaPolicies:
    """Load an SLA file (UTF-8 YAML)."""
    return load_sla_text(Path(path).read_text(encoding="utf-8"), str(path))


def check_sla_text(text: str, source_name: str = "<sla>") -> list[SpecIssue]:
    """Every problem in an SLA file's text in file order, without raising (empty when it is valid)."""
    return sorted(_load(text, source_name)[1], key=lambda i: (i.line, i.column))


def sla_error(issues: Sequence[SpecIssue]) -> SpecError:
    """One SpecError carrying every issue, sorted by position."""
    ordered = sorted(issues, key=lambda i: (i.source, i.line, i.column))
    noun = "problem" if len(ordered) == 1 else "problems"
    message = f"{len(ordered)} {noun} in the SLA file:\n" + "\n".join(i.one_line() for i in ordered)
    return SpecError(list(ordered), message)


def _load(text: str, source: str) -> tuple[SlaPolicies | None, list[SpecIssue]]:
    reader = _SlaReader(source)
    root = reader.compose(text)
    loaded = _SlaLoader(reader).load(root) if root is not None else None
    return (None if reader.issues else loaded), reader.issues


class _SlaReader(Reader):
    empty_file = ("sla", "the file is empty; it needs at least 'policies:'")


class _SlaLoader:
    """Builds the calendar, then each policy in the calendar's working time."""

    def __init__(self, reader: Reader) -> None:
        self.r = reader
        self.day_length = BusinessCalendar().day_length

    def load(self, root: yaml.Node) -> SlaPolicies | None:
        """The top-level mapping: a name, a description, the calendar and the policies."""
        f = self.r.mapping(root, Where("sla", ""), TOP_KEYS, required=("policies",))
        if f is None:
            return None
        for key in ("sla", "description"):
            node = f.get(key)
            if node is not None:
                self.r.text(node, Where(key, key), empty_ok=key == "description")
        node = f.get("calendar")
        calendar = CalendarLoader(self.r).calendar(node) if node is not None else BusinessCalendar()
        self.day_length = (calendar or BusinessCalendar()).day_length
        policies = self.policies(f.get("policies"), calendar or BusinessCalendar())
        return SlaPolicies(calendar, tuple(policies), self.r.source) if calendar else None

    def policies(self, node: yaml.Node | None, calendar: BusinessCalendar) -> list[SlaPolicy]:
        """The list of policies, in the order they are tried; names unique, none hidden by one above."""
        where = Where("policies", "policies")
        items = self.r.sequence(node, where) if node is not None else None
        if items == []:
            self.r.report(node, where, "give at least one policy")
        found: list[tuple[SlaPolicy, yaml.Node]] = []
        for i, item in enumerate(items or []):
            policy = self.policy(item, where.key(i), calendar)
            if policy is not None:
                self.check_unique(policy, item, found)
                found.append((policy, item))
        return [policy for policy, _ in found]

    def policy(self, node: yaml.Node, where: Where, calendar: BusinessCalendar) -> SlaPolicy | None:
        """One policy: name, when, respond_within, warn_before and escalate."""
        where = Where(f"policy '{_name_in(node)}'", where.path) if _name_in(node) else where
        f = self.r.mapping(node, where, POLICY_KEYS, required=("name", "respond_within"))
        if f is None:
            return None
        name_node = f.get("name")
        name = self.r.text(name_node, where.key("name")) if name_node is not None else None
        match = self.when(f.get("when"), where.key("when"))
        within = self.working_time(f, "respond_within", where)
        warn = self.working_time(f, "warn_before", where)
        if within is not None and warn is not None and warn >= within:
            shown_within = describe_working_time(within, self.day_length)
            self.r.report(
                f.get("warn_before"),
                where.key("warn_before"),
                f"must be less than respond_within ({shown_within})",
            )
            warn = None
        ladder = self.ladder(f.get("escalate"), where.key("escalate"))
        if name is None or match is None or within is None or ladder is None:
            return None
        return SlaPolicy(name, within, calendar, warn, ladder, match)

    def when(self, node: yaml.Node | None, where: Where) -> Match | None:
        """`{qualified_by: hand_raiser, motion: [low_touch, high_touch], grade: A}`; absent keys match all."""
        if node is None:
            return Match()
        f = self.r.mapping(node, where, tuple(WHEN_KEYS))
        if f is None:
            return None
        chosen = {
            key: self.choices(f.get(key), where.key(key), allowed) for key, allowed in WHEN_KEYS.items()
        }
        if any(value is None for value in chosen.values()):
            return None
        return Match(**{key: frozenset(value or ()) for key, value in chosen.items()})

    def choices(self, node: yaml.Node | None, where: Where, allowed: Sequence[str]) -> list[str] | None:
        """One allowed value or a list of them (an empty list when the key is absent)."""
        if node is None:
            return []
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        values = [scalar(item) if isinstance(item, yaml.ScalarNode) else None for item in items]
        bad = [(item, value) for item, value in zip(items, values, strict=True) if value not in allowed]
        for item, value in bad:
            self.r.report(item, where, f"expected one of {', '.join(allowed)}, got {shown(item)}", value)
        if not items:
            self.r.report(
                node, where, f"expected one of {', '.join(allowed)} or a list of them, got an empty list"
            )
        return None if bad or not items else [str(value) for value in values]

    def working_time(self, f: Fields, key: str, where: Where, zero_ok: bool = False) -> int | None:
        """A duration of working time such as 30m, 4h or 1d, at most MAX_WORKING_DAYS working days."""
        node = f.get(key)
        if node is None:
            return None
        text = str(node.value) if isinstance(node, yaml.ScalarNode) else ""
        try:
            seconds = 0 if zero_ok and text.strip() == "0" else parse_working_time(text, self.day_length)
        except ValueError:
            self.r.report(
                node,
                where.key(key),
                f"expected working time such as 30m, 4h, 1h 30m or 1d, got {shown(node)}",
                text,
            )
            return None
        if (seconds == 0 and not zero_ok) or seconds > MAX_WORKING_DAYS * self.day_length:
            limit = "more than 0m" if seconds == 0 else f"at most {MAX_WORKING_DAYS}d"
            self.r.report(node, where.key(key), f"expected {limit} of working time, got {text}", text)
            return None
        return seconds

    def ladder(self, node: yaml.Node | None, where: Where) -> Ladder | None:
        """`escalate:` steps `{after: 30m, action: notify_team_lead}` in rising order of `after`."""
        if node is None:
            return Ladder()
        steps: list[Step] = []
        ok = True
        for i, item in enumerate(self.r.sequence(node, where) or []):
            step = self.step(item, where.key(i))
            if step is not None and steps and step.after <= steps[-1].after:
                earlier = describe_working_time(steps[-1].after, self.day_length)
                self.r.report(
                    item,
                    where.key(i),
                    f"steps must rise: 'after' must be later than the step above ({earlier})",
                )
                step = None
            ok = ok and step is not None
            steps.extend([step] if step is not None else [])
        return Ladder(tuple(steps)) if ok and isinstance(node, yaml.SequenceNode) else None

    def step(self, node: yaml.Node, where: Where) -> Step | None:
        """One rung: when after the breach, and what to do."""
        f = self.r.mapping(node, where, STEP_KEYS, required=STEP_KEYS)
        if f is None:
            return None
        after = self.working_time(f, "after", where, zero_ok=True)
        action_node = f.get("action")
        action = scalar(action_node) if isinstance(action_node, yaml.ScalarNode) else None
        if action_node is not None and action not in {a.value for a in Action}:
            choices = ", ".join(a.value for a in Action)
            self.r.report(
                action_node,
                where.key("action"),
                f"expected one of {choices}, got {shown(action_node)}",
                action,
            )
            return None
        return Step(after, Action(action)) if after is not None and action is not None else None

    def check_unique(
        self, policy: SlaPolicy, node: yaml.Node, found: list[tuple[SlaPolicy, yaml.Node]]
    ) -> None:
        """A name used once, and no policy above that already takes every lead this one would."""
        where = Where(f"policy '{policy.name}'", "policies")
        for earlier, earlier_node in found:
            line = earlier_node.start_mark.line + 1
            if earlier.name == policy.name:
                self.r.report(
                    node, where, f"the name '{policy.name}' is already used on line {line}", policy.name
                )
            elif earlier.match.covers(policy.match):
                reason = (
                    f"never chosen: policy '{earlier.name}' on line {line} above takes every lead it would"
                )
                self.r.report(node, where, reason)


def _name_in(node: yaml.Node) -> str | None:
    """A policy's name read ahead, so that every problem in it is labelled with it."""
    if not isinstance(node, yaml.MappingNode):
        return None
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "name" and isinstance(value, yaml.ScalarNode):
            return str(value.value) or None
    return None
