"""Lifecycle stages of a lead and the moves between them (R9–R12)."""

from __future__ import annotations

from enum import StrEnum


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


def funnel_rank(stage: Stage) -> int:
    """Position in the forward funnel; recycled ranks as a lead, disqualified below everything."""
    if stage is Stage.RECYCLED:
        return FUNNEL.index(Stage.LEAD)
    if stage is Stage.DISQUALIFIED:
        return -1
    return FUNNEL.index(stage)
