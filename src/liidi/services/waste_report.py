"""The waste and marketing-value reports: periods checked here, the queries run in analytics."""

from __future__ import annotations

import math
from pathlib import Path

from liidi.analytics.report_query import run_report
from liidi.analytics.sqlparts import FAR_FUTURE, FAR_PAST
from liidi.analytics.value import DEFAULT_LOOKBACK_DAYS, ValueReport, value_report, value_sql
from liidi.analytics.waste import WasteReport, waste_report, waste_sql
from liidi.domain.icp import DECISION_MAKER, WantedRole
from liidi.engines.layout import PEOPLE
from liidi.engines.layout_history import VALUE_RELATIONS, WASTE_RELATIONS
from liidi.errors import FieldError, ValidationFailed
from liidi.services.clock import resolve_now
from liidi.services.report_source import report_source
from liidi.services.targets import active_icp_in
from liidi.services.unit_of_work import UnitOfWork

MAX_LOOKBACK_DAYS = 3660
__all__ = ["FAR_FUTURE", "FAR_PAST", "period", "value", "waste"]


def _invalid(field: str, value: object, reason: str) -> ValidationFailed:
    return ValidationFailed([FieldError(field, value, reason)], f"{field} {value}: {reason}")


def period(since: float | None, until: float | None) -> tuple[float, float]:
    """[since, until) with open ends as all time; ValidationFailed when it ends before it starts."""
    for field, moment in (("since", since), ("until", until)):
        if moment is not None and not math.isfinite(moment):
            raise _invalid(field, moment, "must be a finite moment")
    if since is not None and until is not None and until <= since:
        raise _invalid("until", until, "must be after since")
    return (FAR_PAST if since is None else since, FAR_FUTURE if until is None else until)


def waste(
    uow: UnitOfWork,
    *,
    since: float | None = None,
    until: float | None = None,
    now: float | None = None,
    engine: str | None = None,
    files: Path | None = None,
) -> WasteReport:
    """Leads never worked, closed without a reason, lost by stage and reason, SLA misses, recycle loops,
    duplicates and lost deals in [since, until) (no bound: all time), with the value they carry; run on
    the store, or by DuckDB over a layout directory."""
    start, end = period(since, until)
    moment = resolve_now(now)
    if not math.isfinite(moment):
        raise _invalid("now", moment, "must be a finite moment")
    source, name = report_source(uow, engine, files, (*WASTE_RELATIONS,))
    results = run_report(source, name, waste_sql(start, end, moment))
    return waste_report(results, since=start, until=end, now=moment)


def value(
    uow: UnitOfWork,
    *,
    since: float | None = None,
    until: float | None = None,
    lookback_days: int = DEFAULT_LOOKBACK_DAYS,
    engine: str | None = None,
    files: Path | None = None,
) -> ValueReport:
    """Decision makers reached and engaged, conversations and pipeline influenced in [since, until); on
    the store, or by DuckDB over a layout directory."""
    if isinstance(lookback_days, bool) or not 1 <= lookback_days <= MAX_LOOKBACK_DAYS:
        raise _invalid(
            "lookback_days", lookback_days, f"must be a whole number from 1 to {MAX_LOOKBACK_DAYS}"
        )
    start, end = period(since, until)
    with uow:
        icp = active_icp_in(uow)
    role = icp.decision_maker() if icp is not None else WantedRole(DECISION_MAKER, roles=(DECISION_MAKER,))
    source, name = report_source(uow, engine, files, (PEOPLE, *VALUE_RELATIONS))
    results = run_report(source, name, value_sql(role, since=start, until=end, lookback_days=lookback_days))
    return value_report(results, since=start, until=end, lookback_days=lookback_days)
