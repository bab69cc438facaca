"""Acceptance by group (R10): the acceptance report's outcomes per source, lead tool or scoring model.

One query: each stage change with the next change of the same person (a window function), the moves to
mql of the period kept, their outcome judged as in analytics/acceptance.py, counted per group. Groups by
the person's channel, lead_tool, direction or sourced_by (their values now), or by the hand-over's own
model_version or qualified_by.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, case, func, select

from liidi.analytics.acceptance import ACCEPTED, REJECTED
from liidi.analytics.sqlparts import between, short_queries
from liidi.storage.tables import lifecycle_history, people

PERSON_GROUPS = ("channel", "lead_tool", "direction", "sourced_by")
HANDOVER_GROUPS = {"model": "model_version", "qualified_by": "qualified_by"}
GROUPS = (*PERSON_GROUPS, *HANDOVER_GROUPS)
OUTCOMES = ("accepted", "rejected", "waiting", "other")
NONE = "(none)"


def acceptance_groups(conn: Connection, by: str, *, since: float, until: float) -> list[dict[str, Any]]:
    """Per value of `by`: hand-overs in [since, until), outcomes and the sales-ready share, largest first."""
    short_queries(conn)
    h = lifecycle_history.c
    order = (h.occurred_ts, h.id)
    changes = select(
        h.person_id,
        h.occurred_ts,
        h.to_stage,
        h.model_version,
        h.qualified_by,
        func.lead(h.to_stage).over(partition_by=h.person_id, order_by=order).label("next_stage"),
    ).subquery()
    c = changes.c
    outcome = case(
        (c.next_stage.is_(None), "waiting"),
        (c.next_stage.in_(ACCEPTED), "accepted"),
        (c.next_stage.in_(REJECTED), "rejected"),
        else_="other",
    ).label("outcome")
    source = people.c[by] if by in PERSON_GROUPS else c[HANDOVER_GROUPS[by]]
    key = func.coalesce(func.nullif(source, ""), NONE).label("key")
    stmt = (
        select(key, outcome, func.count())
        .select_from(changes.join(people, people.c.id == c.person_id))
        .where(c.to_stage == "mql", between(c.occurred_ts, since, until))
        .group_by(key, outcome)
    )
    groups: dict[str, dict[str, int]] = {}
    for name, result, count in conn.execute(stmt):
        groups.setdefault(str(name), dict.fromkeys(OUTCOMES, 0))[str(result)] = int(count)
    rows = [_row(name, counts) for name, counts in groups.items()]
    return sorted(rows, key=lambda r: (-r["handed_over"], r["key"]))


def _row(key: str, counts: dict[str, int]) -> dict[str, Any]:
    judged = counts["accepted"] + counts["rejected"]
    return {
        "key": key,
        "handed_over": sum(counts.values()),
        **counts,
        "sales_ready": round(counts["accepted"] / judged, 4) if judged else None,
    }
