"""The scoring model as frozen data: what a marketer wrote, validated and normalised."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from liidi.domain.scoring.expressions import Expression

DAY = 86400.0
GRADE_LETTERS: tuple[str, ...] = ("A", "B", "C", "D")


@dataclass(frozen=True, slots=True)
class Condition:
    """One test on one value: `scope` is account, person or event; `key` the attribute or property."""

    scope: str
    key: str
    op: str
    value: Any

    @property
    def field(self) -> str:
        """The name as written in the model: 'account.industry', 'person.role' or an event property."""
        return self.key if self.scope == "event" else f"{self.scope}.{self.key}"


@dataclass(frozen=True, slots=True)
class AllOf:
    """Every item must hold (an empty AllOf always holds)."""

    items: tuple[Predicate, ...] = ()


@dataclass(frozen=True, slots=True)
class AnyOf:
    """At least one item must hold."""

    items: tuple[Predicate, ...] = ()


Predicate = Condition | AllOf | AnyOf


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which events count: one of `types`, and every condition in `where`."""

    types: tuple[str, ...]
    where: AllOf = field(default_factory=AllOf)


@dataclass(frozen=True, slots=True)
class DecayStep:
    """From `after` seconds of age on, keep this fraction of the points."""

    after: int
    keep: float


@dataclass(frozen=True, slots=True)
class Decay:
    """How points fade with age: none, half_life, lifespan (linear to zero) or step."""

    kind: str = "none"
    period: int = 0
    steps: tuple[DecayStep, ...] = ()

    def factor(self, age_days: float) -> float:
        """The fraction of the points kept at this age in days."""
        if self.kind == "half_life":
            return float(0.5 ** (age_days / (self.period / DAY)))
        if self.kind == "lifespan":
            return max(0.0, 1.0 - age_days / (self.period / DAY))
        if self.kind == "step":
            kept = 1.0
            for step in self.steps:
                if age_days >= step.after / DAY:
                    kept = step.keep
            return kept
        return 1.0


NO_DECAY = Decay()


@dataclass(frozen=True, slots=True)
class Cap:
    """At most `points` (in magnitude) per fixed `per`-second period, or in a lifetime when `per` is None."""

    points: float
    per: int | None = None


@dataclass(frozen=True, slots=True)
class FitRule:
    """Points for who the person and their account are (R4)."""

    name: str
    when: AllOf
    points: float
    description: str = ""


@dataclass(frozen=True, slots=True)
class EngagementRule:
    """Points for each matching event, decayed by age and capped (R5)."""

    name: str
    when: EventFilter
    points: float
    decay: Decay = NO_DECAY
    caps: tuple[Cap, ...] = ()
    group: str | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class Group:
    """Engagement rules sharing one cap."""

    name: str
    caps: tuple[Cap, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class WindowClause:
    """At least `at_least` events (count) or property total (sum) within `within` seconds."""

    at_least: float
    of: EventFilter
    within: int
    measure: str = "count"
    field: str = "value"
    same: str | None = None


@dataclass(frozen=True, slots=True)
class Signal:
    """A window rule (R6): every clause holds in the same window; `key` is the name in expressions."""

    name: str
    key: str
    clauses: tuple[WindowClause, ...]
    points: float = 0.0
    decay: Decay = NO_DECAY
    active_for: int = 30 * 86400
    description: str = ""


@dataclass(frozen=True, slots=True)
class ProductRule:
    """Product usage in a window compared with a threshold (R9, PQL)."""

    name: str
    key: str
    clause: WindowClause
    points: float = 0.0
    decay: Decay = NO_DECAY
    active_for: int = 30 * 86400
    description: str = ""


@dataclass(frozen=True, slots=True)
class Themes:
    """What the person cares about: tags from one property, recency-weighted (R7)."""

    property: str = "topic"
    half_life: int = 30 * 86400
    top: int = 3
    events: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BuyingStage:
    """Where the person is in buying: latest strong evidence wins (R7)."""

    order: tuple[str, ...]
    property: str = "stage"
    within: int = 90 * 86400
    min_events: int = 2
    strong_events: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Qualify:
    """When a lead is marketing- or product-qualified."""

    mql: Expression | None = None
    pql: Expression | None = None


@dataclass(frozen=True, slots=True)
class ScoringModel:
    """One complete, validated scoring model (one file)."""

    name: str
    description: str = ""
    version: str | None = None
    grades: tuple[tuple[str, float], ...] = ()
    fit: tuple[FitRule, ...] = ()
    engagement: tuple[EngagementRule, ...] = ()
    groups: tuple[Group, ...] = ()
    signals: tuple[Signal, ...] = ()
    product: tuple[ProductRule, ...] = ()
    hand_raisers: tuple[EventFilter, ...] = ()
    qualify: Qualify = field(default_factory=Qualify)
    themes: Themes | None = None
    buying_stage: BuyingStage | None = None
    source: str = ""

    def fingerprint(self) -> str:
        """A stable hash of everything that changes scores (not descriptions, order or the source)."""
        from liidi.domain.scoring.versions import fingerprint

        return fingerprint(self)

    def grade_for(self, fit: float) -> str | None:
        """The grade for a fit total: the first threshold reached, else D; None without grades."""
        if not self.grades:
            return None
        return next((letter for letter, floor in self.grades if fit >= floor), "D")
