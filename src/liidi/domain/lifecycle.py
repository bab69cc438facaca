"""Lifecycle stages of a lead and the moves between them (R9–R12)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from liidi.errors import FieldError, InvalidTransition, ValidationFailed


class Stage(StrEnum):
    """Where a person is on the way from subscriber to customer."""

    SUBSCRIBER = "subscriber"
    LEAD = "lead"
    MQL = "mql"
    SAL = "sal"
    SQL = "sql"
    OPPORTUNITY = "opportunity"
    CUSTOMER = "customer"
    RECYCLED = "recycled"
    DISQUALIFIED = "disqualified"


FUNNEL: tuple[Stage, ...] = (
    Stage.SUBSCRIBER,
    Stage.LEAD,
    Stage.MQL,
    Stage.SAL,
    Stage.SQL,
    Stage.OPPORTUNITY,
    Stage.CUSTOMER,
)

MOVES: dict[Stage, tuple[Stage, ...]] = {
    Stage.SUBSCRIBER: (Stage.LEAD, Stage.MQL, Stage.SAL, Stage.DISQUALIFIED),
    Stage.LEAD: (Stage.MQL, Stage.SAL, Stage.DISQUALIFIED),
    Stage.MQL: (Stage.SAL, Stage.RECYCLED, Stage.DISQUALIFIED),
    Stage.SAL: (Stage.SQL, Stage.RECYCLED, Stage.DISQUALIFIED),
    Stage.SQL: (Stage.OPPORTUNITY, Stage.RECYCLED, Stage.DISQUALIFIED),
    Stage.OPPORTUNITY: (Stage.CUSTOMER, Stage.RECYCLED, Stage.DISQUALIFIED),
    Stage.CUSTOMER: (Stage.OPPORTUNITY,),
    Stage.RECYCLED: (Stage.LEAD, Stage.MQL, Stage.SAL, Stage.DISQUALIFIED),
    Stage.DISQUALIFIED: (Stage.LEAD,),
}
QUALIFIABLE: frozenset[Stage] = frozenset({Stage.SUBSCRIBER, Stage.LEAD, Stage.RECYCLED})
QUALIFIED_BY: tuple[str, ...] = ("hand_raiser", "pql", "mql")

DEFAULT_REASONS: dict[Stage, tuple[str, ...]] = {
    Stage.RECYCLED: ("not_ready", "timing", "no_budget_yet", "no_response", "wrong_contact", "lost_deal"),
    Stage.DISQUALIFIED: (
        "not_a_fit",
        "student",
        "job_seeker",
        "competitor",
        "duplicate",
        "spam",
        "no_budget",
    ),
}


def funnel_rank(stage: Stage) -> int:
    """Position in the forward funnel; recycled ranks as a lead, disqualified below everything."""
    if stage is Stage.RECYCLED:
        return FUNNEL.index(Stage.LEAD)
    if stage is Stage.DISQUALIFIED:
        return -1
    return FUNNEL.index(stage)


def parse_stage(value: str, name: str = "to") -> Stage:
    """A stage from its name, or ValidationFailed listing the stages."""
    try:
        return Stage(value)
    except ValueError:
        allowed = ", ".join(s.value for s in Stage)
        raise ValidationFailed([FieldError(name, value, f"unknown stage; use one of {allowed}")]) from None


@dataclass(frozen=True, slots=True)
class LifecyclePolicy:
    """Which moves are allowed and which reason codes a step back or a disqualification needs."""

    reasons: dict[Stage, tuple[str, ...]]

    @classmethod
    def default(cls) -> LifecyclePolicy:
        """The shipped moves and reason codes."""
        return cls(dict(DEFAULT_REASONS))

    def allowed_moves(self, current: Stage) -> tuple[Stage, ...]:
        """Stages a person in `current` may be moved to by hand."""
        return MOVES[current]

    def check_move(self, current: Stage, target: Stage, reason: str | None) -> None:
        """Raise InvalidTransition or ValidationFailed unless the move is allowed with this reason."""
        if target not in MOVES[current]:
            allowed = [s.value for s in MOVES[current]]
            raise InvalidTransition(
                f"cannot move from {current.value} to {target.value}; allowed: {', '.join(allowed)}", allowed
            )
        codes = self.reasons.get(target)
        if codes and reason not in codes:
            raise ValidationFailed(
                [FieldError("reason", reason, f"moving to {target.value} needs one of: {', '.join(codes)}")]
            )

    @staticmethod
    def can_qualify(current: Stage) -> bool:
        """True when automation may make this person an MQL."""
        return current in QUALIFIABLE


def recycle_count(history: Iterable[str]) -> int:
    """How many times a person was sent back to nurture."""
    return sum(1 for stage in history if stage == Stage.RECYCLED.value)
