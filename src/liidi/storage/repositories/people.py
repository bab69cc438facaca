"""People and the identities (e-mails, anonymous ids, CRM ids) that point at them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, delete, func, insert, select, update

from liidi.domain.people import BuyingRole, Consent, Direction, FirstTouch, Person, Seniority, SourcedBy
from liidi.storage.repositories.base import Repository, any_in, upsert
from liidi.storage.tables import identities, people


def _to_person(row: Row[Any], emails: tuple[str, ...]) -> Person:
    m = row._mapping
    return Person(
        id=m["id"],
        emails=emails or ((m["email"],) if m["email"] else ()),
        first_name=m["first_name"],
        last_name=m["last_name"],
        title=m["title"],
        role=BuyingRole(m["role"]),
        seniority=Seniority(m["seniority"]),
        account_id=m["account_id"],
        consent=Consent(m["consent"]),
        first_touch=FirstTouch(
            lead_tool=m["lead_tool"],
            channel=m["channel"],
            direction=Direction(m["direction"]) if m["direction"] else None,
            sourced_by=SourcedBy(m["sourced_by"]) if m["sourced_by"] else None,
        ),
        lifecycle_stage=m["lifecycle_stage"],
        owner=m["owner"],
        created_ts=m["created_ts"],
        traits=dict(m["traits"] or {}),
    )


class PersonRepository(Repository):
    """Rows of the people table as `Person` objects."""

    def get(self, person_id: int) -> Person | None:
        """The person with this id (merged people included), if any."""
        row = self.conn.execute(select(people).where(people.c.id == person_id)).first()
        if row is None:
            return None
        return _to_person(row, self._emails([person_id]).get(person_id, ()))

    def get_many(self, person_ids: set[int]) -> dict[int, Person]:
        """Many people by id at once."""
        if not person_ids:
            return {}
        rows = list(
            self.conn.execute(select(people).where(any_in(self.conn, people.c.id, sorted(person_ids))))
        )
        emails = self._emails([int(r._mapping["id"]) for r in rows])
        return {int(r._mapping["id"]): _to_person(r, emails.get(int(r._mapping["id"]), ())) for r in rows}

    def live_ids(self, after: int, limit: int) -> list[int]:
        """Ids of people not merged away, in id order after a cursor."""
        stmt = select(people.c.id).where(people.c.id > after, people.c.merged_into_id.is_(None))
        return [int(v) for v in self.conn.execute(stmt.order_by(people.c.id).limit(limit)).scalars()]

    def merged_into(self, person_id: int) -> int | None:
        """The survivor a merged person now lives on in, or None if not merged."""
        value = self.conn.execute(select(people.c.merged_into_id).where(people.c.id == person_id)).scalar()
        return int(value) if value is not None else None

    def lock(self, person_ids: set[int]) -> dict[int, int | None]:
        """Lock these people's rows in id order until the transaction ends; each id's merged_into_id.

        Everything written on a person's behalf (their score state, stage, attributes) is written under
        this lock, taken in one order by every writer so that two writers cannot wait for each other.
        """
        if not person_ids:
            return {}
        stmt = (
            select(people.c.id, people.c.merged_into_id)
            .where(any_in(self.conn, people.c.id, sorted(person_ids)))
            .order_by(people.c.id)
            .with_for_update(key_share=True)
        )
        return {int(pid): (int(m) if m is not None else None) for pid, m in self.conn.execute(stmt)}

    def delete_new(self, person_id: int) -> None:
        """Remove a person row added in this transaction that lost a race for its e-mail."""
        self.conn.execute(delete(people).where(people.c.id == person_id))

    def exists(self, person_id: int) -> bool:
        """True when a person row with this id exists."""
        return self.conn.execute(select(people.c.id).where(people.c.id == person_id)).first() is not None

    def account_ids(self, person_ids: set[int]) -> dict[int, int | None]:
        """Each person's account id."""
        if not person_ids:
            return {}
        stmt = select(people.c.id, people.c.account_id).where(
            any_in(self.conn, people.c.id, sorted(person_ids))
        )
        rows = self.conn.execute(stmt)
        return {int(r[0]): r[1] for r in rows}

    def live_ids_of_accounts(self, account_ids: set[int]) -> set[int]:
        """Ids of the people (not merged away) filed under these accounts."""
        if not account_ids:
            return set()
        stmt = select(people.c.id).where(
            any_in(self.conn, people.c.account_id, sorted(account_ids)), people.c.merged_into_id.is_(None)
        )
        return {int(v) for v in self.conn.execute(stmt).scalars()}

    def add(self, values: dict[str, Any], now: float) -> int:
        """Insert a person and return the id (created now unless `created_ts` is given)."""
        return self._insert(people, {"traits": {}, "created_ts": now, **values, "updated_ts": now})

    def columns(self, person_id: int) -> dict[str, Any]:
        """The stored columns of a person, as a mapping (empty if there is no such person)."""
        row = self.conn.execute(select(people).where(people.c.id == person_id)).first()
        return dict(row._mapping) if row is not None else {}

    def update(self, person_id: int, values: dict[str, Any], now: float) -> None:
        """Change some attributes of a person."""
        if values:
            self.conn.execute(update(people).where(people.c.id == person_id).values(**values, updated_ts=now))

    def list(self, *, filters: dict[str, Any], after: int, limit: int) -> list[Person]:
        """Live (not merged) people matching filters, in id order, after a cursor."""
        stmt = select(people).where(people.c.id > after, people.c.merged_into_id.is_(None))
        for name, value in filters.items():
            if name == "q":
                like = f"%{str(value).lower()}%"
                name_match = func.lower(people.c.first_name + " " + people.c.last_name).like(like)
                stmt = stmt.where(people.c.email.like(like) | name_match)
            else:
                stmt = stmt.where(people.c[name] == value)
        rows = list(self.conn.execute(stmt.order_by(people.c.id).limit(limit)))
        emails = self._emails([int(r._mapping["id"]) for r in rows])
        return [_to_person(r, emails.get(int(r._mapping["id"]), ())) for r in rows]

    def count(self) -> int:
        """How many live people there are."""
        stmt = select(func.count()).select_from(people).where(people.c.merged_into_id.is_(None))
        return int(self.conn.execute(stmt).scalar_one())

    def _emails(self, person_ids: list[int]) -> dict[int, tuple[str, ...]]:
        if not person_ids:
            return {}
        stmt = (
            select(identities.c.person_id, identities.c.value)
            .where(identities.c.kind == "email", identities.c.person_id.in_(person_ids))
            .order_by(identities.c.id)
        )
        found: dict[int, list[str]] = {}
        for pid, value in self.conn.execute(stmt):
            found.setdefault(int(pid), []).append(str(value))
        return {pid: tuple(values) for pid, values in found.items()}


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

    def first_of(self, kind: str, person_ids: set[int]) -> dict[int, str]:
        """Each of these people's first identity of one kind (the lowest id), for those who have one."""
        if not person_ids:
            return {}
        stmt = select(identities.c.person_id, identities.c.value).where(
            identities.c.kind == kind, any_in(self.conn, identities.c.person_id, sorted(person_ids))
        )
        found: dict[int, str] = {}
        for pid, value in self.conn.execute(stmt.order_by(identities.c.id.desc())):
            found[int(pid)] = str(value)
        return found

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
