"""Planning: conversion counts and median lags measured in SQL from the dated history, and stored plans.

Stages of the plan, from the product's: a **contact** is a person moved to lead or mql (or, without such
a move recorded, created past the subscriber stage: imported people start as leads), a **meeting** a
person moved to sal or sql (reached also by a later move to opportunity or customer), a **proposal** an
opportunity (a deal row of the person, or a move to opportunity or customer), a **deal** a won opportunity.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, Subquery, and_, func, literal, select, text, union_all, update

from liidi.storage.repositories.base import Repository, upsert
from liidi.storage.tables import lifecycle_history, opportunities, people, plans

CONTACT = ("lead", "mql")
MEETING = ("sal", "sql")
BEYOND_MEETING = ("sal", "sql", "opportunity", "customer")
PROPOSAL = ("opportunity", "customer")
DAY = 86_400.0
WORK_MEM = "64MB"
_H = lifecycle_history.c
_O = opportunities.c
_P = people.c


def _count_and_median(lags: Subquery) -> Select[Any]:
    """How many rows a subquery of `days` has, and their median (the mean of the two middle values when
    their number is even), in one statement."""
    ranked = select(
        lags.c.days,
        func.row_number().over(order_by=lags.c.days).label("rn"),
        func.count().over().label("n"),
    ).subquery()
    middle = ranked.c.rn.between((ranked.c.n + 1) // 2, (ranked.c.n + 2) // 2)
    return select(func.max(ranked.c.n), func.avg(ranked.c.days).filter(middle))


def _moves(stages: tuple[str, ...], since: float, until: float) -> Select[Any]:
    """Every move to one of `stages` in [since, until) as (person_id, ts)."""
    window = and_(_H.occurred_ts >= since, _H.occurred_ts < until)
    return select(_H.person_id, _H.occurred_ts.label("ts")).where(_H.to_stage.in_(stages), window)


def _contacts(since: float, until: float) -> Subquery:
    """Moves to lead or mql in the window, and people created in it who are past the subscriber stage
    without a recorded move to lead or mql (people imported or generated start as leads): their creation
    is when they became contacts."""
    moved = select(_H.person_id).where(_H.to_stage.in_(CONTACT))
    created = select(_P.id.label("person_id"), _P.created_ts.label("ts")).where(
        _P.created_ts >= since,
        _P.created_ts < until,
        _P.merged_into_id.is_(None),
        _P.lifecycle_stage != "subscriber",
        _P.id.not_in(moved),
    )
    return union_all(_moves(CONTACT, since, until), created).subquery()


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

    def _step(self, first: Subquery, later: Subquery) -> tuple[int, int, float | None]:
        """Of the people with a move in `first` (person_id, ts; the window's): how many, how many reached
        `later` (person_id, ts) at or after their first such move, and the median days between the two."""
        self._roomy()
        trials = select(func.count(first.c.person_id.distinct()))
        # Each move of the window paired with every later step at or after it: per person, the earliest
        # move is paired (so its time is the first move's) and the earliest step paired is the first after it.
        lags = (
            select(((func.min(later.c.ts) - func.min(first.c.ts)) / DAY).label("days"))
            .join(later, and_(later.c.person_id == first.c.person_id, later.c.ts >= first.c.ts))
            .group_by(first.c.person_id)
            .subquery()
        )
        reached, median = self.conn.execute(_count_and_median(lags)).one()
        n = int(self.conn.execute(trials).scalar_one())
        return n, int(reached or 0), None if median is None else float(median)

    def _roomy(self) -> None:
        """On PostgreSQL, let this transaction's joins and sorts use more memory than the default 4 MB."""
        if self.conn.dialect.name == "postgresql":
            self.conn.execute(text(f"SET LOCAL work_mem = '{WORK_MEM}'"))

    def contact_to_meeting(self, since: float, until: float) -> tuple[int, int, float | None]:
        """People first moved to lead/mql in the window; how many reached a meeting after; median days."""
        later = select(_H.person_id, _H.occurred_ts.label("ts")).where(_H.to_stage.in_(BEYOND_MEETING))
        return self._step(_contacts(since, until), later.subquery())

    def meeting_to_proposal(self, since: float, until: float) -> tuple[int, int, float | None]:
        """People first moved to sal/sql in the window; how many reached a proposal after; median days."""
        return self._step(_moves(MEETING, since, until).subquery(), _proposal_moments())

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
        median = self.conn.execute(_count_and_median(lags.subquery())).one()[1]
        return {
            "closed": int(closed),
            "won": int(wins),
            "priced": int(priced),
            "amount": None if total is None else float(total),
            "median_days": None if median is None else float(median),
        }

    def actuals(self, start: float, end: float) -> dict[str, Any]:
        """What happened in [start, end): people moved to lead/mql and to sal/sql, deals opened and won."""

        def people_in(moves: Subquery) -> int:
            return int(self.conn.execute(select(func.count(moves.c.person_id.distinct()))).scalar_one())

        opened = select(func.count()).where(_O.created_ts >= start, _O.created_ts < end)
        won = select(func.count(), func.coalesce(func.sum(_O.amount), literal(0.0)))
        won = won.where(_O.stage == "won", _O.closed_ts >= start, _O.closed_ts < end)
        deals, revenue = self.conn.execute(won).one()
        return {
            "contacts": people_in(_contacts(start, end)),
            "meetings": people_in(_moves(MEETING, start, end).subquery()),
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
