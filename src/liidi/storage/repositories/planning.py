"""Planning: conversion counts and median lags measured in SQL from the dated history, and stored plans.

Stages of the plan, from the product's: a **contact** is a person moved to lead or mql, a **meeting** a
person moved to sal or sql (reached also by a later move to opportunity or customer), a **proposal** an
opportunity (a deal row of the person, or a move to opportunity or customer), a **deal** a won opportunity.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, Subquery, and_, func, literal, select, union_all, update

from liidi.storage.repositories.base import Repository, upsert
from liidi.storage.tables import lifecycle_history, opportunities, plans

CONTACT = ("lead", "mql")
MEETING = ("sal", "sql")
BEYOND_MEETING = ("sal", "sql", "opportunity", "customer")
PROPOSAL = ("opportunity", "customer")
DAY = 86_400.0
_H = lifecycle_history.c
_O = opportunities.c


def _median(lags: Subquery) -> Select[Any]:
    """The median of a subquery's `days` (the mean of the two middle values when their number is even)."""
    ranked = select(
        lags.c.days,
        func.row_number().over(order_by=lags.c.days).label("rn"),
        func.count().over().label("n"),
    ).subquery()
    middle = ranked.c.rn.between((ranked.c.n + 1) // 2, (ranked.c.n + 2) // 2)
    return select(func.avg(ranked.c.days)).where(middle)


def _firsts(stages: tuple[str, ...], since: float, until: float) -> Subquery:
    """Each person's first move to one of `stages` in [since, until) as (person_id, ts)."""
    stmt = select(_H.person_id, func.min(_H.occurred_ts).label("ts"))
    stmt = stmt.where(_H.to_stage.in_(stages), _H.occurred_ts >= since, _H.occurred_ts < until)
    return stmt.group_by(_H.person_id).subquery()


def _proposal_moments() -> Subquery:
    """Every moment a person reached a proposal: a deal of theirs opened, a move to opportunity/customer."""
    deals = select(_O.person_id.label("person_id"), _O.created_ts.label("ts"))
    deals = deals.where(_O.person_id.is_not(None))
    moves = select(_H.person_id, _H.occurred_ts).where(_H.to_stage.in_(PROPOSAL))
    return union_all(deals, moves).subquery()


class PlanningRepository(Repository):
    """Measures of the funnel over a window, computed where the data lives."""

    def latest_ts(self) -> float | None:
        """The latest dated outcome stored: a stage change or a deal closed (an open deal imported without
        its date is dated at the import, so deals opened do not count)."""
        found = [
            self.conn.execute(select(func.max(column))).scalar_one()
            for column in (_H.occurred_ts, _O.closed_ts)
        ]
        known = [float(ts) for ts in found if ts is not None]
        return max(known) if known else None

    def _step(self, cohort: Subquery, later: Subquery) -> tuple[int, int, float | None]:
        """Of a cohort (person_id, ts): how many, how many reached `later` at or after it, the median days."""
        reached = (
            select(cohort.c.person_id, ((func.min(later.c.ts) - cohort.c.ts) / DAY).label("days"))
            .join(later, and_(later.c.person_id == cohort.c.person_id, later.c.ts >= cohort.c.ts))
            .group_by(cohort.c.person_id, cohort.c.ts)
            .subquery()
        )
        trials = self.conn.execute(select(func.count()).select_from(cohort)).scalar_one()
        successes = self.conn.execute(select(func.count()).select_from(reached)).scalar_one()
        median = self.conn.execute(_median(reached)).scalar_one()
        return int(trials), int(successes), None if median is None else float(median)

    def contact_to_meeting(self, since: float, until: float) -> tuple[int, int, float | None]:
        """People first moved to lead/mql in the window; how many reached a meeting after; median days."""
        later = select(_H.person_id, _H.occurred_ts.label("ts")).where(_H.to_stage.in_(BEYOND_MEETING))
        return self._step(_firsts(CONTACT, since, until), later.subquery())

    def meeting_to_proposal(self, since: float, until: float) -> tuple[int, int, float | None]:
        """People first moved to sal/sql in the window; how many reached a proposal after; median days."""
        return self._step(_firsts(MEETING, since, until), _proposal_moments())

    def deals(self, since: float, until: float) -> dict[str, Any]:
        """Deals opened in the window: closed, won, median days to a win, mean amount of the won."""
        window = and_(_O.created_ts >= since, _O.created_ts < until)
        won = _O.stage == "won"
        counts = select(
            func.count().filter(_O.stage.in_(("won", "lost"))),
            func.count().filter(won),
            func.count(_O.amount).filter(won),
            func.sum(_O.amount).filter(won),
        ).where(window)
        closed, wins, priced, total = self.conn.execute(counts).one()
        lags = select(((_O.closed_ts - _O.created_ts) / DAY).label("days"))
        lags = lags.where(window, won, _O.closed_ts.is_not(None))
        median = self.conn.execute(_median(lags.subquery())).scalar_one()
        return {
            "closed": int(closed),
            "won": int(wins),
            "priced": int(priced),
            "amount": None if total is None else float(total),
            "median_days": None if median is None else float(median),
        }

    def actuals(self, start: float, end: float) -> dict[str, Any]:
        """What happened in [start, end): people moved to lead/mql and to sal/sql, deals opened and won."""
        in_period = and_(_H.occurred_ts >= start, _H.occurred_ts < end)

        def people_moved(stages: tuple[str, ...]) -> int:
            stmt = select(func.count(_H.person_id.distinct())).where(in_period, _H.to_stage.in_(stages))
            return int(self.conn.execute(stmt).scalar_one())

        opened = select(func.count()).where(_O.created_ts >= start, _O.created_ts < end)
        won = select(func.count(), func.coalesce(func.sum(_O.amount), literal(0.0)))
        won = won.where(_O.stage == "won", _O.closed_ts >= start, _O.closed_ts < end)
        deals, revenue = self.conn.execute(won).one()
        return {
            "contacts": people_moved(CONTACT),
            "meetings": people_moved(MEETING),
            "proposals": int(self.conn.execute(opened.select_from(opportunities)).scalar_one()),
            "deals": int(deals),
            "revenue": float(revenue),
        }


class PlanRepository(Repository):
    """Plans, one per period."""

    def save(self, values: dict[str, Any]) -> bool:
        """Store a period's plan, replacing any earlier one of the period; True when it is new."""
        period = values["period"]
        known = self.conn.execute(select(plans.c.id).where(plans.c.period == period)).first()
        if known is not None:
            changed = {k: v for k, v in values.items() if k != "created_ts"}
            self.conn.execute(update(plans).where(plans.c.id == known.id).values(changed))
            return False
        stmt = upsert(self.conn, plans).values(values)
        changed = {k: stmt.excluded[k] for k in values if k not in ("period", "created_ts")}
        self.conn.execute(stmt.on_conflict_do_update(index_elements=["period"], set_=changed))
        return True

    def get(self, period: str) -> dict[str, Any] | None:
        """The plan of a period."""
        row = self.conn.execute(select(plans).where(plans.c.period == period)).first()
        return dict(row._mapping) if row else None

    def list(self) -> list[dict[str, Any]]:
        """Every plan, by period."""
        return [dict(r._mapping) for r in self.conn.execute(select(plans).order_by(plans.c.period))]
