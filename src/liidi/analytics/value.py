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

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, exists, func, or_, select

from liidi.analytics.sqlparts import between, live_people, month_of, role_match
from liidi.analytics.targets import CONVERSATIONS, DAY, PASSIVE_EVENTS, contacts, first_reach
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
    p, t = people.c, touches.c
    is_dm = and_(role_match(decision_maker), live_people())
    window = contacts(since, until)
    dms = select(func.count(), func.coalesce(func.sum(window.c.engaged), 0)).select_from(
        window.join(people, p.id == window.c.person_id)
    )
    reached, engaged = conn.execute(dms.where(is_dm)).one()
    first = first_reach(until)
    new = select(func.count()).select_from(first.join(people, p.id == first.c.person_id))
    new_dms = conn.execute(new.where(is_dm, first.c.first_ts >= since)).scalar_one()
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
    measures |= _pipeline(conn, since, until, lookback_days)
    by_month = _by_month(conn, is_dm, first, since, until, lookback_days)
    return ValueReport(since, until, lookback_days, measures, by_month)


def _deals(conn: Connection, *where: ColumnElement[bool]) -> tuple[int, float]:
    o = opportunities.c
    stmt = select(func.count(), func.coalesce(func.sum(o.amount), 0.0)).select_from(
        opportunities.outerjoin(people, people.c.id == o.person_id)
    )
    count, amount = conn.execute(stmt.where(*where)).one()
    return int(count), round(float(amount), 2)


def _pipeline(conn: Connection, since: float, until: float, lookback_days: int) -> dict[str, float]:
    """Deals created in the period: all, influenced and marketing-sourced; won deals influenced."""
    o = opportunities.c
    created = between(o.created_ts, since, until)
    won = and_(o.stage == "won", between(o.closed_ts, since, until))
    found: dict[str, float] = {}
    for name, where in (
        ("pipeline_created", created),
        ("pipeline_influenced", and_(created, influenced(lookback_days))),
        ("pipeline_marketing_sourced", and_(created, people.c.sourced_by == "marketing")),
        ("won", won),
        ("won_influenced", and_(won, influenced(lookback_days))),
    ):
        count, amount = _deals(conn, where)
        found[f"{name}_deals"], found[f"{name}_value"] = count, amount
    return found


def _by_month(
    conn: Connection, is_dm: ColumnElement[bool], first: Any, since: float, until: float, lookback_days: int
) -> list[dict[str, Any]]:
    """New decision makers, conversations and influenced pipeline per UTC month of the period."""
    p, t, o = people.c, touches.c, opportunities.c
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

    m = month_of(conn, first.c.first_ts).label("m")
    add(
        select(m, func.count())
        .select_from(first.join(people, p.id == first.c.person_id))
        .where(is_dm, first.c.first_ts >= since)
        .group_by(m),
        "new_decision_makers",
    )
    m = month_of(conn, t.occurred_ts).label("m")
    talk = and_(t.kind.in_(CONVERSATIONS), between(t.occurred_ts, since, until))
    add(select(m, func.count()).where(talk).group_by(m), "conversations")
    m = month_of(conn, o.created_ts).label("m")
    deals = and_(between(o.created_ts, since, until), influenced(lookback_days))
    amount = func.coalesce(func.sum(o.amount), 0.0)
    add(select(m, func.count(), amount).where(deals).group_by(m), "influenced_deals", "influenced_value")
    zero = {"new_decision_makers": 0, "conversations": 0, "influenced_deals": 0, "influenced_value": 0.0}
    return [zero | months[k] for k in sorted(months)]
