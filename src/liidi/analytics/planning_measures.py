"""The planner's measures as report SQL over the layout: conversion counts, median lags, deal size, actuals.

Stages of the plan, from the product's: a **contact** is a person moved to lead or mql (or, without such
a move recorded, a live person created past the subscriber stage: imported people start as leads), a
**meeting** a person moved to sal or sql (reached also by a later move to opportunity or customer), a
**proposal** an opportunity (a deal row of the person, or a move to opportunity or customer), a **deal** a
won opportunity. Written once (PostgreSQL-flavoured) and run on SQLite, PostgreSQL or DuckDB by
report_query; medians take the middle rows by row number (no MEDIAN function in SQLite).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from liidi.analytics.report_query import Result, number, quote

CONTACT = ("lead", "mql")
MEETING = ("sal", "sql")
BEYOND_MEETING = ("sal", "sql", "opportunity", "customer")
PROPOSAL = ("opportunity", "customer")
DAY = 86_400.0
Step = tuple[int, int, float | None]


def _in(stages: Sequence[str]) -> str:
    return ", ".join(quote(s) for s in stages)


def _window(column: str, since: float, until: float) -> str:
    return f"{column} >= {number(since)} AND {column} < {number(until)}"


def _moves(stages: Sequence[str], since: float, until: float) -> str:
    """Every move to one of `stages` in [since, until) as (person_id, ts)."""
    where = f"to_stage IN ({_in(stages)}) AND {_window('ts', since, until)}"
    return f"SELECT person_id, ts FROM stages_flat WHERE {where}"


def _contacts(since: float, until: float) -> str:
    """Moves to lead or mql in the window, and live people created in it past the subscriber stage without
    a recorded move to lead or mql: their creation is when they became contacts."""
    return f"""{_moves(CONTACT, since, until)}
  UNION ALL
  SELECT l.person_id, l.created_ts AS ts FROM leads_flat l
  WHERE {_window("l.created_ts", since, until)} AND l.stage <> 'subscriber'
    AND NOT EXISTS (
      SELECT 1 FROM stages_flat c WHERE c.person_id = l.person_id AND c.to_stage IN ({_in(CONTACT)})
    )"""


def _median(table: str) -> str:
    """The median of `days` in `table` (the mean of the two middle values when their number is even)."""
    return f"""(SELECT AVG(CASE WHEN 2 * rn >= n AND 2 * rn <= n + 2 THEN days END) FROM (
    SELECT days, ROW_NUMBER() OVER (ORDER BY days) AS rn, COUNT(*) OVER () AS n FROM {table}) ranked)"""


def _step_sql(starts: str, later: str) -> str:
    """Of the people with a move in `starts`: how many, how many reached `later` at or after their first
    such move, and the median days between the two."""
    return f"""
WITH starts AS ({starts}), later AS ({later}),
lags AS (
  SELECT (MIN(l.ts) - MIN(s.ts)) / {DAY} AS days
  FROM starts s JOIN later l ON l.person_id = s.person_id AND l.ts >= s.ts
  GROUP BY s.person_id
)
SELECT (SELECT COUNT(DISTINCT person_id) FROM starts) AS trials, (SELECT COUNT(*) FROM lags) AS reached,
       {_median("lags")} AS median"""


def contact_to_meeting_sql(since: float, until: float) -> str:
    """People moved to lead/mql in the window; how many reached a meeting after; median days."""
    later = f"SELECT person_id, ts FROM stages_flat WHERE to_stage IN ({_in(BEYOND_MEETING)})"
    return _step_sql(_contacts(since, until), later)


def meeting_to_proposal_sql(since: float, until: float) -> str:
    """People moved to sal/sql in the window; how many reached a proposal after; median days."""
    proposals = f"""SELECT person_id, created_ts AS ts FROM deals_flat WHERE person_id IS NOT NULL
  UNION ALL SELECT person_id, ts FROM stages_flat WHERE to_stage IN ({_in(PROPOSAL)})"""
    return _step_sql(_moves(MEETING, since, until), proposals)


def deals_sql(since: float, until: float) -> str:
    """Deals opened in the window: closed, won, won with an amount, their amount, median days to a win."""
    return f"""
WITH opened AS (
  SELECT stage, amount, created_ts, closed_ts FROM deals_flat WHERE {_window("created_ts", since, until)}
),
lags AS (
  SELECT (closed_ts - created_ts) / {DAY} AS days FROM opened WHERE stage = 'won' AND closed_ts IS NOT NULL
)
SELECT (SELECT COUNT(CASE WHEN stage IN ('won', 'lost') THEN 1 END) FROM opened) AS closed,
       (SELECT COUNT(CASE WHEN stage = 'won' THEN 1 END) FROM opened) AS won,
       (SELECT COUNT(CASE WHEN stage = 'won' THEN amount END) FROM opened) AS priced,
       (SELECT SUM(CASE WHEN stage = 'won' THEN amount END) FROM opened) AS amount,
       {_median("lags")} AS median"""


def latest_sql() -> str:
    """The latest dated outcome: a stage change or a deal closed (deals opened do not count: an open deal
    imported without its date is dated at the import)."""
    changed = "(SELECT MAX(ts) FROM stages_flat) AS changed"
    return f"SELECT {changed}, (SELECT MAX(closed_ts) FROM deals_flat) AS closed"


def actuals_sql(start: float, end: float) -> str:
    """What happened in [start, end): people moved to lead/mql and to sal/sql, deals opened, won, revenue."""
    won = f"stage = 'won' AND {_window('closed_ts', start, end)}"
    return f"""
SELECT (SELECT COUNT(DISTINCT person_id) FROM ({_contacts(start, end)}) c) AS contacts,
       (SELECT COUNT(DISTINCT person_id) FROM ({_moves(MEETING, start, end)}) m) AS meetings,
       (SELECT COUNT(*) FROM deals_flat WHERE {_window("created_ts", start, end)}) AS proposals,
       (SELECT COUNT(*) FROM deals_flat WHERE {won}) AS deals,
       (SELECT COALESCE(SUM(amount), 0.0) FROM deals_flat WHERE {won}) AS revenue"""


def latest(result: Result) -> float | None:
    """The latest of the two moments found, if any."""
    known = [float(ts) for ts in result[1][0] if ts is not None]
    return max(known) if known else None


def step(result: Result) -> Step:
    """(trials, reached, median days) of a step's result."""
    trials, reached, median = result[1][0]
    return int(trials), int(reached or 0), _float(median)


def deals(result: Result) -> dict[str, Any]:
    """The deals opened in the window, as the planner reads them."""
    closed, won, priced, amount, median = result[1][0]
    return {
        "closed": int(closed),
        "won": int(won),
        "priced": int(priced),
        "amount": _float(amount),
        "median_days": _float(median),
    }


def actuals(result: Result) -> dict[str, Any]:
    """The period's actuals: contacts, meetings, proposals, deals (counts) and revenue."""
    contacts, meetings, proposals, won, revenue = result[1][0]
    return {
        "contacts": int(contacts),
        "meetings": int(meetings),
        "proposals": int(proposals),
        "deals": int(won),
        "revenue": float(revenue),
    }


def _float(value: Any) -> float | None:
    return None if value is None else float(value)
