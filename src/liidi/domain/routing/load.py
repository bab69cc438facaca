"""routing.yaml → RoutingPlan, reporting every problem with its line, column and part of the document."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import TypeVar

import yaml

from liidi.domain.routing.load_values import ValueReader
from liidi.domain.routing.plan import Match, Motion, MotionRule, Rep, RoutingPlan, Team, TeamRule
from liidi.domain.scoring.issues import SpecIssue
from liidi.domain.scoring.load_parts import PartLoader
from liidi.domain.scoring.spec import AllOf
from liidi.domain.scoring.yamlread import Fields, Reader, Where, scalar
from liidi.errors import SpecError

TOP_KEYS = (
    "routing",
    "description",
    "timezone",
    "period",
    "affinity",
    "fallback",
    "teams",
    "reps",
    "rules",
    "motions",
)
REP_KEYS = ("email", "name", "team", "weight", "capacity", "out_of_office")
T = TypeVar("T")
Built = list[tuple[T, yaml.Node]]


def load_routing_text(text: str, source: str = "<routing>") -> RoutingPlan:
    """Load a routing document from YAML text; raise SpecError listing every problem."""
    plan, issues = _load(text, source)
    if issues or plan is None:
        raise routing_error(issues)
    return plan


def check_routing_text(text: str, source: str = "<routing>") -> list[SpecIssue]:
    """Every problem in a routing document, without raising (empty when it is valid)."""
    return sorted(_load(text, source)[1], key=lambda i: (i.line, i.column))


def routing_error(issues: Sequence[SpecIssue]) -> SpecError:
    """One SpecError carrying every issue, sorted by position."""
    ordered = sorted(issues, key=lambda i: (i.source, i.line, i.column))
    noun = "problem" if len(ordered) == 1 else "problems"
    lines = "\n".join(i.one_line() for i in ordered)
    return SpecError(list(ordered), f"{len(ordered)} {noun} in the routing document:\n{lines}")


class _RoutingReader(Reader):
    empty_file = ("routing", "the file is empty; it needs at least 'routing: <name>', teams, reps and rules")


def _load(text: str, source: str) -> tuple[RoutingPlan | None, list[SpecIssue]]:
    reader = _RoutingReader(source)
    root = reader.compose(text)
    plan = _Loader(reader).plan(root) if root is not None else None
    return (None if reader.issues else plan), reader.issues


class _Loader:
    """Builds a plan section by section, then checks that teams, reps and rules fit together."""

    def __init__(self, reader: Reader) -> None:
        self.r = reader
        self.v = ValueReader(reader)
        self.parts = PartLoader(reader)

    def plan(self, root: yaml.Node) -> RoutingPlan | None:
        """The top-level mapping."""
        f = self.r.mapping(
            root, Where("routing", ""), TOP_KEYS, required=("routing", "teams", "reps", "rules")
        )
        if f is None:
            return None
        v = self.v
        name = self.optional(f, "routing", v.name, None)
        zone = self.optional(f, "timezone", v.timezone, "UTC")
        period = self.optional(f, "period", v.period, "week")
        affinity = self.optional(f, "affinity", v.boolean, True)
        queue = self.optional(f, "fallback", v.email, None)
        about = self.optional(f, "description", v.description, "")
        teams = self.listed(f, "teams", self.team)
        reps = self.listed(f, "reps", self.rep)
        rules = self.listed(f, "rules", self.team_rule)
        motions = self.listed(f, "motions", self.motion_rule)
        self.check(teams, reps, rules, motions)
        if name is None:
            return None
        return RoutingPlan(
            name=name,
            teams=tuple(t for t, _ in teams),
            reps=tuple(r for r, _ in reps),
            rules=tuple(r for r, _ in rules),
            motions=tuple(m for m, _ in motions),
            fallback=queue,
            affinity=affinity,
            period=period,
            timezone=zone,
            description=about,
        )

    def optional(self, f: Fields, key: str, build: Callable[[yaml.Node, Where], T | None], default: T) -> T:
        """A top-level value built from its node, or the default when absent or broken."""
        node = f.get(key)
        built = build(node, Where(key, key)) if node is not None else None
        return default if built is None else built

    def listed(self, f: Fields, key: str, build: Callable[[yaml.Node, Where], T | None]) -> Built[T]:
        """The items of a list section that were built, each with its node."""
        node = f.get(key)
        if node is None:
            return []
        where = Where(key, key)
        items = self.r.sequence(node, where)
        if items is not None and not items and key != "motions":
            self.r.report(node, where, f"expected at least one item under '{key}'")
        built = ((build(item, where.key(i)), item) for i, item in enumerate(items or []))
        return [(x, item) for x, item in built if x is not None]

    def team(self, node: yaml.Node, where: Where) -> Team | None:
        """`{name: nordics, lead: anna@example.fi}`."""
        f = self.r.mapping(node, Where("team", where.path), ("name", "lead"), required=("name",))
        name_node = f.get("name") if f else None
        name = self.v.name(name_node, Where("team", where.path).key("name")) if name_node else None
        if f is None or name is None:
            return None
        lead_node = f.get("lead")
        lead = self.v.email(lead_node, Where(f"team '{name}'", where.path).key("lead")) if lead_node else None
        return Team(name, lead)

    def rep(self, node: yaml.Node, where: Where) -> Rep | None:
        """`{email, name, team, weight, capacity, out_of_office: [{from, until}]}`."""
        f = self.r.mapping(node, Where("rep", where.path), REP_KEYS, required=("email", "team"))
        email_node = f.get("email") if f else None
        email = self.v.email(email_node, Where("rep", where.path).key("email")) if email_node else None
        if f is None or email is None:
            return None
        at = Where(f"rep '{email}'", where.path)
        got = {key: (f.get(key), at.key(key)) for key in REP_KEYS}

        def read(key: str, build: Callable[[yaml.Node, Where], T | None]) -> T | None:
            value_node, value_at = got[key]
            return build(value_node, value_at) if value_node is not None else None

        team, weight = read("team", self.v.name), read("weight", self.v.weight)
        name, capacity = read("name", self.v.name), read("capacity", self.v.capacity)
        away = read("out_of_office", self.v.away) or ()
        if team is None or (weight is None and f.get("weight") is not None):
            return None
        return Rep(email, team, name, weight or Fraction(1), capacity, away)

    def team_rule(self, node: yaml.Node, where: Where) -> TeamRule | None:
        """`{name, when, qualified_by, team}`: leads that match go to the team."""
        built = self.rule(node, where, "rule", "team")
        if built is None:
            return None
        name, match, team_node = built
        team = self.v.name(team_node, Where(f"rule '{name}'", where.path).key("team"))
        return TeamRule(name, team, match) if team is not None else None

    def motion_rule(self, node: yaml.Node, where: Where) -> MotionRule | None:
        """`{name, when, qualified_by, motion}`: leads that match get the motion."""
        built = self.rule(node, where, "motion", "motion")
        if built is None:
            return None
        name, match, motion_node = built
        value = scalar(motion_node) if isinstance(motion_node, yaml.ScalarNode) else motion_node.value
        choices = [m.value for m in Motion]
        if value not in choices:
            at = Where(f"motion '{name}'", where.path).key("motion")
            shown = repr(value) if isinstance(motion_node, yaml.ScalarNode) else "a list or mapping"
            self.r.report(motion_node, at, f"expected one of {', '.join(choices)}, got {shown}")
            return None
        return MotionRule(name, Motion(value), match)

    def rule(
        self, node: yaml.Node, where: Where, label: str, target: str
    ) -> tuple[str, Match, yaml.Node] | None:
        """The shared part of a rule: its name, its conditions and the node of what it decides."""
        keys = ("name", "when", "qualified_by", target)
        f = self.r.mapping(node, Where(label, where.path), keys, required=("name", target))
        name_node = f.get("name") if f else None
        name = self.v.name(name_node, Where(label, where.path).key("name"), 200) if name_node else None
        target_node = f.get(target) if f else None
        if name is None or target_node is None or f is None:
            return None
        at = Where(f"{label} '{name}'", where.path)
        when_node, by_node = f.get("when"), f.get("qualified_by")
        when = self.parts.when(when_node, at.key("when")) if when_node is not None else AllOf()
        by = self.v.qualified_by(by_node, at.key("qualified_by")) if by_node is not None else ()
        return name, Match(when, by or ()), target_node

    def check(
        self, teams: Built[Team], reps: Built[Rep], rules: Built[TeamRule], motions: Built[MotionRule]
    ) -> None:
        """Reps and rules name known teams; names and e-mails are unique; every team has a rep."""
        names = list(dict.fromkeys(t.name for t, _ in teams))
        known = ", ".join(names) or "none"
        pointing = [("rep", r.email, r.team, n) for r, n in reps]
        pointing += [("rule", r.name, r.team, n) for r, n in rules]
        for kind, label, named, node in pointing:
            if named not in names:
                where = Where(f"{kind} '{label}'", f"{kind}s").key("team")
                self.r.report(_value_of(node, "team"), where, f"unknown team '{named}' (teams: {known})")
        self._unique("teams", [(t.name, n) for t, n in teams], "team")
        self._unique("reps", [(r.email, n) for r, n in reps], "rep")
        self._unique("rules", [(r.name, n) for r, n in rules], "rule")
        self._unique("motions", [(m.name, n) for m, n in motions], "motion")
        staffed = {r.team for r, _ in reps}
        for team, node in teams:
            if reps and team.name not in staffed:
                where = Where(f"team '{team.name}'", "teams")
                self.r.report(node, where, f"has no reps; give a rep 'team: {team.name}' or leave it out")

    def _unique(self, key: str, named: list[tuple[str, yaml.Node]], noun: str) -> None:
        """Report a second item with the same name (or e-mail)."""
        what = "e-mails" if noun == "rep" else "names"
        seen: set[str] = set()
        for value, node in named:
            if value in seen:
                self.r.report(node, Where(f"{noun} '{value}'", key), f"is given twice; {what} must be unique")
            seen.add(value)


def _value_of(node: yaml.Node, key: str) -> yaml.Node:
    """The value node of a key in a mapping node (the mapping itself when the key is absent)."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                found: yaml.Node = value
                return found
    return node
