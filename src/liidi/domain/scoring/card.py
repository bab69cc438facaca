"""What scoring one person returns: the score card and its parts."""

from __future__ import annotations

from dataclasses import dataclass

QUALIFIED_BY_PRECEDENCE: tuple[str, ...] = ("hand_raiser", "pql", "mql")


@dataclass(frozen=True, slots=True)
class RuleScore:
    """One rule's part of the score: points before (raw) and after decay and caps."""

    rule: str
    kind: str
    raw_points: float
    points: float
    events_counted: int
    capped: bool
    detail: str
    events_matched: int = 0


@dataclass(frozen=True, slots=True)
class SignalHit:
    """A window rule (signal or product rule) that fired by the as-of time; `events` were in its window."""

    name: str
    key: str
    kind: str
    first_fired_ts: float
    fired_at_ts: float
    active: bool
    points: float
    detail: str
    events: int = 0


@dataclass(frozen=True, slots=True)
class Theme:
    """A tag the person showed interest in, with its recency-weighted weight and share of all weight."""

    theme: str
    weight: float
    share: float


@dataclass(frozen=True, slots=True)
class ScoreCard:
    """A person scored by one model as of one moment, with every number explained."""

    model: str
    person_id: int
    as_of_ts: float
    fit: float
    grade: str | None
    engagement: float
    score: float
    rules: tuple[RuleScore, ...]
    signals: tuple[SignalHit, ...]
    products: tuple[SignalHit, ...]
    mql: bool
    pql: bool
    hand_raiser: bool
    qualified_by: str | None
    qualified_at_ts: float | None
    themes: tuple[Theme, ...]
    buying_stage: str | None
    explanation: tuple[str, ...]

    @property
    def is_qualified(self) -> bool:
        """True when the lead meets the definition now (hand-raiser, PQL or MQL)."""
        return self.hand_raiser or self.pql or self.mql

    def rule(self, name: str) -> RuleScore | None:
        """One rule's contribution by name."""
        return next((r for r in self.rules if r.rule == name), None)

    def signal(self, name: str) -> SignalHit | None:
        """A fired signal or product rule by name or key."""
        return next((s for s in (*self.signals, *self.products) if name in (s.name, s.key)), None)
