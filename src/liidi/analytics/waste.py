"""The waste report (R23): where leads and deals were lost, or never worked, and the value they carry.

Every measure is one aggregate query over the store tables, for the period [since, until) (docs/analytics.md
"Waste" defines each). Each row counts the items (hand-overs, moves, clocks, deals or merges), the people
behind them, their **pipeline value** (the summed amounts of those people's deals; for lost deals, the
deals' own amounts) and an **estimated value**: people × the won value per handed-over lead of the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, and_, case, exists, func, literal, or_, select

from liidi.analytics.sqlparts import between, deal_totals, short_queries
from liidi.storage.tables import lifecycle_history, merges, opportunities, sla_clocks, touches

ACCEPTED = ("sal", "sql", "opportunity", "customer")
CLOSED = ("recycled", "disqualified")
NONE = "(none)"
MEASURES = (
    "never_worked",
    "closed_without_reason",
    "deals_lost_without_reason",
    "sla_missed",
    "recycle_loops",
    "duplicates",
    "leads_lost",
    "deals_lost",
)


@dataclass(frozen=True, slots=True)
class WasteRow:
    """One measure or one (stage, reason) of the losses: how many, whose, and the value at stake."""

    measure: str
    count: int
    people: int
    value: float
    estimated_value: float | None
    stage: str | None = None
    to: str | None = None
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data = {"measure": self.measure, "count": self.count, "people": self.people}
        if self.stage is not None:
            data |= {"stage": self.stage, "to": self.to, "reason": self.reason}
        return data | {"value": round(self.value, 2), "estimated_value": self.estimated_value}


@dataclass(frozen=True, slots=True)
class WasteReport:
    """The measures of the period, the losses by stage and reason, and the value per handed-over lead."""

    since: float
    until: float
    now: float
    handed_over: int
    won_value: float
    value_per_lead: float | None
    measures: list[WasteRow]
    lost: list[WasteRow]

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of the API and `--json`."""
        return {
            "since": self.since,
            "until": self.until,
            "now": self.now,
            "handed_over": self.handed_over,
            "won_value": round(self.won_value, 2),
            "value_per_lead": self.value_per_lead,
            "measures": [m.as_dict() for m in self.measures],
            "lost_by_stage_and_reason": [r.as_dict() for r in self.lost],
        }


def waste_report(conn: Connection, *, since: float, until: float, now: float) -> WasteReport:
    """The waste of [since, until), judged at `now` (SLA deadlines passed by then count as missed)."""
    short_queries(conn)
    h = lifecycle_history.c
    handed = select(func.count(func.distinct(h.person_id))).where(
        h.to_stage == "mql", between(h.occurred_ts, since, until)
    )
    handed_over = int(conn.execute(handed).scalar_one())
    o = opportunities.c
    won = select(func.coalesce(func.sum(o.amount), 0.0)).where(
        o.stage == "won", between(o.closed_ts, since, until)
    )
    won_value = float(conn.execute(won).scalar_one())
    per_lead = round(won_value / handed_over, 2) if handed_over else None
    queries = _measure_queries(since, until, now)
    rows = [_person_measure(conn, name, queries[name], per_lead) for name in MEASURES if name in queries]
    rows.insert(2, _deals_lost(conn, since, until, per_lead, unexplained=True))
    rows.append(_deals_lost(conn, since, until, per_lead, unexplained=False))
    lost = _lost_by_stage(conn, since, until, per_lead) + _deals_by_reason(conn, since, until, per_lead)
    return WasteReport(since, until, now, handed_over, won_value, per_lead, rows, lost)


def _measure_queries(since: float, until: float, now: float) -> dict[str, Select[Any]]:
    """Per people-based measure, a query of one row per item with its person_id."""
    h, t, c = lifecycle_history.c, touches.c, sla_clocks.c
    later = lifecycle_history.alias("later")
    touched = exists().where(t.person_id == h.person_id, t.occurred_ts >= h.occurred_ts)
    accepted = exists().where(
        later.c.person_id == h.person_id,
        later.c.to_stage.in_(ACCEPTED),
        or_(
            later.c.occurred_ts > h.occurred_ts, and_(later.c.occurred_ts == h.occurred_ts, later.c.id > h.id)
        ),
    )
    in_period = between(h.occurred_ts, since, until)
    no_reason = or_(h.reason.is_(None), func.trim(h.reason) == "")
    late = or_(
        c.first_touch_ts >= c.due_ts,
        and_(
            c.first_touch_ts.is_(None),
            or_(c.breached_ts.is_not(None), and_(c.status != "closed", c.due_ts <= now)),
        ),
    )
    recycles = (
        select(h.person_id).where(h.to_stage == "recycled", h.occurred_ts < until).group_by(h.person_id)
    )
    recycles = recycles.having(func.count() >= 2, func.sum(case((h.occurred_ts >= since, 1), else_=0)) >= 1)
    m = merges.c
    return {
        "never_worked": select(h.person_id).where(h.to_stage == "mql", in_period, ~touched, ~accepted),
        "closed_without_reason": select(h.person_id).where(h.to_stage.in_(CLOSED), in_period, no_reason),
        "sla_missed": select(c.person_id).where(between(c.started_ts, since, until), late),
        "recycle_loops": recycles,
        "duplicates": select(m.merged_id.label("person_id")).where(between(m.occurred_ts, since, until)),
        "leads_lost": select(h.person_id).where(h.to_stage.in_(CLOSED), in_period),
    }


