"""Response-SLA clocks: one per hand-over, stopped by the first touch, scanned for warnings and breaches."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select, update

from liidi.storage.repositories.base import Repository, any_in
from liidi.storage.tables import sla_clocks

WAITING = ("open", "breached")
_C = sla_clocks.c


class SlaClockRepository(Repository):
    """Rows of sla_clocks as dictionaries."""

    def add(self, values: dict[str, Any]) -> int:
        """Start a clock; its id."""
        return self._insert(sla_clocks, values)

    def waiting_of(self, person_id: int) -> list[dict[str, Any]]:
        """A person's clocks still waiting for a first touch (open or breached), oldest first."""
        stmt = select(sla_clocks).where(_C.person_id == person_id, _C.status.in_(WAITING))
        return [dict(r._mapping) for r in self.conn.execute(stmt.order_by(_C.started_ts, _C.id))]

    def close_waiting(self, person_id: int, now: float) -> int:
        """End a person's waiting clocks without a touch (the lead went to someone else); how many."""
        stmt = update(sla_clocks).where(_C.person_id == person_id, _C.status.in_(WAITING))
        return int(self.conn.execute(stmt.values(status="closed", closed_ts=now, next_ts=None)).rowcount)

    def stop(self, clock_id: int, first_touch_ts: float) -> bool:
        """A first touch stops a waiting clock (met); False when it was no longer waiting."""
        stmt = update(sla_clocks).where(_C.id == clock_id, _C.status.in_(WAITING))
        values = {"status": "met", "first_touch_ts": first_touch_ts, "next_ts": None}
        return bool(self.conn.execute(stmt.values(values)).rowcount)

    def claim_due(self, now: float, limit: int) -> list[dict[str, Any]]:
        """Waiting clocks with a warning, breach or step due by `now`, soonest first, locked (rows another
        worker holds are skipped)."""
        stmt = (
            select(sla_clocks)
            .where(_C.status.in_(WAITING), _C.next_ts <= now)
            .order_by(_C.next_ts, _C.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [dict(r._mapping) for r in self.conn.execute(stmt)]

    def update(self, clock_id: int, values: dict[str, Any]) -> None:
        """Write a clock's progress (warned, breached, the escalation step reached, the next time)."""
        self.conn.execute(update(sla_clocks).where(_C.id == clock_id).values(values))

    def update_many(self, changes: list[tuple[int, dict[str, Any]]]) -> None:
        """Write many clocks' progress: one executemany per set of columns changed."""
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for clock_id, values in changes:
            row = {"clock_id": clock_id} | {f"new_{c}": v for c, v in values.items()}
            groups.setdefault(tuple(sorted(values)), []).append(row)
        for columns, rows in groups.items():
            stmt = update(sla_clocks).where(_C.id == bindparam("clock_id"))
            self.conn.execute(stmt.values({c: bindparam(f"new_{c}") for c in columns}), rows)

    def history(self, person_id: int) -> list[dict[str, Any]]:
        """A person's clocks, oldest first."""
        stmt = select(sla_clocks).where(_C.person_id == person_id).order_by(_C.started_ts, _C.id)
        return [dict(r._mapping) for r in self.conn.execute(stmt)]

    def latest(self, person_ids: set[int]) -> dict[int, dict[str, Any]]:
        """Each person's latest clock, for those who have one."""
        if not person_ids:
            return {}
        stmt = select(sla_clocks).where(any_in(self.conn, _C.person_id, sorted(person_ids)))
        found: dict[int, dict[str, Any]] = {}
        for row in self.conn.execute(stmt.order_by(_C.person_id, _C.started_ts, _C.id)):
            found[int(row.person_id)] = dict(row._mapping)
        return found

    def waiting_for(self, owner: str) -> dict[int, dict[str, Any]]:
        """The owner's clocks still waiting (open or breached), by person (their latest such clock)."""
        stmt = select(sla_clocks).where(_C.owner == owner, _C.status.in_(WAITING))
        found: dict[int, dict[str, Any]] = {}
        for row in self.conn.execute(stmt.order_by(_C.person_id, _C.started_ts, _C.id)):
            found[int(row.person_id)] = dict(row._mapping)
        return found

    def started_between(self, since: float, until: float) -> list[dict[str, Any]]:
        """Clocks started from `since` up to (not including) `until`, oldest first."""
        stmt = select(sla_clocks).where(_C.started_ts >= since, _C.started_ts < until)
        return [dict(r._mapping) for r in self.conn.execute(stmt.order_by(_C.started_ts, _C.id))]
