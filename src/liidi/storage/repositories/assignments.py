"""Assignments of leads to reps: the audit trail of routing and the basis of capacity counts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update

from liidi.storage.repositories.base import Repository, any_in
from liidi.storage.tables import assignments


class AssignmentRepository(Repository):
    """Rows of the assignments table as dictionaries."""

    def add(self, values: dict[str, Any]) -> int:
        """Record one assignment."""
        return self._insert(assignments, values)

    def counts(self, owners: set[str], start: float, end: float) -> dict[str, int]:
        """How many leads each of these owners was given from `start` (inclusive) to `end` (exclusive)."""
        if not owners:
            return {}
        a = assignments.c
        stmt = (
            select(a.owner, func.count())
            .where(any_in(self.conn, a.owner, sorted(owners)), a.assigned_ts >= start, a.assigned_ts < end)
            .group_by(a.owner)
        )
        return {str(owner): int(n) for owner, n in self.conn.execute(stmt)}

    def latest(self, person_ids: set[int]) -> dict[int, dict[str, Any]]:
        """Each person's latest assignment, for those who have one."""
        if not person_ids:
            return {}
        a = assignments.c
        stmt = select(assignments).where(any_in(self.conn, a.person_id, sorted(person_ids)))
        found: dict[int, dict[str, Any]] = {}
        for row in self.conn.execute(stmt.order_by(a.person_id, a.assigned_ts, a.id)):
            found[int(row.person_id)] = dict(row._mapping)
        return found

    def history(self, person_id: int) -> list[dict[str, Any]]:
        """A person's assignments, oldest first."""
        a = assignments.c
        stmt = select(assignments).where(a.person_id == person_id).order_by(a.assigned_ts, a.id)
        return [dict(r._mapping) for r in self.conn.execute(stmt)]

    def between(self, start: float, end: float) -> list[dict[str, Any]]:
        """Every assignment from `start` (inclusive) to `end` (exclusive), oldest first."""
        a = assignments.c
        stmt = select(assignments).where(a.assigned_ts >= start, a.assigned_ts < end)
        return [dict(r._mapping) for r in self.conn.execute(stmt.order_by(a.assigned_ts, a.id))]

    def move_person(self, from_person: int, to_person: int) -> int:
        """Move one person's assignments to another (after a merge)."""
        stmt = update(assignments).where(assignments.c.person_id == from_person)
        return int(self.conn.execute(stmt.values(person_id=to_person)).rowcount)
