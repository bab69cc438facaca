"""Why a lead ranks where it does: the top contributions to a score card, as `liidi explain` shows them."""

from __future__ import annotations

from dataclasses import dataclass

from liidi.domain.scoring.card import ScoreCard
from liidi.domain.scoring.describe import signed
from liidi.domain.scoring.explain import when

WHY_SIZE = 5


@dataclass(frozen=True, slots=True)
class Reason:
    """One contribution to a score, as `liidi explain` shows it: kind, rule, points after decay, detail."""

    kind: str
    rule: str
    points: float
    detail: str

    @property
    def text(self) -> str:
        """'+20 service binge' (or 'hand-raiser' for a hand-raise, which qualifies without points)."""
        return self.rule if self.kind == "hand_raiser" else f"{signed(self.points)} {self.rule}"


def top_reasons(card: ScoreCard, size: int = WHY_SIZE) -> tuple[Reason, ...]:
    """A hand-raise first, then the rules that added the most points (fit, engagement, signals, product)."""
    found = []
    if card.hand_raiser:
        raised = card.qualified_by == "hand_raiser" and card.qualified_at_ts is not None
        since = f" since {when(card.qualified_at_ts)}" if raised and card.qualified_at_ts else ""
        found.append(Reason("hand_raiser", "hand-raiser", 0.0, f"asked for contact{since}"))
    adding = sorted((r for r in card.rules if r.points > 0), key=lambda r: (-r.points, r.rule))
    found += [Reason(r.kind, r.rule, r.points, r.detail) for r in adding]
    return tuple(found[:size])
