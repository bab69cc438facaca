"""Marketing value (R25): decision makers reached and engaged, conversations held, pipeline influenced.

For the period [since, until): decision makers are the people who fill the ICP's decision-maker role
(people.role = decision_maker without an ICP); reached and engaged as in the target-account report
(analytics/targets.py); new ones had their first touch or event ever in the period. A conversation is a
call or meeting touch. A deal created in the period is **influenced** when its person, or anyone at its
account, acted (an event other than a bounce, unsubscribe or sales touch) in the `lookback_days` up to the
deal's creation; won influenced deals are those closed won in the period. **Marketing-sourced** deals are
those whose person was sourced by marketing (a merge moves deals to the surviving person).

The queries are SQL written once over the batch layout (people_flat, deals_flat, touches_flat,
activity_flat) and run by any report engine (analytics/report_query.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from liidi.analytics.reach_sql import (
    CONVERSATIONS,
    DAY,
    PASSIVE_EVENTS,
    among,
    between,
    first_reach_ctes,
    reach_ctes,
    role_match,
)
from liidi.analytics.report_query import Result, number
from liidi.domain.icp import WantedRole

DEFAULT_LOOKBACK_DAYS = 180


@dataclass(frozen=True, slots=True)
class ValueReport:
    """The measures of marketing's contribution over one period, and per UTC month."""

    since: float
    until: float
    lookback_days: int
    measures: dict[str, float]
    by_month: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of the API and `--json`."""
        return {
            "since": self.since,
            "until": self.until,
            "lookback_days": self.lookback_days,
            **self.measures,
            "by_month": self.by_month,
        }


PIPELINE = {
    "pipeline_created": "created = 1",
    "pipeline_influenced": "created = 1 AND influenced = 1",
    "pipeline_marketing_sourced": "created = 1 AND marketing = 1",
    "won": "won = 1",
    "won_influenced": "won = 1 AND influenced = 1",
}


def influenced(lookback_days: int, alias: str) -> str:
    """SQL for 'this deal's person or account acted in the lookback before the deal was created'."""
    created = f"{alias}.created_ts"
    acted = (
        f"e.type NOT IN {among(PASSIVE_EVENTS)} AND e.ts <= {created} "
        f"AND e.ts >= {created} - {number(lookback_days * DAY)}"
    )
    by_person = f"EXISTS (SELECT 1 FROM activity_flat e WHERE e.person_id = {alias}.person_id AND {acted})"
    by_account = f"EXISTS (SELECT 1 FROM activity_flat e WHERE e.account_id = {alias}.account_id AND {acted})"
    return f"({by_person} OR {by_account})"


def _deals_cte(since: float, until: float, lookback_days: int) -> str:
    """`deals`: those created or won in the period, each with whether it was influenced and who sourced it."""
    created = between("d.created_ts", since, until)
    won = f"d.stage = 'won' AND {between('d.closed_ts', since, until)}"
    return f"""
deals AS (
  SELECT d.amount, d.created_ts,
         CASE WHEN {created} THEN 1 ELSE 0 END AS created,
         CASE WHEN {won} THEN 1 ELSE 0 END AS won,
         CASE WHEN {influenced(lookback_days, "d")} THEN 1 ELSE 0 END AS influenced,
         CASE WHEN p.sourced_by = 'marketing' THEN 1 ELSE 0 END AS marketing
  FROM deals_flat d LEFT JOIN people_flat p ON p.person_id = d.person_id
  WHERE ({created}) OR ({won})
)"""


def value_sql(decision_maker: WantedRole, *, since: float, until: float, lookback_days: int) -> list[str]:
    """The report's statements: reach, new decision makers by month, conversations, decision makers in
    conversation, the pipeline, conversations by month and influenced pipeline by month."""
    who = f"who AS (SELECT p.person_id FROM people_flat p WHERE {role_match(decision_maker, 'p')})"
    talk = f"t.kind IN {among(CONVERSATIONS)} AND {between('t.ts', since, until)}"
    deals = _deals_cte(since, until, lookback_days)
    sums = []
    for where in PIPELINE.values():
        sums.append(f"COALESCE(SUM(CASE WHEN {where} THEN 1 ELSE 0 END), 0)")
        sums.append(f"COALESCE(SUM(CASE WHEN {where} THEN COALESCE(amount, 0.0) ELSE 0.0 END), 0.0)")
    return [
        f"WITH {who}, {reach_ctes(since, until)} SELECT COUNT(*), COALESCE(SUM(engaged), 0) FROM reach",
        f"WITH {who}, {first_reach_ctes(until)} SELECT MONTH_OF(first_ts) AS month, COUNT(*) AS n "
        f"FROM firsts WHERE first_ts >= {number(since)} GROUP BY MONTH_OF(first_ts)",
        f"SELECT COUNT(*), COUNT(DISTINCT t.person_id) FROM touches_flat t WHERE {talk}",
        "SELECT COUNT(DISTINCT t.person_id) FROM touches_flat t "
        f"JOIN people_flat p ON p.person_id = t.person_id WHERE {talk} AND {role_match(decision_maker, 'p')}",
        f"WITH {deals} SELECT {', '.join(sums)} FROM deals",
        f"SELECT MONTH_OF(t.ts) AS month, COUNT(*) AS n FROM touches_flat t WHERE {talk} "
        "GROUP BY MONTH_OF(t.ts)",
        f"WITH {deals} SELECT MONTH_OF(created_ts) AS month, COUNT(*) AS n, COALESCE(SUM(amount), 0.0) AS v "
        "FROM deals WHERE created = 1 AND influenced = 1 GROUP BY MONTH_OF(created_ts)",
    ]


def value_report(
    results: list[Result], *, since: float, until: float, lookback_days: int = DEFAULT_LOOKBACK_DAYS
) -> ValueReport:
    """Marketing's contribution in [since, until), from the results of `value_sql`'s statements."""
    reach, new, talks, dm_talks, pipeline, talk_months, deal_months = (rows for _, rows in results)
    (reached, engaged), (conversations, talkers) = reach[0], talks[0]
    measures: dict[str, float] = {
        "decision_makers_reached": int(reached),
        "decision_makers_engaged": int(engaged),
        "new_decision_makers": sum(int(n) for _, n in new),
        "conversations": int(conversations),
        "people_in_conversation": int(talkers),
        "decision_makers_in_conversation": int(dm_talks[0][0]),
    }
    row = pipeline[0]
    for i, name in enumerate(PIPELINE):
        measures[f"{name}_deals"], measures[f"{name}_value"] = (
            int(row[2 * i]),
            round(float(row[2 * i + 1]), 2),
        )
    by_month = _by_month(new, talk_months, deal_months)
    return ValueReport(since, until, lookback_days, measures, by_month)


def _by_month(
    new: Sequence[tuple[Any, ...]], talks: Sequence[tuple[Any, ...]], deals: Sequence[tuple[Any, ...]]
) -> list[dict[str, Any]]:
    """New decision makers, conversations and influenced pipeline per UTC month of the period."""
    months: dict[str, dict[str, Any]] = {}
    for month, count in new:
        months[str(month)] = {"month": str(month), "new_decision_makers": int(count)}
    for month, count in talks:
        months.setdefault(str(month), {"month": str(month)})["conversations"] = int(count)
    for month, count, value in deals:
        row = months.setdefault(str(month), {"month": str(month)})
        row.update({"influenced_deals": int(count), "influenced_value": round(float(value), 2)})
    zero = {"new_decision_makers": 0, "conversations": 0, "influenced_deals": 0, "influenced_value": 0.0}
    return [zero | months[k] for k in sorted(months)]
