"""A person's events up to the as-of time, matched once against every rule of a model."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from liidi.domain.events import Event
from liidi.domain.scoring.conditions import Subject
from liidi.domain.scoring.profile import tags
from liidi.domain.scoring.spec import ScoringModel
from liidi.domain.scoring.windows import ClauseHit, WindowRule, clause_hits, clauses_of, firing_times


@dataclass(frozen=True, slots=True)
class History:
    """Matched events per engagement rule, clause hits and firing times per window rule, and check times."""

    events: tuple[Event, ...]
    times: tuple[float, ...]
    engagement: Mapping[str, tuple[Event, ...]]
    engagement_times: Mapping[str, tuple[float, ...]]
    window_hits: Mapping[str, tuple[tuple[ClauseHit, ...], ...]]
    fires: Mapping[str, tuple[float, ...]]
    hand_raiser_ts: float | None
    check_times: tuple[float, ...]


def in_order(events: Iterable[Event], as_of_ts: float) -> tuple[Event, ...]:
    """Events at or before the as-of time, ordered by (occurred_ts, event_id)."""
    return tuple(
        sorted((e for e in events if e.occurred_ts <= as_of_ts), key=lambda e: (e.occurred_ts, e.event_id))
    )


def build_history(model: ScoringModel, subject: Subject, events: Sequence[Event]) -> History:
    """Match every event against every rule once; `events` must already be in order."""
    relevant: set[float] = set()
    engagement = {}
    for rule in model.engagement:
        engagement[rule.name] = tuple(e for e in events if subject.matches(rule.when, e))
        relevant.update(e.occurred_ts for e in engagement[rule.name])
    hits, fires = {}, {}
    window_rules: tuple[WindowRule, ...] = (*model.signals, *model.product)
    for window_rule in window_rules:
        matched = [[e for e in events if subject.matches(c.of, e)] for c in clauses_of(window_rule)]
        hits[window_rule.name] = tuple(
            tuple(clause_hits(c, m)) for c, m in zip(clauses_of(window_rule), matched, strict=True)
        )
        fires[window_rule.name] = tuple(firing_times(window_rule, hits[window_rule.name]))
        relevant.update(e.occurred_ts for m in matched for e in m)
    raisers = [e.occurred_ts for e in events if any(subject.matches(f, e) for f in model.hand_raisers)]
    relevant.update(raisers)
    relevant.update(_stage_evidence_times(model, events))
    return History(
        events=tuple(events),
        times=tuple(e.occurred_ts for e in events),
        engagement=engagement,
        engagement_times={
            name: tuple(e.occurred_ts for e in matched) for name, matched in engagement.items()
        },
        window_hits=hits,
        fires=fires,
        hand_raiser_ts=min(raisers) if raisers else None,
        check_times=tuple(sorted(relevant)),
    )


def _stage_evidence_times(model: ScoringModel, events: Sequence[Event]) -> list[float]:
    """Times of events that are evidence of a buying stage."""
    spec = model.buying_stage
    if spec is None:
        return []
    strong = {event_type for event_type, _ in spec.strong_events}
    return [
        e.occurred_ts
        for e in events
        if e.type in strong or any(tag in spec.order for tag in tags(e.properties.get(spec.property)))
    ]
