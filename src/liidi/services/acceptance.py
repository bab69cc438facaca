"""The acceptance report: of the leads handed over in a period, how many sales accepted and rejected."""

from __future__ import annotations

from liidi.analytics.acceptance import AcceptanceReport, acceptance
from liidi.analytics.acceptance_groups import GROUPS, acceptance_groups
from liidi.analytics.sqlparts import FAR_FUTURE, FAR_PAST
from liidi.errors import FieldError, ValidationFailed
from liidi.services.unit_of_work import UnitOfWork


def acceptance_report(
    uow: UnitOfWork, *, since: float | None = None, until: float | None = None, by: str | None = None
) -> AcceptanceReport:
    """Hand-overs (moves to MQL) in [since, until) and their outcomes so far; no bounds is all time.
    With `by` (channel, lead_tool, direction, sourced_by, model or qualified_by) also per group."""
    if since is not None and until is not None and until <= since:
        reason = "must be after since"
        raise ValidationFailed([FieldError("until", until, reason)], f"until {until}: {reason}")
    if by is not None and by not in GROUPS:
        reason = f"must be one of {', '.join(GROUPS)}"
        raise ValidationFailed([FieldError("by", by, reason)], f"by {by}: {reason}")
    with uow:
        rows = uow.lifecycle.after_handovers(since, until)
        start, end = (FAR_PAST if since is None else since), (FAR_FUTURE if until is None else until)
        groups = acceptance_groups(uow.conn, by, since=start, until=end) if by is not None else None
    return acceptance(rows, since, until, by=by, groups=groups)
