"""Versioning a model: a stable fingerprint of what changes scores, and a readable diff of two models."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from typing import Any

from liidi.domain.scoring import describe
from liidi.domain.scoring.expressions import Expression
from liidi.domain.scoring.spec import (
    BuyingStage,
    EngagementRule,
    FitRule,
    Group,
    ProductRule,
    ScoringModel,
    Signal,
    Themes,
)

Rule = FitRule | EngagementRule | Signal | ProductRule | Group

_NOT_SCORING = frozenset({"description", "source", "version"})
_SECTIONS = (
    ("fit", "fit rule"),
    ("engagement", "engagement rule"),
    ("groups", "group"),
    ("signals", "signal"),
    ("product", "product rule"),
)


def normalised(model: ScoringModel) -> dict[str, Any]:
    """The model as plain data: descriptions and source left out, rules sorted by name, numbers as floats."""
    data: dict[str, Any] = _plain(model)
    for section, _ in _SECTIONS:
        data[section] = sorted(data[section], key=lambda rule: str(rule["name"]))
    data["hand_raisers"] = sorted(data["hand_raisers"], key=lambda f: json.dumps(f, sort_keys=True))
    return data


def fingerprint(model: ScoringModel) -> str:
    """16 hex digits of SHA-256 over the normalised model; unchanged by comments, descriptions and order."""
    text = json.dumps(normalised(model), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _plain(value: Any) -> Any:
    """Dataclasses as dicts, tuples as lists, numbers as floats, expressions as canonical text."""
    if isinstance(value, Expression):
        return value.canonical()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = (f.name for f in dataclasses.fields(value) if f.name not in _NOT_SCORING)
        return {"_": type(value).__name__} | {name: _plain(getattr(value, name)) for name in fields}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def diff_specs(old: ScoringModel, new: ScoringModel) -> list[str]:
    """What changed from `old` to `new`, one readable line per change (empty when they score alike)."""
    changes: list[str] = []
    if old.name != new.name:
        changes.append(f"model renamed: {old.name} → {new.name}")
    if old.version != new.version:
        changes.append(f"version label: {old.version or '(none)'} → {new.version or '(none)'}")
    changes += _grade_changes(old, new)
    for section, label in _SECTIONS:
        changes += _rule_changes(getattr(old, section), getattr(new, section), label)
    changes += _set_changes("hand-raiser", _raisers(old), _raisers(new))
    for key in ("mql", "pql"):
        before, after = getattr(old.qualify, key), getattr(new.qualify, key)
        if _text(before) != _text(after):
            changes.append(f"qualify {key}: {_text(before)} → {_text(after)}")
    changes += _field_changes("themes", _themes(old.themes), _themes(new.themes))
    changes += _field_changes("buying stage", _stage(old.buying_stage), _stage(new.buying_stage))
    return changes


def _grade_changes(old: ScoringModel, new: ScoringModel) -> list[str]:
    """'grade B threshold 40 → 45'."""
    before, after = dict(old.grades), dict(new.grades)
    lines = []
    for letter in sorted(set(before) | set(after)):
        if before.get(letter) != after.get(letter):
            lines.append(f"grade {letter} threshold {_num(before.get(letter))} → {_num(after.get(letter))}")
    return lines


def _rule_changes(old: Sequence[Rule], new: Sequence[Rule], label: str) -> list[str]:
    """Rules added, removed, or changed field by field."""
    before = {r.name: _display(r) for r in old}
    after = {r.name: _display(r) for r in new}
    lines = [f"{label} '{n}' removed (was {_summary(before[n])})" for n in before if n not in after]
    lines += [f"{label} '{n}' added: {_summary(after[n])}" for n in after if n not in before]
    for name in (n for n in before if n in after):
        for key, value in before[name].items():
            if after[name].get(key) != value:
                lines.append(f"{label} '{name}': {key} {value} → {after[name].get(key)}")
    return lines


def _display(rule: Rule) -> dict[str, str]:
    """The parts of a rule a person compares, as text."""
    if isinstance(rule, Group):
        return {"cap": describe.caps(rule.caps)}
    shown = {"points": describe.number(rule.points)}
    if isinstance(rule, FitRule):
        return shown | {"when": describe.predicate(rule.when)}
    if isinstance(rule, EngagementRule):
        return shown | {
            "when": describe.event_filter(rule.when),
            "decay": describe.decay(rule.decay),
            "cap": describe.caps(rule.caps),
            "group": rule.group or "none",
        }
    clauses = rule.clauses if isinstance(rule, Signal) else (rule.clause,)
    return shown | {
        "condition": "; ".join(describe.clause(c) for c in clauses),
        "decay": describe.decay(rule.decay),
        "active for": describe.duration(rule.active_for),
    }


def _summary(display: dict[str, str]) -> str:
    """'points 3, when page_view, decay half-life 14d'."""
    return ", ".join(f"{key} {value}" for key, value in display.items() if value not in ("none", "no cap"))


def _set_changes(label: str, before: set[str], after: set[str]) -> list[str]:
    """Items added to or removed from a set."""
    return [f"{label} added: {x}" for x in sorted(after - before)] + [
        f"{label} removed: {x}" for x in sorted(before - after)
    ]


def _field_changes(label: str, before: dict[str, str] | None, after: dict[str, str] | None) -> list[str]:
    """Field-by-field changes of a small section (themes, buying stage)."""
    if before == after:
        return []
    if before is None or after is None:
        return [f"{label} {'added' if before is None else 'removed'}"]
    return [f"{label} {k}: {before[k]} → {after.get(k)}" for k in before if before[k] != after.get(k)]


def _themes(spec: Themes | None) -> dict[str, str] | None:
    """Themes settings as text."""
    if spec is None:
        return None
    events = "/".join(spec.events) or "any event"
    return {
        "from": spec.property,
        "half-life": describe.duration(spec.half_life),
        "top": str(spec.top),
        "events": events,
    }


def _stage(spec: BuyingStage | None) -> dict[str, str] | None:
    """Buying-stage settings as text."""
    if spec is None:
        return None
    strong = ", ".join(f"{event} → {stage}" for event, stage in spec.strong_events) or "none"
    return {
        "from": spec.property,
        "order": " → ".join(spec.order),
        "within": describe.duration(spec.within),
        "min_events": str(spec.min_events),
        "strong_events": strong,
    }


def _raisers(model: ScoringModel) -> set[str]:
    """Hand-raiser filters as text."""
    return {describe.event_filter(f) for f in model.hand_raisers}


def _text(expression: Expression | None) -> str:
    """An expression's canonical text, or '(none)'."""
    return expression.canonical() if expression else "(none)"


def _num(value: float | None) -> str:
    """A threshold or '(none)'."""
    return "(none)" if value is None else describe.number(value)
