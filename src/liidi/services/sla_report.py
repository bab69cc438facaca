"""The SLA report: of the response clocks started in a period, met in time, late, breached, open."""

from __future__ import annotations

from liidi.analytics.sla import GROUPS, SlaReport, sla_report
from liidi.domain.business_time import BusinessCalendar
from liidi.errors import FieldError, ValidationFailed
from liidi.services.clock import resolve_now
from liidi.services.sla import active_sla_in
from liidi.services.unit_of_work import UnitOfWork

FAR_PAST = 0.0
FAR_FUTURE = 253_402_300_800.0  # 10000-01-01


def _invalid(field: str, value: object, reason: str) -> ValidationFailed:
    return ValidationFailed([FieldError(field, value, reason)], f"{field} {value}: {reason}")


def report(
    uow: UnitOfWork,
    *,
    since: float | None = None,
    until: float | None = None,
    by: str | None = None,
    now: float | None = None,
) -> SlaReport:
    """Clocks started in [since, until) (no bound: all time), grouped `by` owner, team, motion or month;
    response times in the working time of the SLA in force (each clock's policy, else its calendar)."""
    if by is not None and by not in GROUPS:
        raise _invalid("by", by, f"must be one of {', '.join(GROUPS)}")
    if since is not None and until is not None and until <= since:
        raise _invalid("until", until, "must be after since")
    ts = resolve_now(now)
    start = FAR_PAST if since is None else since
    end = FAR_FUTURE if until is None else until
    with uow:
        clocks = uow.sla_clocks.started_between(start, end)
        active = active_sla_in(uow)

    def calendar_of(policy: str) -> BusinessCalendar | None:
        if active is None:
            return None
        named = active.policies.named(policy)
        return named.calendar if named is not None else active.policies.calendar

    return sla_report(clocks, since=start, until=end, now=ts, by=by, calendar_of=calendar_of)
