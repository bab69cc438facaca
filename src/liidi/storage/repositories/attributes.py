"""The stored type of each attribute of people and accounts."""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from liidi.storage.repositories.base import Repository, any_in, upsert
from liidi.storage.tables import attribute_types as t


class AttributeTypeRepository(Repository):
    """Attribute types by scope and name; what was read is kept for the rest of the transaction."""

    def __init__(self, conn: Connection) -> None:
        super().__init__(conn)
        self._known: dict[tuple[str, str], str] = {}

    def types(self, scope: str, names: set[str]) -> dict[str, str]:
        """The stored type of each of these names that has one."""
        unknown = sorted(n for n in names if (scope, n) not in self._known)
        if unknown:
            rows = self.conn.execute(
                select(t.c.name, t.c.type).where(t.c.scope == scope, any_in(self.conn, t.c.name, unknown))
            )
            self._known |= {(scope, name): kind for name, kind in rows}
        return {n: self._known[(scope, n)] for n in names if (scope, n) in self._known}

    def all(self, scope: str) -> dict[str, tuple[str, str]]:
        """Every attribute of a scope: name → (type, source)."""
        rows = self.conn.execute(select(t.c.name, t.c.type, t.c.source).where(t.c.scope == scope))
        return {name: (kind, source) for name, kind, source in rows}

    def add_missing(self, scope: str, found: dict[str, tuple[str, str]], now: float) -> dict[str, str]:
        """Record types not yet stored (name → (type, source)) and return the stored ones, which differ
        where a concurrent writer's came first."""
        if not found:
            return {}
        rows = [
            {"scope": scope, "name": n, "type": k, "source": s, "first_seen_ts": now}
            for n, (k, s) in sorted(found.items())
        ]
        self.conn.execute(upsert(self.conn, t).values(rows).on_conflict_do_nothing())
        for name in found:
            self._known.pop((scope, name), None)
        return self.types(scope, set(found))

    def widen(self, scope: str, name: str, kind: str) -> None:
        """Change the stored type of an attribute (integer to number)."""
        self.conn.execute(update(t).where(t.c.scope == scope, t.c.name == name).values(type=kind))
        self._known[(scope, name)] = kind
