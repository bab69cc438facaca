"""Smaller record kinds: API keys, lifecycle history, merges and opportunities."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, insert, select, update

from liidi.storage.repositories.base import Repository, any_in
from liidi.storage.tables import accounts, api_keys, lifecycle_history, merges, opportunities, people


class ApiKeyRepository(Repository):
    """Hashed API keys with their scope."""

    def add(self, *, prefix: str, key_hash: str, scope: str, name: str, now: float) -> int:
        """Store a new key's hash."""
        values = {"prefix": prefix, "key_hash": key_hash, "scope": scope, "name": name, "created_ts": now}
        return self._insert(api_keys, values)

    def by_prefix(self, prefix: str) -> dict[str, Any] | None:
        """The key row with this public prefix."""
        row = self.conn.execute(select(api_keys).where(api_keys.c.prefix == prefix)).first()
        return dict(row._mapping) if row else None

    def list(self) -> list[dict[str, Any]]:
        """Every key (hashes included; callers must not show them)."""
        return [dict(r._mapping) for r in self.conn.execute(select(api_keys).order_by(api_keys.c.id))]

    def revoke(self, prefix: str, now: float) -> bool:
        """Revoke a key; False if there was no such live key."""
        stmt = update(api_keys).where(api_keys.c.prefix == prefix, api_keys.c.revoked_ts.is_(None))
        return bool(self.conn.execute(stmt.values(revoked_ts=now)).rowcount)


class LifecycleRepository(Repository):
    """Every stage change of every person."""

    def record(self, values: dict[str, Any]) -> int:
        """Append one transition."""
        return self._insert(lifecycle_history, values)

    def history(self, person_id: int) -> list[dict[str, Any]]:
        """A person's transitions, oldest first."""
        stmt = select(lifecycle_history).where(lifecycle_history.c.person_id == person_id)
        stmt = stmt.order_by(lifecycle_history.c.occurred_ts, lifecycle_history.c.id)
        return [dict(r._mapping) for r in self.conn.execute(stmt)]

    def record_many(self, rows: list[dict[str, Any]]) -> None:
        """Append many transitions in one statement."""
        if rows:
            self.conn.execute(insert(lifecycle_history), rows)

    def known(self, person_ids: set[int]) -> dict[int, list[tuple[float, str]]]:
        """Each person's recorded (time, stage) changes, oldest first."""
        if not person_ids:
            return {}
        h = lifecycle_history.c
        stmt = select(h.person_id, h.occurred_ts, h.to_stage).where(
            any_in(self.conn, h.person_id, sorted(person_ids))
        )
        found: dict[int, list[tuple[float, str]]] = {}
        for pid, ts, stage in self.conn.execute(stmt.order_by(h.person_id, h.occurred_ts, h.id)):
            found.setdefault(int(pid), []).append((float(ts), str(stage)))
        return found

    def latest_ts(self, person_ids: set[int]) -> dict[int, float]:
        """The time of each person's latest recorded change."""
        return {pid: rows[-1][0] for pid, rows in self.known(person_ids).items() if rows}

    def set_stages(self, stages: dict[int, str], now: float) -> None:
        """Set people's current stage (the stage of their latest change) in one statement."""
        if stages:
            stmt = update(people).where(people.c.id == bindparam("pid"))
            stmt = stmt.values(lifecycle_stage=bindparam("stage"), updated_ts=now)
            self.conn.execute(stmt, [{"pid": p, "stage": s} for p, s in sorted(stages.items())])

    def move_person(self, from_person: int, to_person: int) -> int:
        """Move one person's history to another."""
        stmt = update(lifecycle_history).where(lifecycle_history.c.person_id == from_person)
        return int(self.conn.execute(stmt.values(person_id=to_person)).rowcount)


class MergeRepository(Repository):
    """The record of which person was merged into which."""

    def record(self, values: dict[str, Any]) -> int:
        """Append one merge."""
        return self._insert(merges, values)

    def into(self, survivor_id: int) -> list[dict[str, Any]]:
        """Merges whose survivor is this person."""
        stmt = select(merges).where(merges.c.survivor_id == survivor_id).order_by(merges.c.id)
        return [dict(r._mapping) for r in self.conn.execute(stmt)]


class OpportunityRepository(Repository):
    """Deals: amount, stage (open, won, lost) and the reason a deal was lost."""

    def add(self, values: dict[str, Any]) -> int:
        """Insert an opportunity."""
        return self._insert(opportunities, values)

    def by_external_id(self, keys: set[str]) -> dict[str, dict[str, Any]]:
        """The stored opportunities with these CRM ids, every column, by CRM id."""
        if not keys:
            return {}
        stmt = select(opportunities).where(any_in(self.conn, opportunities.c.external_id, sorted(keys)))
        return {str(r.external_id): dict(r._mapping) for r in self.conn.execute(stmt)}

    def add_many(self, rows: list[dict[str, Any]]) -> None:
        """Insert many opportunities in one statement."""
        if rows:
            self.conn.execute(insert(opportunities), rows)

    def update_many(self, rows: list[dict[str, Any]]) -> None:
        """Rewrite many opportunities, each row naming its id as `oid`."""
        if rows:
            names = [n for n in rows[0] if n != "oid"]
            stmt = update(opportunities).where(opportunities.c.id == bindparam("oid"))
            stmt = stmt.values({n: bindparam(f"v_{n}") for n in names})
            self.conn.execute(stmt, [{f"v_{n}": r[n] for n in names} | {"oid": r["oid"]} for r in rows])

    def account_ids_by(self, key: str, values: set[str]) -> dict[str, int]:
        """Account ids by domain, external_id or name (the first account of a name)."""
        if not values:
            return {}
        column = accounts.c[key]
        stmt = select(column, accounts.c.id).where(any_in(self.conn, column, sorted(values)))
        found: dict[str, int] = {}
        for value, aid in self.conn.execute(stmt.order_by(accounts.c.id)):
            found.setdefault(str(value), int(aid))
        return found

    def external_ids(self, keys: set[str]) -> set[str]:
        """Which of these CRM ids are stored."""
        if not keys:
            return set()
        stmt = select(opportunities.c.external_id).where(
            any_in(self.conn, opportunities.c.external_id, sorted(keys))
        )
        return {str(v) for v in self.conn.execute(stmt).scalars()}

    def for_account(self, account_id: int) -> list[dict[str, Any]]:
        """An account's opportunities, newest first."""
        stmt = select(opportunities).where(opportunities.c.account_id == account_id)
        return [dict(r._mapping) for r in self.conn.execute(stmt.order_by(opportunities.c.created_ts.desc()))]

    def move_person(self, from_person: int, to_person: int) -> int:
        """Move one person's opportunities to another."""
        stmt = update(opportunities).where(opportunities.c.person_id == from_person)
        return int(self.conn.execute(stmt.values(person_id=to_person)).rowcount)
