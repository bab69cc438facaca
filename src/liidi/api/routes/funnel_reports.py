"""Funnel, velocity, calibration and sourced-mix reports (admin key), as JSON or `?format=csv`."""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import Field

from liidi.api.deps import AdminKey, KeyedRoute, Uow
from liidi.api.reply_base import Reply
from liidi.api.responses import READ
from liidi.api.routes.reports import Moment, moment_param
from liidi.errors import FieldError, ValidationFailed
from liidi.presentation import funnel as rows
from liidi.services import funnel_reports
from liidi.services.funnel_reports import DIMENSIONS

router = APIRouter(prefix="/v1/reports", tags=["reports"], responses=READ, route_class=KeyedRoute)
Format = Annotated[Literal["json", "csv"], Query(description="json (default) or csv (the table's rows).")]
By = Annotated[str | None, Query(description=f"Group by one of: {', '.join(DIMENSIONS)}.")]


CSV = {200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "JSON, or CSV rows."}}


class FunnelOut(Reply):
    """People arrived in the window per group and the stages they reached; deals created in it."""

    by: str | None
    since: float | None
    until: float | None
    engine: str
    stages: list[str]
    groups: list[dict[str, Any]] = Field(..., description="key, people, reached per stage, conversion.")
    total: dict[str, Any]
    deals: list[dict[str, Any]] = Field(..., description="key, deals, open, won, lost, amounts, win_rate.")
    deals_total: dict[str, Any]


class VelocityOut(Reply):
    """Durations in days per group and measure, and the MQLs never touched per group."""

    by: str | None
    since: float | None
    until: float | None
    engine: str
    measures: list[dict[str, Any]] = Field(..., description="key, measure, n, mean_days, median_days.")
    untouched: dict[str, int]


class CalibrationOut(Reply):
    """Conversion after each model's latest batch run, by score band and by grade."""

    model: str | None
    as_of: float | None
    band: float
    engine: str
    targets: list[str]
    bands: list[dict[str, Any]]
    grades: list[dict[str, Any]]


class MixOut(Reply):
    """Sales- and marketing-sourced shares of people, opportunities and won amount."""

    since: float | None
    until: float | None
    sides: list[dict[str, Any]]


def _csv(table: list[dict[str, Any]]) -> Response:
    return Response(rows.csv_text(table), media_type="text/csv; charset=utf-8")


@router.get("/funnel", response_model=FunnelOut, responses=CSV)
def get_funnel(
    uow: Uow,
    _key: AdminKey,
    by: By = None,
    since: Moment = None,
    until: Moment = None,
    format: Format = "json",
) -> Any:
    """People arrived in [since, until) by group: how many reached each stage; deals created then."""
    report = funnel_reports.funnel_report(
        uow, by=by, since=moment_param(since, "since"), until=moment_param(until, "until")
    ).as_dict()
    return _csv(rows.funnel_rows(report, by or "group")) if format == "csv" else report


@router.get("/velocity", response_model=VelocityOut, responses=CSV)
def get_velocity(
    uow: Uow,
    _key: AdminKey,
    by: By = None,
    since: Moment = None,
    until: Moment = None,
    format: Format = "json",
) -> Any:
    """Days in each stage, from mql to first touch and from deal to close, per group."""
    report = funnel_reports.velocity_report(
        uow, by=by, since=moment_param(since, "since"), until=moment_param(until, "until")
    ).as_dict()
    return _csv(rows.velocity_rows(report, by or "group")) if format == "csv" else report


@router.get("/calibration", response_model=CalibrationOut, responses=CSV)
def get_calibration(
    uow: Uow,
    _key: AdminKey,
    model: Annotated[str | None, Query(max_length=100, description="Only this model.")] = None,
    as_of: Moment = None,
    band: Annotated[float, Query(description="Width of a score band.")] = 20.0,
    format: Format = "json",
) -> Any:
    """Of the people each model's latest batch run scored, the share reaching sql, opportunity and
    customer afterwards, by score band and by grade."""
    if not math.isfinite(band):
        raise ValidationFailed([FieldError("band", band, "must be finite")], f"band {band}: must be finite")
    report = funnel_reports.calibration_report(
        uow, model=model, as_of=moment_param(as_of, "as_of"), band=band
    ).as_dict()
    return _csv(rows.calibration_rows(report, "bands")) if format == "csv" else report


@router.get("/mix", response_model=MixOut, responses=CSV)
def get_mix(
    uow: Uow, _key: AdminKey, since: Moment = None, until: Moment = None, format: Format = "json"
) -> Any:
    """The sourced mix of people arrived in [since, until): each side's share of people, opportunities
    and won amount."""
    start, end = moment_param(since, "since"), moment_param(until, "until")
    sides = funnel_reports.mix_report(uow, since=start, until=end)
    return _csv(rows.mix_rows(sides)) if format == "csv" else {"since": start, "until": end, "sides": sides}
