"""Reports (admin key): the acceptance of handed-over leads, overall and per source or model."""

from __future__ import annotations

import math
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from liidi.api.deps import AdminKey, KeyedRoute, Uow
from liidi.api.feedback_replies import AcceptanceOut
from liidi.api.responses import READ
from liidi.domain.bounds import moment_of
from liidi.errors import FieldError, ValidationFailed
from liidi.presentation.reports import acceptance_group_rows, csv_text
from liidi.services import acceptance

router = APIRouter(prefix="/v1/reports", tags=["reports"], responses=READ, route_class=KeyedRoute)
Moment = Annotated[
    str | None,
    Query(
        description="Epoch seconds or an ISO 8601 date or time (UTC when no offset).",
        examples=["2026-11-01", "1793000000"],
    ),
]


def moment_param(value: str | None, name: str) -> float | None:
    """A query parameter as epoch seconds, or ValidationFailed naming it."""
    if value is None or not value.strip():
        return None
    moment = moment_of(value.strip())
    if moment is None or not math.isfinite(moment):
        reason = "expected epoch seconds or an ISO date/time between 1970-01-01 and 9999-12-31"
        raise ValidationFailed([FieldError(name, value, reason)], f"{name}={value!r}: {reason}")
    return moment


By = Annotated[
    str | None,
    Query(description="Also per channel, lead_tool, direction, sourced_by, model or qualified_by."),
]
Format = Annotated[str, Query(pattern="^(json|csv)$", description="json (default) or csv.")]
CSV = {200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "JSON, or CSV rows."}}


@router.get("/acceptance", response_model=AcceptanceOut, responses=CSV)
def get_acceptance(
    uow: Uow,
    _key: AdminKey,
    since: Moment = None,
    until: Moment = None,
    by: By = None,
    format: Format = "json",
) -> Any:
    """Of the leads moved to mql in [since, until): accepted, rejected by reason, waiting, sales-ready;
    with `by`, the outcomes per source or scoring model (`format=csv`: the groups, or the reasons)."""
    report = acceptance.acceptance_report(
        uow, since=moment_param(since, "since"), until=moment_param(until, "until"), by=by or None
    ).as_dict()
    if format == "csv":
        rows = acceptance_group_rows(report) if report["by"] else report["rejected_by_reason"]
        columns = None if rows else ["reason", "to", "count", "share"]
        return Response(csv_text(rows, columns), media_type="text/csv; charset=utf-8")
    return report