def _estimate(people: int, per_lead: float | None) -> float | None:
    return None if per_lead is None else round(people * per_lead, 2)


def _person_measure(conn: Connection, name: str, items: Select[Any], per_lead: float | None) -> WasteRow:
    """Items, distinct people and the deal value those people carry."""
    s = items.subquery()
    count = int(conn.execute(select(func.count()).select_from(s)).scalar_one())
    people = select(s.c.person_id).distinct().subquery()
    d = deal_totals()
    stmt = select(func.count(), func.coalesce(func.sum(d.c.amount), 0.0)).select_from(
        people.outerjoin(d, d.c.person_id == people.c.person_id)
    )
    persons, value = conn.execute(stmt).one()
    return WasteRow(name, count, int(persons), float(value), _estimate(int(persons), per_lead))


def _deals_lost(
    conn: Connection, since: float, until: float, per_lead: float | None, *, unexplained: bool
) -> WasteRow:
    """Deals lost in the period (only those without a reason when `unexplained`): their own amounts."""
    o = opportunities.c
    where = [o.stage == "lost", between(o.closed_ts, since, until)]
    if unexplained:
        where.append(or_(o.lost_reason.is_(None), func.trim(o.lost_reason) == ""))
    stmt = select(
        func.count(), func.count(func.distinct(o.person_id)), func.coalesce(func.sum(o.amount), 0.0)
    )
    count, persons, value = conn.execute(stmt.where(*where)).one()
    name = "deals_lost_without_reason" if unexplained else "deals_lost"
    return WasteRow(name, int(count), int(persons), float(value), _estimate(int(persons), per_lead))


def _lost_by_stage(conn: Connection, since: float, until: float, per_lead: float | None) -> list[WasteRow]:
    """Moves out of the funnel (recycled, disqualified) by the stage left and the reason given."""
    h = lifecycle_history.c
    reason = func.coalesce(func.nullif(func.trim(h.reason), ""), NONE)
    keys = (func.coalesce(h.from_stage, NONE).label("stage"), h.to_stage.label("to"), reason.label("reason"))
    moves = (
        select(*keys, h.person_id)
        .where(h.to_stage.in_(CLOSED), between(h.occurred_ts, since, until))
        .subquery()
    )
    group = (moves.c.stage, moves.c.to, moves.c.reason)
    counts = {tuple(r[:3]): int(r[3]) for r in conn.execute(select(*group, func.count()).group_by(*group))}
    people = select(*group, moves.c.person_id).distinct().subquery()
    d = deal_totals()
    pgroup = (people.c.stage, people.c.to, people.c.reason)
    stmt = select(*pgroup, func.count(), func.coalesce(func.sum(d.c.amount), 0.0)).select_from(
        people.outerjoin(d, d.c.person_id == people.c.person_id)
    )
    rows = conn.execute(stmt.group_by(*pgroup)).all()
    found = [
        WasteRow("lead_lost", counts[(s, to, r)], int(n), float(v), _estimate(int(n), per_lead), s, to, r)
        for s, to, r, n, v in rows
    ]
    return sorted(found, key=lambda w: (-w.count, w.stage or "", w.to or "", w.reason or ""))


def _deals_by_reason(conn: Connection, since: float, until: float, per_lead: float | None) -> list[WasteRow]:
    """Deals lost in the period by their lost reason, with their own amounts."""
    o = opportunities.c
    reason = func.coalesce(func.nullif(func.trim(o.lost_reason), ""), literal(NONE)).label("reason")
    stmt = select(
        reason, func.count(), func.count(func.distinct(o.person_id)), func.coalesce(func.sum(o.amount), 0.0)
    ).where(o.stage == "lost", between(o.closed_ts, since, until))
    rows = conn.execute(stmt.group_by(reason)).all()
    found = [
        WasteRow("deal_lost", int(n), int(p), float(v), _estimate(int(p), per_lead), "deal", "lost", str(r))
        for r, n, p, v in rows
    ]
    return sorted(found, key=lambda w: (-w.value, w.reason or ""))
