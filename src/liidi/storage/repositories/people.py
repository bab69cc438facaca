"""People and the identities (e-mails, anonymous ids, CRM ids) that point at them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, bindparam, delete, func, insert, select, update

from liidi.domain.people import BuyingRole, Consent, Direction, FirstTouch, Person, Seniority, SourcedBy
from liidi.storage.repositories.base import Repository, any_in
from liidi.storage.tables import identities, people


def _to_person(row: Row[Any], emails: tuple[str, ...], external_ids: tuple[str, ...] = ()) -> Person:
    m = row._mapping
    return Person(
        id=m["id"],
        emails=_primary_first(m["email"], emails),
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
        external_ids=external_ids,
    )


def _primary_first(primary: str | None, emails: tuple[str, ...]) -> tuple[str, ...]:
    """A person's e-mails with the one they were created with (or first given) first."""
    if primary is None:
        return emails
    return (primary, *(e for e in emails if e != primary))


class PersonRepository(Repository):
    """Rows of the people table as `Person` objects."""

    def get(self, person_id: int) -> Person | None:
        """The person with this id (merged people included), if any."""
        row = self.conn.execute(select(people).where(people.c.id == person_id)).first()
        if row is None:
            return None
        return self._people([row])[0]

    def get_many(self, person_ids: set[int]) -> dict[int, Person]:
        """Many people by id at once."""
        if not person_ids:
            return {}
        rows = list(
            self.conn.execute(select(people).where(any_in(self.conn, people.c.id, sorted(person_ids))))
        )
        return {p.id: p for p in self._people(rows)}

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

    def add_many(self, rows: list[dict[str, Any]], now: float) -> list[int]:
        """Insert many people (each row with the same keys) and return their ids in input order."""
        if not rows:
            return []
        stamped = [{"traits": {}, "created_ts": now, **row, "updated_ts": now} for row in rows]
        stmt = insert(people).returning(people.c.id, sort_by_parameter_order=True)
        ids: list[int] = []
        for start in range(0, len(stamped), 1000):
            ids.extend(int(v) for v in self.conn.execute(stmt, stamped[start : start + 1000]).scalars())
        return ids

    def columns_many(self, person_ids: set[int]) -> dict[int, dict[str, Any]]:
        """The stored columns of many people by id."""
        if not person_ids:
            return {}
        stmt = select(people).where(any_in(self.conn, people.c.id, sorted(person_ids)))
        return {int(r._mapping["id"]): dict(r._mapping) for r in self.conn.execute(stmt)}

    def merged_into_many(self, person_ids: set[int]) -> dict[int, int]:
        """Of these people, those merged away, with the person each was merged into."""
        if not person_ids:
            return {}
        stmt = select(people.c.id, people.c.merged_into_id).where(
            any_in(self.conn, people.c.id, sorted(person_ids)), people.c.merged_into_id.is_not(None)
        )
        return {int(pid): int(into) for pid, into in self.conn.execute(stmt)}

    def columns(self, person_id: int) -> dict[str, Any]:
        """The stored columns of a person, as a mapping (empty if there is no such person)."""
        row = self.conn.execute(select(people).where(people.c.id == person_id)).first()
        return dict(row._mapping) if row is not None else {}

    def update(self, person_id: int, values: dict[str, Any], now: float) -> None:
        """Change some attributes of a person."""
        if values:
            self.conn.execute(update(people).where(people.c.id == person_id).values(**values, updated_ts=now))

    def update_many(self, changes: dict[int, dict[str, Any]], now: float) -> None:
        """Change some attributes of many people; one statement per set of columns changed."""
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for person_id, values in changes.items():
            if values:
                groups.setdefault(tuple(sorted(values)), []).append({**values, "pid": person_id})
        for names, rows in groups.items():
            stmt = (
                update(people)
                .where(people.c.id == bindparam("pid"))
                .values({**{name: bindparam(name) for name in names}, "updated_ts": now})
            )
            self.conn.execute(stmt, rows)

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
        return self._people(rows)

    def count(self) -> int:
        """How many live people there are."""
        stmt = select(func.count()).select_from(people).where(people.c.merged_into_id.is_(None))
        return int(self.conn.execute(stmt).scalar_one())

    def _people(self, rows: list[Row[Any]]) -> list[Person]:
        """People from their rows, with their e-mails and CRM ids."""
        ids = [int(r._mapping["id"]) for r in rows]
        found: dict[tuple[int, str], list[str]] = {}
        if ids:
            stmt = (
                select(identities.c.person_id, identities.c.kind, identities.c.value)
                .where(
                    identities.c.kind.in_(("email", "external_id")),
                    any_in(self.conn, identities.c.person_id, ids),
                )
                .order_by(identities.c.id)
            )
            for pid, kind, value in self.conn.execute(stmt):
                found.setdefault((int(pid), str(kind)), []).append(str(value))
        return [
            _to_person(r, tuple(found.get((i, "email"), ())), tuple(found.get((i, "external_id"), ())))
            for r, i in zip(rows, ids, strict=True)
        ]
