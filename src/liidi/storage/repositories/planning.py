"""Stored plans, one per period (the planner's measures are report SQL: liidi.analytics.planning_measures)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from liidi.storage.repositories.base import Repository, upsert
from liidi.storage.tables import plans


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
