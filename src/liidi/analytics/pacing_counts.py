"""The weekly review's counts as report SQL over the layout: leads, MQLs, SALs and meetings per ISO week.

A lead is a live person at the moment first known (the earlier of their creation and their first dated
stage change); an MQL, SAL or meeting a stage change in the window reaching that level from below it (a
meeting touch reaches the meetings level only), each person counted once per week, group and metric.
Written once (PostgreSQL-flavoured) and run on SQLite, PostgreSQL or DuckDB by report_query.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from liidi.analytics.report_query import Result, number, quote

RANKS = {"lead": 1, "mql": 2, "sal": 3, "sql": 4, "opportunity": 5, "customer": 6}
LEVELS = {"mqls": 2, "sals": 3, "meetings": 4}
Counts = dict[str, list[tuple[int, str | None, int]]]
Where = Mapping[str, Sequence[str]]


def _rank(column: str) -> str:
    """A stage's place in the funnel (subscriber, recycled, disqualified and none: 0)."""
    whens = " ".join(f"WHEN {quote(stage)} THEN {rank}" for stage, rank in RANKS.items())
    return f"CASE {column} {whens} ELSE 0 END"


def _grouped(
    moments: str, counts: Sequence[str], by: str | None, where: Where | None, live: bool = False
) -> str:
    """Per week and group of live people (those `where` picks: for each field, one of its values): each
    count over `moments` (person_id, ts, …); moments known to be of live people skip people_flat when
    there is nothing to group or pick by."""
    group = f"p.{by}" if by else "CAST(NULL AS TEXT)"
    fields = sorted({*(where or {}), *([by] if by else [])})
    columns = ", ".join(["person_id", *fields])
    picked = " AND ".join(f"p.{f} IN ({', '.join(quote(v) for v in vs)})" for f, vs in (where or {}).items())
    selected = ", ".join(f"{c} AS c{i}" for i, c in enumerate(counts))
    people = f" JOIN (SELECT {columns} FROM people_flat) p ON p.person_id = m.person_id"
    return f"""
WITH moments AS ({moments})
SELECT WEEK_OF(m.ts) AS week, {group} AS grp, {selected}
FROM moments m{"" if live and not fields else people}
{f"WHERE {picked}" if picked else ""}
GROUP BY WEEK_OF(m.ts), {group}
ORDER BY week, grp"""


def leads_sql(since: float, until: float, by: str | None, where: Where | None = None) -> str:
    """Live people first known in [since, until), per week and group: of those created in the window or
    with a stage change in it (no one else can be), the earlier of creation and first change."""
    window = f">= {number(since)} AND {{ts}} < {number(until)}"
    moments = f"""
  SELECT a.person_id, a.ts FROM (
    SELECT l.person_id, LEAST(l.created_ts, COALESCE(MIN(h.ts), l.created_ts)) AS ts
    FROM leads_flat l LEFT JOIN stages_flat h ON h.person_id = l.person_id
    WHERE l.created_ts {window.format(ts="l.created_ts")}
       OR l.person_id IN (SELECT person_id FROM stages_flat WHERE ts {window.format(ts="ts")})
    GROUP BY l.person_id, l.created_ts
  ) a WHERE a.ts {window.format(ts="a.ts")}"""
    return _grouped(moments, ["COUNT(m.person_id)"], by, where, live=True)  # one row a person


def crossings_sql(
    metrics: Sequence[str], since: float, until: float, by: str | None, where: Where | None = None
) -> str:
    """Live people reaching each stage metric's level in [since, until), per week and group."""
    levels = [LEVELS[m] for m in metrics]
    reaching = ", ".join(quote(s) for s, rank in RANKS.items() if rank >= min(levels))
    window = f">= {number(since)} AND {{ts}} < {number(until)}"
    moments = f"""
  SELECT h.person_id, h.ts, {_rank("h.to_stage")} AS to_rank, {_rank("h.from_stage")} AS from_rank
  FROM stages_flat h WHERE h.ts {window.format(ts="h.ts")} AND h.to_stage IN ({reaching})"""
    if "meetings" in metrics:
        meeting = LEVELS["meetings"]
        moments += f"""
  UNION ALL
  SELECT t.person_id, t.ts, {meeting} AS to_rank, {meeting - 1} AS from_rank
  FROM touches_flat t WHERE t.kind = 'meeting' AND t.ts {window.format(ts="t.ts")}"""
    counts = [
        f"COUNT(DISTINCT CASE WHEN m.to_rank >= {level} AND m.from_rank < {level} THEN m.person_id END)"
        for level in levels
    ]
    return _grouped(moments, counts, by, where)


def weekly_statements(
    metrics: Sequence[str], since: float, until: float, by: str | None = None, where: Where | None = None
) -> list[str]:
    """The statements counting `metrics` (leads first, then the stage metrics in one pass)."""
    statements = [leads_sql(since, until, by, where)] if "leads" in metrics else []
    stages = [m for m in metrics if m in LEVELS]
    if stages:
        statements.append(crossings_sql(stages, since, until, by, where))
    return statements


def weekly_counts(metrics: Sequence[str], results: Sequence[Result]) -> Counts:
    """Per metric, (week index, group, people counted) from the statements' results (zero counts left out)."""
    found: Counts = {}
    rest = list(results)
    if "leads" in metrics:
        found["leads"] = _column(rest.pop(0)[1], 0)
    for i, metric in enumerate(m for m in metrics if m in LEVELS):
        found[metric] = _column(rest[0][1], i)
    return found


def _column(rows: Sequence[tuple[Any, ...]], i: int) -> list[tuple[int, str | None, int]]:
    """(week, group, count) of the i-th count column, for the rows where it is not zero."""
    return [(int(r[0]), r[1], int(r[2 + i])) for r in rows if r[2 + i]]
