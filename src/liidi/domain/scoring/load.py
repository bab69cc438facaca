"""YAML → ScoringModel, reporting every problem with its line, column and rule."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

import yaml

from liidi.domain.scoring.issues import SpecIssue, spec_error
from liidi.domain.scoring.load_profile import SectionLoader
from liidi.domain.scoring.load_rules import RuleLoader
from liidi.domain.scoring.spec import (
    GRADE_LETTERS,
    Condition,
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
T = TypeVar("T")
U = TypeVar("U")


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


def model_reads(
    text: str, source_name: str = "<model>"
) -> list[tuple[str, Condition | None, yaml.Node, yaml.Node | None]]:
    """What a valid model's rules read, with the YAML nodes they were written at (empty when invalid).

    Each item is (rule, condition, key node, value node); an event type read has no condition.
    """
    reader = Reader(source_name)
    root = reader.compose(text)
    loader = _ModelLoader(reader)
    if root is None or loader.model(root) is None or reader.issues:
        return []
    return list(loader.rules.parts.reads)


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
        """The top-level mapping, section by section."""
        f = self.r.mapping(root, Where("model", ""), TOP_KEYS, required=("model",))
        if f is None:
            return None
        name = self.name(f)
        engagement = self.rule_section(f, "engagement", "engagement rule", self.rules.engagement)
        signals = self.rule_section(f, "signals", "signal", self.rules.signal)
        products = self.rule_section(f, "product", "product rule", self.rules.product)
        groups: list[Group] = self.optional(f, "groups", self.rules.groups, [])
        grades: tuple[tuple[str, float], ...] = self.optional(f, "grades", self.grades, ())
        stage = self.optional(f, "buying_stage", self.sections.buying_stage, None)
        self.check_groups(engagement, groups)
        self.check_keys(signals, products)
        if name is None:
            return None
        return ScoringModel(
            name=name,
            description=self.optional_text(f, "description"),
            version=self.optional_text(f, "version") or None,
            grades=grades,
            fit=tuple(self.rule_section(f, "fit", "fit rule", self.rules.fit)),
            engagement=tuple(engagement),
            groups=tuple(groups),
            signals=tuple(signals),
            product=tuple(products),
            hand_raisers=self.optional(f, "hand_raisers", self.hand_raisers, ()),
            qualify=self.optional(
                f,
                "qualify",
                lambda n: self.sections.qualify(n, grades, signals, products, stage),
                Qualify(),
            ),
            themes=self.optional(f, "themes", self.sections.themes, None),
            buying_stage=stage,
            source=self.r.source,
        )

    def rule_section(
        self, f: Fields, key: str, label: str, build: Callable[[Fields, Where], T | None]
    ) -> list[T]:
        """The rules of one list section, or none when the section is absent."""
        node = f.get(key)
        return self.rules.rules(node, key, label, build) if node is not None else []

    def optional(self, f: Fields, key: str, build: Callable[[yaml.Node], U], default: U) -> U:
        """A section built from its node, or the default when it is absent."""
        node = f.get(key)
        return build(node) if node is not None else default

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
