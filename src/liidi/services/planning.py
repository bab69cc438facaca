"""The reverse-funnel planner: a period's revenue target back to contacts, with rates given or measured."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from liidi.domain.periods import Period, day_of, month_of, parse_period, year_before
from liidi.domain.planning import (
    RATES,
    DealSize,
    Lags,
    Plan,
    Rate,
    invalid,
    parse_count,
    parse_money,
    parse_rate,
    plan_for,
)
from liidi.errors import FieldError, NotFound, ValidationFailed
from liidi.services.clock import resolve_now
from liidi.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from liidi.engines.registry import Source

OPTIONS = {
    "revenue": "--revenue",
    "deal_size": "--deal-size",
    "win_rate": "--win-rate",
    "meeting_to_proposal": "--meeting-to-proposal",
    "contact_to_meeting": "--contact-to-meeting",
}
Given = str | int | float | None
COHORTS = {
    "contact_to_meeting": ("people moved to lead or mql", "reached a meeting (sal or sql)"),
    "meeting_to_proposal": ("people moved to sal or sql", "reached a proposal (an opportunity)"),
    "win_rate": ("deals opened and closed", "was won"),
}


@dataclass(frozen=True, slots=True)
class Planned:
    """A plan, and whether it was stored (replacing an earlier plan of the period or not)."""

    plan: Plan
    saved: bool = False
    replaced: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {**self.plan.as_dict(), "saved": self.saved, "replaced": self.replaced}


@dataclass(frozen=True, slots=True)
class History:
    """What the window of history says: measured rates, the average won deal and the median lags."""

    window: tuple[float, float]
    steps: dict[str, tuple[int, int]]  # rate name: (trials, successes)
    deal_size: DealSize | None
    lags: Lags


def make_plan(
    uow: UnitOfWork,
    *,
    revenue: Given = None,
    deals: Given = None,
    deal_size: Given = None,
    win_rate: Given = None,
    meeting_to_proposal: Given = None,
    contact_to_meeting: Given = None,
    period: str | None = None,
    since: float | None = None,
    until: float | None = None,
    save: bool = False,
    author: str = "cli",
    now: float | None = None,
    engine: str | None = None,
    files: Path | None = None,
) -> Planned:
    """The plan of a period (default: this month) for a revenue target or a number of deals; rates and
    the deal size left out are measured over [since, until) (default: the last 12 months of history), by
    the store's database or by DuckDB over a layout directory (`engine`, `files`)."""
    ts = resolve_now(now)
    span = parse_period(period) if period is not None else month_of(ts)
    target = None if revenue is None else parse_money(revenue, "revenue")
    count = None if deals is None else parse_count(deals, "deals")
    if target is None and count is None:
        raise invalid("revenue", None, "is required (or give the target as deals with a deal size)")
    if target is not None and count is not None:
        raise invalid("deals", count, "give the target as revenue or as deals, not both")
    given_rates = {"win_rate": win_rate, "meeting_to_proposal": meeting_to_proposal}
    given_rates["contact_to_meeting"] = contact_to_meeting
    rates = {name: Rate(parse_rate(v, name), "given") for name, v in given_rates.items() if v is not None}
    size = None if deal_size is None else DealSize(parse_money(deal_size, "deal_size"), "given")
    if since is not None and until is not None and until <= since:
        raise invalid("until", day_of(until), f"must be after since ({day_of(since)})")
    from liidi.services.report_source import report_source  # sqlglot and the engines: only when planning

    history = _history(report_source(uow, engine, files), since, until)
    with uow:
        missing = [name for name in RATES if name not in rates] + ["deal_size"] * (size is None)
        problems = [p for p in (_unmeasurable(history, name) for name in missing) if p is not None]
        if problems:
            options = ", ".join(OPTIONS[p.field] for p in problems)
            first = problems[0]
            raise ValidationFailed(problems, f"{first.field} {first.reason} (give {options})")
        if history is not None:
            rates |= {name: Rate.measured(*_step(history, name)) for name in missing if name in RATES}
            size = size or history.deal_size
        if size is None:  # refused above: no history, or no won deal with an amount
            raise invalid("deal_size", None, "is required")
        plan = plan_for(
            period=span.name,
            period_start=span.start,
            revenue=target,
            deals=count,
            deal_size=size,
            rates=rates,
            lags=None if history is None else history.lags,
            window=None if history is None else history.window,
        )
        if not save:
            return Planned(plan)
        created = uow.plans.save(_row(plan, author, ts))
        uow.commit()
    return Planned(plan, saved=True, replaced=not created)


