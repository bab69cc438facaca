"""Reports (admin key): the acceptance of handed-over leads."""

from __future__ import annotations

import math
from typing import Annotated, Any

from fastapi import APIRouter, Query

from liidi.api.deps import AdminKey, KeyedRoute, Uow
from liidi.api.feedback_replies import AcceptanceOut
from liidi.api.responses import READ
from liidi.domain.bounds import moment_of
from liidi.errors import FieldError, ValidationFailed
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


@router.get("/acceptance", response_model=AcceptanceOut)
def get_acceptance(uow: Uow, _key: AdminKey, since: Moment = None, until: Moment = None) -> dict[str, Any]:
    """Of the leads moved to mql in [since, until): accepted, rejected by reason, waiting, sales-ready."""
    report = acceptance.acceptance_report(
        uow, since=moment_param(since, "since"), until=moment_param(until, "until")
    )
    return report.as_dict()
