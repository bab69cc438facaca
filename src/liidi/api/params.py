"""Path and query parameters declared once, with the bounds the store can hold, and unknown ones refused."""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Annotated

from fastapi import Path, Query, Request
from fastapi.dependencies.models import Dependant

from liidi.domain.accounts import Tier
from liidi.domain.bounds import MAX_INT32, MAX_INT64, moment_of
from liidi.domain.lifecycle import Stage
from liidi.domain.people import BuyingRole
from liidi.errors import FieldError, ValidationFailed


class Grade(StrEnum):
    """A fit grade, best first (the scoring model's GRADE_LETTERS)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


PersonId = Annotated[int, Path(ge=1, le=MAX_INT64, description="A person's id.")]
AccountId = Annotated[int, Path(ge=1, le=MAX_INT64, description="An account's id.")]
JobId = Annotated[int, Path(ge=1, le=MAX_INT64, description="A backtest job's id.")]
Version = Annotated[int, Path(ge=1, le=MAX_INT32, description="A model version number.")]
After = Annotated[int, Query(ge=0, le=MAX_INT64, description="Cursor: the last id of the previous page.")]
Limit = Annotated[int, Query(ge=1, le=500, description="At most this many items.")]
Events = Annotated[int, Query(ge=0, le=500, description="How many recent events to include.")]
FilterId = Annotated[int | None, Query(ge=1, le=MAX_INT64)]
Count = Annotated[int | None, Query(ge=0, le=MAX_INT32)]
StageFilter = Annotated[Stage | None, Query(description="Lifecycle stage.")]
RoleFilter = Annotated[BuyingRole | None, Query(description="Buying-group role.")]
TierFilter = Annotated[Tier | None, Query(description="Target-list tier.")]
GradeFilter = Annotated[Grade | None, Query(description="Fit grade under the model.")]
AsOf = Annotated[
    str | None,
    Query(
        description="Epoch seconds or an ISO 8601 date or time (UTC when no offset); default now.",
        examples=["2026-11-01", "2026-11-01T09:30:00Z", "1793000000"],
    ),
]
Before = Annotated[
    float | None,
    Query(
        description="Cursor: epoch seconds of the last event seen.", ge=-1e11, le=1e11, allow_inf_nan=False
    ),
]


def value_of(choice: StrEnum | None) -> str | None:
    """A chosen enumerated filter as plain text for the services."""
    return None if choice is None else str(choice.value)


def as_of_moment(value: str | None) -> float | None:
    """The `as_of` parameter as epoch seconds, or ValidationFailed naming it."""
    if value is None or not value.strip():
        return None
    moment = moment_of(value.strip())
    if moment is None or not math.isfinite(moment):
        reason = "expected epoch seconds or an ISO date/time between 1970-01-01 and 9999-12-31"
        raise ValidationFailed([FieldError("as_of", value, reason)], f"as_of={value!r}: {reason}")
    return moment


def _query_names(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def check_query(request: Request) -> None:
    """Refuse query parameters the route does not declare (typos) and NUL in any parameter."""
    given = [*request.query_params.multi_items(), *request.path_params.items()]
    with_nul = [(name, value) for name, value in given if "\x00" in str(value)]
    if with_nul:
        reason = "must not contain the NUL character (\\u0000)"
        errors = [FieldError(name, value, reason) for name, value in with_nul]
        raise ValidationFailed(errors, f"request refused: {with_nul[0][0]}: {reason}")
    dependant = getattr(request.scope.get("route"), "dependant", None)
    if dependant is None:
        return
    allowed = _query_names(dependant)
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        listed = ", ".join(sorted(allowed)) or "none"
        reason = f"unknown query parameter; allowed: {listed}"
        errors = [FieldError(name, request.query_params[name], reason) for name in unknown]
        raise ValidationFailed(errors, f"request refused: {unknown[0]}: {reason}")
