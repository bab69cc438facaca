"""The acceptance report: of the leads handed over in a period, how many sales accepted and rejected."""

from __future__ import annotations

from liidi.analytics.acceptance import AcceptanceReport, acceptance
from liidi.errors import FieldError, ValidationFailed
from liidi.services.unit_of_work import UnitOfWork


def acceptance_report(
    uow: UnitOfWork, *, since: float | None = None, until: float | None = None
) -> AcceptanceReport:
    """Hand-overs (moves to MQL) in [since, until) and their outcomes so far; no bounds is all time."""
    if since is not None and until is not None and until <= since:
        reason = "must be after since"
        raise ValidationFailed([FieldError("until", until, reason)], f"until {until}: {reason}")
    with uow:
        rows = uow.lifecycle.after_handovers(since, until)
    return acceptance(rows, since, until)