def _history(source: tuple[Source, str], since: float | None, until: float | None) -> History | None:
    """The measures of the window; None when nothing dated is stored."""
    from liidi.analytics import planning_measures as measures
    from liidi.analytics.report_query import run_report

    if until is None:
        latest = measures.latest(run_report(*source, [measures.latest_sql()])[0])
        if latest is None:
            return None
        until = latest + 1.0
    start = year_before(until) if since is None else since
    if until <= start:
        reason = f"must be before {day_of(until)}, the end of the window (the latest stored history)"
        raise invalid("since", day_of(start), reason)
    statements = [
        measures.contact_to_meeting_sql(start, until),
        measures.meeting_to_proposal_sql(start, until),
        measures.deals_sql(start, until),
    ]
    contact, meeting, opened = run_report(*source, statements)
    c_trials, c_wins, c_lag = measures.step(contact)
    m_trials, m_wins, m_lag = measures.step(meeting)
    deals = measures.deals(opened)
    steps = {
        "contact_to_meeting": (c_trials, c_wins),
        "meeting_to_proposal": (m_trials, m_wins),
        "win_rate": (deals["closed"], deals["won"]),
    }
    size = None
    if deals["priced"] and deals["amount"]:
        average = Fraction(Decimal(repr(deals["amount"]))) / deals["priced"]
        size = DealSize(Fraction(round(average * 100), 100), "measured", deals["priced"])
    return History((start, until), steps, size, Lags(c_lag, m_lag, deals["median_days"]))


def _unmeasurable(history: History | None, name: str) -> FieldError | None:
    """Why a left-out rate or the deal size cannot be measured from the window, naming its option."""
    if history is None:
        why = "no dated history is stored"
    elif name == "deal_size":
        why = "" if history.deal_size is not None else "no won deal with an amount in the window"
    else:
        trials, successes = history.steps[name]
        cohort, outcome = COHORTS[name]
        why = f"no {cohort} in the window" if not trials else ""
        why = why or ("" if successes else f"none of the {trials:,} {cohort} in the window {outcome}")
    if not why:
        return None
    where = "" if history is None else f" from {day_of(history.window[0])} to {day_of(history.window[1])}"
    return FieldError(name, None, f"cannot be measured: {why}{where}; give it with {OPTIONS[name]}")


def _step(history: History, name: str) -> tuple[int, int]:
    """(successes, trials) of a rate measured over the window."""
    trials, successes = history.steps[name]
    return successes, trials


def _row(plan: Plan, author: str, now: float) -> dict[str, Any]:
    """The stored row of a plan."""
    return {
        "period": plan.period,
        "revenue": float(plan.revenue),
        "deal_size": float(plan.deal_size.value),
        **plan.counts.as_dict(),
        "details": plan.as_dict(),
        "author": author[:254],
        "created_ts": now,
        "updated_ts": now,
    }


def list_plans(uow: UnitOfWork) -> list[dict[str, Any]]:
    """Every stored plan, by period, as stored (its JSON with when and by whom)."""
    with uow:
        rows = uow.plans.list()
    return [_stored(row) for row in rows]


def _stored(row: dict[str, Any]) -> dict[str, Any]:
    details: dict[str, Any] = dict(row["details"])
    details.update(author=row["author"], created_ts=row["created_ts"], updated_ts=row["updated_ts"])
    return details


def show_plan(
    uow: UnitOfWork,
    period: str,
    *,
    now: float | None = None,
    engine: str | None = None,
    files: Path | None = None,
) -> dict[str, Any]:
    """A stored plan with the period's actuals so far (counted by the store's database or by DuckDB over a
    layout directory): the share of the plan reached and the pace."""
    span = parse_period(period)
    ts = resolve_now(now)
    from liidi.analytics import planning_measures as measures
    from liidi.analytics.report_query import run_report
    from liidi.services.report_source import report_source

    source = report_source(uow, engine, files)
    with uow:
        row = uow.plans.get(span.name)
    if row is None:
        raise NotFound(f"no plan is stored for {span.name}; make one with liidi plan --save --period")
    actual = measures.actuals(run_report(*source, [measures.actuals_sql(span.start_ts, span.end_ts)])[0])
    return {**_stored(row), "progress": progress(row, actual, span, ts)}


def progress(plan: dict[str, Any], actual: dict[str, Any], span: Period, now: float) -> dict[str, Any]:
    """Each stage planned against what happened in the period so far, and the pace at `now`."""
    elapsed = span.elapsed(now)
    stages = []
    for stage in ("revenue", "contacts", "meetings", "proposals", "deals"):
        planned, done = float(plan[stage]), actual[stage]
        expected = planned * elapsed
        stages.append(
            {
                "stage": stage,
                "planned": plan[stage],
                "actual": done,
                "reached": round(done / planned, 4) if planned else None,
                "expected_by_now": round(expected, 2),
                "pace": round(done / expected, 4) if expected else None,
                "status": _status(done, expected, elapsed),
            }
        )
    return {"as_of": now, "elapsed": round(elapsed, 4), "stages": stages}


def _status(done: float, expected: float, elapsed: float) -> str:
    """'not started' before the period; 'reached' or 'missed' after it; while it runs ahead (over 110 % of
    the straight line to the plan), on pace (90 to 110 %) or behind."""
    if elapsed <= 0:
        return "not started"
    if elapsed >= 1:
        return "reached" if done >= expected else "missed"
    if done > expected * 1.1:
        return "ahead"
    return "on pace" if done >= expected * 0.9 else "behind"
