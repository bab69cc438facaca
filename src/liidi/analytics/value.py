"""Marketing value (R25): decision makers reached and engaged, conversations held, pipeline influenced.

For the period [since, until): decision makers are the people who fill the ICP's decision-maker role
(people.role = decision_maker without an ICP); reached and engaged as in the target-account report
(analytics/targets.py); new ones had their first touch or event ever in the period. A conversation is a
call or meeting touch. A deal created in the period is **influenced** when its person, or anyone at its
account, acted (an event other than a bounce, unsubscribe or sales touch) in the `lookback_days` up to the
deal's creation; won influenced deals are those closed won in the period. **Marketing-sourced** deals are
those whose person was sourced by marketing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, case, exists, func, or_, select

from liidi.analytics.sqlparts import between, live_people, month_of, role_match, short_queries
from liidi.analytics.targets import CONVERSATIONS, DAY, PASSIVE_EVENTS, first_reach_of, reach_of
from liidi.domain.icp import WantedRole
from liidi.storage.tables import events, opportunities, people, touches

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


def influenced(lookback_days: int) -> ColumnElement[bool]:
    """SQL for 'this deal's person or account acted in the lookback before the deal was created'."""
    o, e = opportunities.c, events.c
    acted = and_(
        e.type.not_in(PASSIVE_EVENTS),
        e.occurred_ts <= o.created_ts,
        e.occurred_ts >= o.created_ts - lookback_days * DAY,
    )
    by_person = exists().where(e.person_id == o.person_id, acted)
    by_account = exists().where(e.account_id == o.account_id, acted)
    return or_(by_person, by_account)


def value_report(
    conn: Connection,
    decision_maker: WantedRole,
    *,
    since: float,
    until: float,
    lookback_days: int = DEFAULT_LOOKBACK_DAYS,
) -> ValueReport:
    """Marketing's contribution in [since, until)."""
    short_queries(conn)
    p, t = people.c, touches.c
    is_dm = and_(role_match(decision_maker), live_people())
    window = reach_of(is_dm, since, until)
    reached, engaged = conn.execute(
        select(func.count(), func.coalesce(func.sum(window.c.engaged), 0)).select_from(window)
    ).one()
    first = first_reach_of(conn, is_dm, until)
    m = month_of(conn, first.c.first_ts).label("m")
    new_by_month = conn.execute(select(m, func.count()).where(first.c.first_ts >= since).group_by(m)).all()
    new_dms = sum(int(n) for _, n in new_by_month)
    talk = and_(t.kind.in_(CONVERSATIONS), between(t.occurred_ts, since, until))
    talks = select(func.count(), func.count(func.distinct(t.person_id))).where(talk)
    conversations, talkers = conn.execute(talks).one()
    dm_talks = select(func.count(func.distinct(t.person_id))).select_from(
        touches.join(people, p.id == t.person_id)
    )
    dm_talkers = conn.execute(dm_talks.where(talk, is_dm)).scalar_one()
    measures: dict[str, float] = {
        "decision_makers_reached": int(reached),
        "decision_makers_engaged": int(engaged),
        "new_decision_makers": int(new_dms),
        "conversations": int(conversations),
        "people_in_conversation": int(talkers),
        "decision_makers_in_conversation": int(dm_talkers),
    }
    deals = _deals(since, until, lookback_days)
    measures |= _pipeline(conn, deals, since, until)
    by_month = _by_month(conn, new_by_month, deals, since, until)
    return ValueReport(since, until, lookback_days, measures, by_month)


def _deals(since: float, until: float, lookback_days: int) -> Any:
    """The deals created or won in the period, each with whether it was influenced and who sourced it."""
    o = opportunities.c
    created = between(o.created_ts, since, until)
    won = and_(o.stage == "won", between(o.closed_ts, since, until))
    return (
        select(
            o.amount,
            o.created_ts,
            case((created, 1), else_=0).label("created"),
            case((won, 1), else_=0).label("won"),
            case((influenced(lookback_days), 1), else_=0).label("influenced"),
            case((people.c.sourced_by == "marketing", 1), else_=0).label("marketing"),
        )
        .select_from(opportunities.outerjoin(people, people.c.id == o.person_id))
        .where(or_(created, won))
        .subquery()
    )


def _pipeline(conn: Connection, deals: Any, since: float, until: float) -> dict[str, float]:
    """Deals created in the period: all, influenced and marketing-sourced; won deals influenced."""
    d = deals.c
    amount = func.coalesce(d.amount, 0.0)
    wanted = {
        "pipeline_created": d.created == 1,
        "pipeline_influenced": and_(d.created == 1, d.influenced == 1),
        "pipeline_marketing_sourced": and_(d.created == 1, d.marketing == 1),
        "won": d.won == 1,
        "won_influenced": and_(d.won == 1, d.influenced == 1),
    }
    columns = []
    for where in wanted.values():
        columns += [
            func.coalesce(func.sum(case((where, 1), else_=0)), 0),
            func.coalesce(func.sum(case((where, amount), else_=0.0)), 0.0),
        ]
    row = conn.execute(select(*columns).select_from(deals)).one()
    found: dict[str, float] = {}
    for i, name in enumerate(wanted):
        found[f"{name}_deals"], found[f"{name}_value"] = int(row[2 * i]), round(float(row[2 * i + 1]), 2)
    return found


def _by_month(
    conn: Connection, new_by_month: Sequence[Any], deals: Any, since: float, until: float
) -> list[dict[str, Any]]:
    """New decision makers, conversations and influenced pipeline per UTC month of the period."""
    t = touches.c
    months: dict[str, dict[str, Any]] = {}

    def add(stmt: Any, *names: str) -> None:
        for month, *values in conn.execute(stmt):
            row = months.setdefault(str(month), {"month": str(month)})
            row.update(
                {
                    n: (round(float(v), 2) if isinstance(v, float) else int(v))
                    for n, v in zip(names, values, strict=True)
                }
            )

    for month, count in new_by_month:
        months[str(month)] = {"month": str(month), "new_decision_makers": int(count)}
    m = month_of(conn, t.occurred_ts).label("m")
    talk = and_(t.kind.in_(CONVERSATIONS), between(t.occurred_ts, since, until))
    add(select(m, func.count()).where(talk).group_by(m), "conversations")
    d = deals.c
    m = month_of(conn, d.created_ts).label("m")
    amount = func.coalesce(func.sum(d.amount), 0.0)
    stmt = select(m, func.count(), amount).where(d.created == 1, d.influenced == 1).group_by(m)
    add(stmt, "influenced_deals", "influenced_value")
    zero = {"new_decision_makers": 0, "conversations": 0, "influenced_deals": 0, "influenced_value": 0.0}
    return [zero | months[k] for k in sorted(months)]
