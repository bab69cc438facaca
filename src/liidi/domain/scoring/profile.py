"""What a person cares about (themes) and where they are in buying (buying stage), from event tags."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from liidi.domain.events import Event
from liidi.domain.scoring.card import Theme
from liidi.domain.scoring.spec import DAY, BuyingStage, Themes


def tags(value: Any) -> list[str]:
    """A property's tags: one non-empty text, or the distinct non-empty texts of a list, in order."""
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list | tuple):
        return list(dict.fromkeys(v for v in value if isinstance(v, str) and v))
    return []


def top_themes(spec: Themes, events: Sequence[Event], t: float) -> tuple[Theme, ...]:
    """Each tag weighs 0.5^(age_days / half_life_days) per event; the heaviest `top`, ties by name."""
    weights: dict[str, float] = {}
    for event in events:
        if event.occurred_ts > t or (spec.events and event.type not in spec.events):
            continue
        weight = 0.5 ** (((t - event.occurred_ts) / DAY) / (spec.half_life / DAY))
        for tag in tags(event.properties.get(spec.property)):
            weights[tag] = weights.get(tag, 0.0) + weight
    total = sum(weights.values())
    ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[: spec.top]
    return tuple(Theme(tag, weight, weight / total) for tag, weight in ranked)


def buying_stage_at(spec: BuyingStage, events: Sequence[Event], t: float) -> str | None:
    """Latest strong evidence wins: among stages with enough evidence in the look-back, the latest seen."""
    evidence: dict[str, int] = {}
    latest: dict[str, float] = {}
    strong = dict(spec.strong_events)
    for event in events:
        if not t - spec.within <= event.occurred_ts <= t:
            continue
        found = [(s, 1) for s in tags(event.properties.get(spec.property)) if s in spec.order]
        if event.type in strong:
            found.append((strong[event.type], spec.min_events))
        for stage, weight in found:
            evidence[stage] = evidence.get(stage, 0) + weight
            latest[stage] = max(latest.get(stage, event.occurred_ts), event.occurred_ts)
    candidates = [stage for stage, count in evidence.items() if count >= spec.min_events]
    if not candidates:
        return None
    return max(candidates, key=lambda stage: (latest[stage], spec.order.index(stage)))
