"""The identities (e-mails, anonymous ids, CRM ids) that point at people."""

from __future__ import annotations

from sqlalchemy import insert, select, update

from liidi.storage.repositories.base import Repository, any_in, upsert
from liidi.storage.tables import identities


class IdentityRepository(Repository):
    """Which person an e-mail, anonymous id or CRM id belongs to."""

    def person_for(self, kind: str, value: str) -> int | None:
        """The person an identity points at, if known."""
        stmt = select(identities.c.person_id).where(identities.c.kind == kind, identities.c.value == value)
        found = self.conn.execute(stmt).scalar()
        return int(found) if found is not None else None

    def people_for(self, kind: str, values: set[str]) -> dict[str, int]:
        """Persons for many identities of one kind at once."""
        if not values:
            return {}
        stmt = select(identities.c.value, identities.c.person_id).where(
            identities.c.kind == kind, any_in(self.conn, identities.c.value, sorted(values))
        )
        return {str(v): int(p) for v, p in self.conn.execute(stmt)}

    def add(self, kind: str, value: str, person_id: int, now: float) -> None:
        """Record that an identity belongs to a person (fails on a duplicate)."""
        values = {"kind": kind, "value": value, "person_id": person_id, "created_ts": now}
        self.conn.execute(insert(identities).values(**values))

    def claim(self, kind: str, value: str, person_id: int, now: float) -> bool:
        """Record an identity unless it exists (waiting for a writer adding it); True if this call did."""
        values = {"kind": kind, "value": value, "person_id": person_id, "created_ts": now}
        stmt = upsert(self.conn, identities).values(**values)
        stmt = stmt.on_conflict_do_nothing(index_elements=["kind", "value"])
        return self.conn.execute(stmt.returning(identities.c.id)).first() is not None

    def repoint(self, kind: str, value: str, person_id: int) -> None:
        """Point an existing identity at another person."""
        stmt = update(identities).where(identities.c.kind == kind, identities.c.value == value)
        self.conn.execute(stmt.values(person_id=person_id))

    def move_all(self, from_person: int, to_person: int) -> int:
        """Move every identity of one person to another; returns how many moved."""
        stmt = update(identities).where(identities.c.person_id == from_person).values(person_id=to_person)
        return int(self.conn.execute(stmt).rowcount)

    def of_person(self, person_id: int) -> list[tuple[str, str]]:
        """All (kind, value) identities of a person."""
        stmt = select(identities.c.kind, identities.c.value).where(identities.c.person_id == person_id)
        return [(str(k), str(v)) for k, v in self.conn.execute(stmt.order_by(identities.c.id))]

    def claim_many(self, rows: list[tuple[str, str, int]], now: float) -> set[tuple[str, str]]:
        """Record many (kind, value, person id) identities, in (kind, value) order, unless they exist;
        the (kind, value) pairs this call recorded (the others were there, or added by another writer)."""
        if not rows:
            return set()
        claimed: set[tuple[str, str]] = set()
        stmt = upsert(self.conn, identities).on_conflict_do_nothing(index_elements=["kind", "value"])
        stmt = stmt.returning(identities.c.kind, identities.c.value)
        params = [{"kind": k, "value": v, "person_id": pid, "created_ts": now} for k, v, pid in sorted(rows)]
        for start in range(0, len(params), 1000):
            result = self.conn.execute(stmt, params[start : start + 1000])
            claimed |= {(str(k), str(v)) for k, v in result if k is not None}
        return claimed

    def first_of(self, kind: str, person_ids: set[int]) -> dict[int, str]:
        """Each person's first identity of a kind (e.g. their CRM id)."""
        if not person_ids:
            return {}
        stmt = (
            select(identities.c.person_id, identities.c.value)
            .where(identities.c.kind == kind, any_in(self.conn, identities.c.person_id, sorted(person_ids)))
            .order_by(identities.c.id)
        )
        found: dict[int, str] = {}
        for pid, value in self.conn.execute(stmt):
            found.setdefault(int(pid), str(value))
        return found
