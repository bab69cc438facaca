"""Planning routes (admin key): the reverse funnel from a revenue target, stored plans and their actuals."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import Field, StrictBool

from liidi.api.deps import AdminKey, KeyedRoute, Uow
from liidi.api.replies import Reply
from liidi.api.responses import WRITE
from liidi.api.routes.reports import moment_param
from liidi.api.schemas import Strict
from liidi.domain.planning import invalid
from liidi.services import planning

router = APIRouter(prefix="/v1", tags=["planning"], responses=WRITE, route_class=KeyedRoute)
NUMBER_OR_TEXT = {"anyOf": [{"type": "number"}, {"type": "string"}, {"type": "null"}]}
RATE = "A rate: 0.2, '20%', '1/3' or '1 in 3', above 0 and at most 1; left out: measured from history."


def _given(description: str, example: Any) -> Any:
    return Field(None, description=description, examples=[example], json_schema_extra=NUMBER_OR_TEXT)


class PlanIn(Strict):
    """A revenue target (or a number of deals) for a period, with the rates known; the rest is measured."""

    revenue: Any = _given("The revenue target in euros (number or text such as '50,000').", 50000)
    deals: Any = _given("The target as a number of won deals instead of revenue.", None)
    deal_size: Any = _given("The average deal in euros; left out: the mean won deal of the window.", 10000)
    win_rate: Any = _given("Share of proposals won. " + RATE, "20%")
    meeting_to_proposal: Any = _given("Share of meetings that become proposals. " + RATE, "1/3")
    contact_to_meeting: Any = _given("Share of contacts that get a meeting. " + RATE, 0.2)
    period: str | None = Field(
        None, max_length=10, description="2026-12, 2026-Q1 or 2026; default this month."
    )
    since: Any = Field(
        None,
        description="Measure from this moment (ISO date/time or epoch seconds); default a year before until.",
        json_schema_extra=NUMBER_OR_TEXT,
    )
    until: Any = Field(
        None,
        description="Measure up to this moment; default just after the latest stored history.",
        json_schema_extra=NUMBER_OR_TEXT,
    )
    save: StrictBool = Field(False, description="Store the plan for its period, replacing an earlier one.")
    author: str = Field("api", max_length=254, description="Who made the plan.")


class RateOut(Reply):
    """A conversion rate: exact, as a share, where it came from and (measured) its 95 % Wilson interval."""

    value: float
    fraction: str = Field(..., description="The exact rate, e.g. '1/3'.")
    percent: str
    source: str = Field(..., description="given or measured.")
    successes: int | None = Field(..., description="Measured: how many went on to the next stage.")
    trials: int | None = Field(..., description="Measured: how many the rate rests on.")
    ci_low: float | None
    ci_high: float | None


class PlanOut(Reply):
    """A plan: the stage counts (rounded up at each stage), the rates, lags and when each stage is needed."""

    period: str
    revenue: float
    deal_size: float
    deal_size_source: str = Field(..., description="given or measured (the mean won deal).")
    deal_size_basis: int | None = Field(..., description="Measured: the won deals it is the mean of.")
    contacts: int
    meetings: int
    proposals: int
    deals: int
    rates: dict[str, RateOut] = Field(..., description="contact_to_meeting, meeting_to_proposal, win_rate.")
    lags_days: dict[str, float | None] | None = Field(..., description="Median days between stages.")
    needed_by: dict[str, str | None] = Field(..., description="The date each stage is needed by.")
    window: dict[str, float] | None = Field(..., description="The history measured: since, until.")
    sentence: str
    stages: dict[str, str] = Field(..., description="What each stage of the plan counts in the product.")


class PlannedOut(PlanOut):
    """A computed plan and whether it was stored."""

    saved: bool
    replaced: bool = Field(..., description="True when saving replaced an earlier plan of the period.")


class StoredPlanOut(PlanOut):
    """A stored plan with who made it and when."""

    author: str
    created_ts: float
    updated_ts: float


class PlansOut(Reply):
    """Every stored plan, by period."""

    plans: list[StoredPlanOut]


class StageProgressOut(Reply):
    """One stage planned against the period's actuals."""

    stage: str
    planned: float
    actual: float
    reached: float | None = Field(..., description="actual / planned.")
    expected_by_now: float = Field(..., description="planned × the share of the period gone.")
    pace: float | None = Field(..., description="actual / expected_by_now.")
    status: str = Field(
        ..., description="not started, ahead, on pace, behind; after the period reached, missed."
    )


class ProgressOut(Reply):
    """How far the period has come."""

    as_of: float
    elapsed: float = Field(..., description="The share of the period gone by.")
    stages: list[StageProgressOut]


class PlanShowOut(StoredPlanOut):
    """A stored plan with the actuals of its period so far."""

    progress: ProgressOut


@router.post("/plans", response_model=PlannedOut)
def post_plan(body: PlanIn, uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """Work a revenue target back to deals, proposals, meetings and contacts; rates and the deal size left
    out are measured from the dated history (422 names any that cannot be); `save` stores it."""
    planned = planning.make_plan(
        uow,
        revenue=body.revenue,
        deals=body.deals,
        deal_size=body.deal_size,
        win_rate=body.win_rate,
        meeting_to_proposal=body.meeting_to_proposal,
        contact_to_meeting=body.contact_to_meeting,
        period=body.period,
        since=_moment(body.since, "since"),
        until=_moment(body.until, "until"),
        save=body.save,
        author=body.author,
    )
    return planned.as_dict()


def _moment(value: Any, name: str) -> float | None:
    """A moment of the body as epoch seconds, or ValidationFailed naming it."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise invalid(name, value, "expected an ISO date/time or epoch seconds")
    return moment_param(str(value), name)


@router.get("/plans", response_model=PlansOut)
def get_plans(uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """Every stored plan, by period."""
    return {"plans": planning.list_plans(uow)}


PeriodPath = Annotated[str, Path(max_length=10, description="2026-12, 2026-Q1 or 2026.")]


@router.get("/plans/{period}", response_model=PlanShowOut)
def get_plan(period: PeriodPath, uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """A stored plan against the period's actuals so far: the share reached and the pace; 404 without one."""
    return planning.show_plan(uow, period)
