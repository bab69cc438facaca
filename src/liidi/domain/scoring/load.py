"""YAML → ScoringModel, reporting every problem with its line, column and rule."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import yaml

from liidi.domain.scoring.issues import SpecIssue, spec_error
from liidi.domain.scoring.load_profile import SectionLoader
from liidi.domain.scoring.load_rules import RuleLoader
from liidi.domain.scoring.spec import (
    GRADE_LETTERS,
    EngagementRule,
    EventFilter,
    Group,
    ProductRule,
    Qualify,
    ScoringModel,
    Signal,
)
from liidi.domain.scoring.yamlread import Fields, Reader, Where, scalar

TOP_KEYS = (
    "model",
    "description",
    "version",
    "grades",
    "fit",
    "engagement",
    "groups",
    "signals",
    "product",
    "hand_raisers",
    "qualify",
    "themes",
    "buying_stage",
)
SECTIONS = (
    ("fit", "fit rule"),
    ("engagement", "engagement rule"),
    ("signals", "signal"),
    ("product", "product rule"),
)


def load_model_text(text: str, source_name: str = "<model>") -> ScoringModel:
    """Load one model from YAML text; raise SpecError listing every problem."""
    model, issues, _ = _load(text, source_name)
    if issues or model is None:
        raise spec_error(issues)
    return model


def load_model_file(path: str | os.PathLike[str]) -> ScoringModel:
    """Load one model from a UTF-8 YAML file."""
    return load_model_text(Path(path).read_text(encoding="utf-8"), str(path))


def load_models(texts: Mapping[str, str] | Iterable[tuple[str, str]]) -> list[ScoringModel]:
    """Load several models (source name → text) with unique names; report every problem of every file."""
    pairs = list(texts.items()) if isinstance(texts, Mapping) else list(texts)
    models: list[ScoringModel] = []
    issues: list[SpecIssue] = []
    seen: dict[str, str] = {}
    for source, text in pairs:
        model, found, (line, column) = _load(text, source)
        issues.extend(found)
        if model is not None and model.name in seen:
            reason = f"model name '{model.name}' is already used by {seen[model.name]}; names must be unique"
            issues.append(
                SpecIssue(f"{line}:{column} model", model.name, reason, None, source, line, column, "model")
            )
        elif model is not None:
            seen[model.name] = source
            models.append(model)
    if issues:
        raise spec_error(issues)
    return models


def check_model_text(text: str, source_name: str = "<model>") -> list[SpecIssue]:
    """Every problem in a model's text, without raising (empty when it is valid)."""
    return _load(text, source_name)[1]


def _load(text: str, source: str) -> tuple[ScoringModel | None, list[SpecIssue], tuple[int, int]]:
    """Load one text: the model (None if broken), its issues and where its name is."""
    reader = Reader(source)
    root = reader.compose(text)
    loader = _ModelLoader(reader)
    model = loader.model(root) if root is not None else None
    return (None if reader.issues else model), reader.issues, loader.name_at


