"""Velocity: days spent in each stage, from hand-over to first sales touch, and from deal to close.

Each measure is n, mean and median in days per group, compiled to SQL per engine:
- `in <stage>`: from entering a stage to the person's next stage change (stays still open are left out);
  counted for changes made in the window.
- `to first touch`: from a person's first move to mql to their first sales touch at or after it; MQLs of
  the window without a touch are counted in `untouched`.
- `to close`, `to close (won)`, `to close (lost)`: from a deal's creation to its close, deals created in
  the window.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from liidi.analytics.funnel import deal_group
from liidi.analytics.report_query import Result, group_of, grouped_cte, median_sql, number
from liidi.domain.reports import FUNNEL_STAGES

DAY = 86_400.0
MEASURES = (
    *(f"in {s}" for s in FUNNEL_STAGES[1:-1]),
    "to first touch",
    "to close (won)",
    "to close (lost)",
    "to close",
)


@dataclass(frozen=True, slots=True)
class Measure:
    """One duration in one group: how many, the mean and the median in days."""

    key: str
    measure: str
    n: int
    mean_days: float | None
    median_days: float | None


@dataclass(frozen=True, slots=True)
class VelocityReport:
    """The durations per group and measure, and the MQLs never touched per group."""

    by: str | None
    since: float | None
    until: float | None
    engine: str
    measures: list[Measure]
    untouched: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "by": self.by,
            "since": self.since,
            "until": self.until,
            "engine": self.engine,
            "measures": [asdict(m) for m in self.measures],
            "untouched": self.untouched,
        }


def _window(column: str, since: float | None, until: float | None) -> str:
    parts = ["1 = 1"]
    if since is not None:
        parts.append(f"{column} >= {number(since)}")
    if until is not None:
        parts.append(f"{column} < {number(until)}")
    return " AND ".join(parts)


def _ctes(by: str | None) -> str:
    return "" if by is None else f"{grouped_cte(by)},"


def velocity_sql(by: str | None, since: float | None, until: float | None) -> str:
    """Every duration of the window as (grp, measure, days), then n, mean and median per pair."""
    stages = ", ".join(f"'{s}'" for s in FUNNEL_STAGES[1:-1])
    _, deal_grp, deal_join = deal_group(by)
    stay_grp, stay_join = group_of(by, "o")
    touch_grp, touch_join = group_of(by, "t")
    return f"""WITH {_ctes(by)}
ordered AS (
  SELECT person_id, to_stage, ts,
         LEAD(ts) OVER (PARTITION BY person_id ORDER BY ts, change_id) AS next_ts
  FROM stages_flat
),
handed AS (
  SELECT person_id, MIN(ts) AS mql_ts FROM stages_flat WHERE to_stage = 'mql' GROUP BY person_id
),
touched AS (
  SELECT h.person_id, h.mql_ts, MIN(t.ts) AS touch_ts
  FROM handed h JOIN touches_flat t ON t.person_id = h.person_id AND t.ts >= h.mql_ts
  GROUP BY h.person_id, h.mql_ts
),
closed AS (
  SELECT {deal_grp} AS grp, d.stage, (d.closed_ts - d.created_ts) / {DAY} AS days
  FROM deals_flat d{deal_join}
  WHERE d.stage IN ('won', 'lost') AND d.closed_ts IS NOT NULL AND d.created_ts IS NOT NULL
    AND {_window("d.created_ts", since, until)}
),
durations AS (
  SELECT {stay_grp} AS grp, 'in ' || o.to_stage AS measure, (o.next_ts - o.ts) / {DAY} AS days
  FROM ordered o{stay_join}
  WHERE o.next_ts IS NOT NULL AND o.to_stage IN ({stages}) AND {_window("o.ts", since, until)}
  UNION ALL
  SELECT {touch_grp}, 'to first touch', (t.touch_ts - t.mql_ts) / {DAY}
  FROM touched t{touch_join}
  WHERE {_window("t.mql_ts", since, until)}
  UNION ALL
  SELECT grp, 'to close (' || stage || ')', days FROM closed
  UNION ALL
  SELECT grp, 'to close', days FROM closed
),
{median_sql("durations", "grp, measure", "days")}"""


def untouched_sql(by: str | None, since: float | None, until: float | None) -> str:
    """Per group, people moved to mql in the window with no sales touch since."""
    grp, join = group_of(by, "h")
    return f"""WITH {_ctes(by)}
handed AS (
  SELECT person_id, MIN(ts) AS mql_ts FROM stages_flat WHERE to_stage = 'mql' GROUP BY person_id
)
SELECT {grp} AS grp, COUNT(*) AS untouched
FROM handed h{join}
WHERE {_window("h.mql_ts", since, until)}
  AND NOT EXISTS (SELECT 1 FROM touches_flat t WHERE t.person_id = h.person_id AND t.ts >= h.mql_ts)
GROUP BY 1 ORDER BY 1"""


def velocity_report(
    results: list[Result], *, by: str | None, since: float | None, until: float | None, engine: str
) -> VelocityReport:
    """The report from the rows of `velocity_sql` and `untouched_sql`, in that order."""
    (_, rows), (_, untouched) = results
    order = {m: i for i, m in enumerate(MEASURES)}
    measures = [Measure(str(g), str(m), int(n), _days(mean), _days(median)) for g, m, n, mean, median in rows]
    measures.sort(key=lambda m: (m.key, order.get(m.measure, len(order))))
    return VelocityReport(by, since, until, engine, measures, {str(g): int(n) for g, n in untouched})


def _days(value: Any) -> float | None:
    return None if value is None else round(float(value), 6)