class _ModelLoader:
    """Builds a whole model section by section, then checks across sections."""

    def __init__(self, reader: Reader) -> None:
        self.r = reader
        self.rules = RuleLoader(reader)
        self.sections = SectionLoader(reader, self.rules.parts)
        self.name_at = (1, 1)

    def model(self, root: yaml.Node) -> ScoringModel | None:
        """The top-level mapping."""
        f = self.r.mapping(root, Where("model", ""), TOP_KEYS, required=("model",))
        if f is None:
            return None
        name = self.name(f)
        rules = {
            section: self.rules.rules(node, section, label, getattr(self.rules, section.removesuffix("s")))
            for section, label in SECTIONS
            if (node := f.get(section)) is not None
        }
        groups_node, grades_node = f.get("groups"), f.get("grades")
        groups = self.rules.groups(groups_node) if groups_node is not None else []
        grades = self.grades(grades_node) if grades_node is not None else ()
        stage_node, themes_node, raisers_node = f.get("buying_stage"), f.get("themes"), f.get("hand_raisers")
        stage = self.sections.buying_stage(stage_node) if stage_node is not None else None
        signals: list[Signal] = rules.get("signals", [])
        products: list[ProductRule] = rules.get("product", [])
        self.check_groups(rules.get("engagement", []), groups)
        self.check_keys(signals, products)
        qualify_node = f.get("qualify")
        qualify = (
            self.sections.qualify(qualify_node, grades, signals, products, stage)
            if qualify_node
            else Qualify()
        )
        if name is None:
            return None
        return ScoringModel(
            name=name,
            description=self.optional_text(f, "description"),
            version=self.optional_text(f, "version") or None,
            grades=grades,
            fit=tuple(rules.get("fit", [])),
            engagement=tuple(rules.get("engagement", [])),
            groups=tuple(groups),
            signals=tuple(signals),
            product=tuple(products),
            hand_raisers=self.hand_raisers(raisers_node) if raisers_node is not None else (),
            qualify=qualify,
            themes=self.sections.themes(themes_node) if themes_node is not None else None,
            buying_stage=stage,
            source=self.r.source,
        )

    def name(self, f: Fields) -> str | None:
        """`model: <name>`."""
        node = f.get("model")
        if node is None:
            return None
        self.name_at = (node.start_mark.line + 1, node.start_mark.column + 1)
        return self.r.text(node, Where("model", "model"))

    def optional_text(self, f: Fields, key: str) -> str:
        """A top-level text such as the description or version label."""
        node = f.get(key)
        if node is None:
            return ""
        if isinstance(node, yaml.ScalarNode) and isinstance(scalar(node), int | float):
            return str(node.value)
        return self.r.text(node, Where(key, key), empty_ok=True) or ""

    def grades(self, node: yaml.Node) -> tuple[tuple[str, float], ...]:
        """`{A: 60, B: 40, C: 20}`: thresholds for the fit total, strictly falling; D is everything below."""
        where = Where("grades", "grades")
        f = self.r.mapping(node, where, GRADE_LETTERS[:-1])
        found: list[tuple[str, float, yaml.Node]] = []
        for letter in GRADE_LETTERS[:-1]:
            value_node = f.get(letter) if f else None
            value = self.r.number(value_node, where.key(letter)) if value_node is not None else None
            if value is not None and value_node is not None:
                found.append((letter, value, value_node))
        for (high, high_value, _), (low, low_value, low_node) in itertools.pairwise(found):
            if low_value >= high_value:
                self.r.report(
                    low_node,
                    where.key(low),
                    f"grades must fall: {low} ({low_value:g}) must be below {high} ({high_value:g})",
                )
        if f is not None and not found and not node.value:
            self.r.report(node, where, "expected thresholds such as {A: 60, B: 40, C: 20}")
        return tuple((letter, value) for letter, value, _ in found)

    def check_groups(self, engagement: Sequence[EngagementRule], groups: Sequence[Group]) -> None:
        """Every referenced group exists; the rules of a group all give points of one sign."""
        names = {g.name for g in groups}
        for group, node, where in self.rules.group_refs:
            if group not in names:
                known = ", ".join(sorted(names)) or "none defined under 'groups'"
                self.r.report(node, where, f"unknown group '{group}' (known: {known})")
        for defined in groups:
            signs = {
                rule.points > 0 for rule in engagement if rule.group == defined.name and rule.points != 0
            }
            if len(signs) > 1:
                self.r.report(
                    self.rules.group_nodes.get(defined.name),
                    Where(f"group '{defined.name}'", f"groups.{defined.name}"),
                    "a group's rules must all give positive or all negative points",
                )

    def check_keys(self, signals: Sequence[Signal], products: Sequence[ProductRule]) -> None:
        """Expression names (signal.<key>, product.<key>) must be unique and non-empty."""
        for family, rules in (("signal", signals), ("product", products)):
            seen: set[str] = set()
            for rule in rules:
                node = self.rules.names.get(rule.name)
                where = Where(f"{family} '{rule.name}'", family)
                if not rule.key:
                    self.r.report(node, where, "the name needs a letter or digit to be used in qualify")
                elif rule.key in seen:
                    self.r.report(node, where, f"'{family}.{rule.key}' would name two rules; rename one")
                seen.add(rule.key)

    def hand_raisers(self, node: yaml.Node) -> tuple[EventFilter, ...]:
        """A list of event types or event filters that qualify a lead at once."""
        where = Where("hand_raisers", "hand_raisers")
        filters = (
            self.rules.parts.event_filter(item, where.key(i))
            for i, item in enumerate(self.r.sequence(node, where) or [])
        )
        return tuple(f for f in filters if f is not None)
