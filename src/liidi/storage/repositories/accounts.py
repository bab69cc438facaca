"""Accounts and their lookup by domain and CRM id."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, func, select, update

from liidi.domain.accounts import Account, Tier
from liidi.storage.repositories.base import Repository, any_in, upsert
from liidi.storage.tables import accounts


def _to_account(row: Row[Any]) -> Account:
    m = row._mapping
    return Account(
        id=m["id"],
        domain=m["domain"],
        name=m["name"],
        industry=m["industry"],
        country=m["country"],
        employees=m["employees"],
        revenue_band=m["revenue_band"],
        tier=Tier(m["tier"]),
        owner=m["owner"],
        external_id=m["external_id"],
        created_ts=m["created_ts"],
        traits=dict(m["traits"] or {}),
    )


class AccountRepository(Repository):
    """Rows of the accounts table as `Account` objects."""

    def get(self, account_id: int) -> Account | None:
        """The account with this id, if any."""
        row = self.conn.execute(select(accounts).where(accounts.c.id == account_id)).first()
        return _to_account(row) if row else None

    def get_many(self, account_ids: set[int]) -> dict[int, Account]:
        """Many accounts by id at once."""
        if not account_ids:
            return {}
        stmt = select(accounts).where(any_in(self.conn, accounts.c.id, sorted(account_ids)))
        return {int(r._mapping["id"]): _to_account(r) for r in self.conn.execute(stmt)}

    def share(self, account_ids: set[int]) -> None:
        """Hold these accounts (in domain order) against changes until the transaction ends.

        A writer filing people under an account holds it, so an account upsert running meanwhile waits and
        then finds those people among the account's, to rescore them with its new attributes.
        """
        if account_ids and self.conn.dialect.name != "sqlite":  # SQLite writers queue on one lock
            stmt = (
                select(accounts.c.id)
                .where(any_in(self.conn, accounts.c.id, sorted(account_ids)))
                .order_by(accounts.c.domain, accounts.c.id)
                .with_for_update(read=True)
            )
            self.conn.execute(stmt).all()

    def columns(self, account_id: int) -> dict[str, Any]:
        """The stored columns of an account, as a mapping (empty if there is no such account)."""
        row = self.conn.execute(select(accounts).where(accounts.c.id == account_id)).first()
        return dict(row._mapping) if row is not None else {}

    def by_domain(self, domain: str) -> Account | None:
        """The account that owns an e-mail or web domain."""
        row = self.conn.execute(select(accounts).where(accounts.c.domain == domain)).first()
        return _to_account(row) if row else None

    def by_external_id(self, external_id: str) -> Account | None:
        """The account with this CRM id."""
        row = self.conn.execute(select(accounts).where(accounts.c.external_id == external_id)).first()
        return _to_account(row) if row else None

    def ids_by_domain(self, domains: set[str]) -> dict[str, int]:
        """Account ids for many domains at once."""
        if not domains:
            return {}
        rows = self.conn.execute(
            select(accounts.c.domain, accounts.c.id).where(accounts.c.domain.in_(domains))
        )
        return {str(r[0]): int(r[1]) for r in rows}

    def ids_by(self, key: str, values: set[str]) -> dict[str, int]:
        """Account ids by external_id or name (the first account of a name)."""
        if not values:
            return {}
        column = accounts.c[key]
        stmt = select(column, accounts.c.id).where(any_in(self.conn, column, sorted(values)))
        found: dict[str, int] = {}
        for value, aid in self.conn.execute(stmt.order_by(accounts.c.id)):
            found.setdefault(str(value), int(aid))
        return found

    def add_keyed(self, key: str, rows: list[dict[str, Any]], now: float) -> None:
        """Insert accounts in `key` order (external_id or name); one whose external id exists is skipped.

        Accounts by name have no unique key: the caller holds a name lock while it looks and adds.
        """
        if not rows:
            return
        base = {"tier": Tier.NONE.value, "traits": {}}
        stamped = sorted(
            ({**base, **row, "created_ts": now, "updated_ts": now} for row in rows), key=lambda r: str(r[key])
        )
        stmt = upsert(self.conn, accounts)
        if key == "external_id":
            stmt = stmt.on_conflict_do_nothing(index_elements=["external_id"])
        self.conn.execute(stmt, stamped)

    def add(self, values: dict[str, Any], now: float) -> int:
        """Insert an account and return its id."""
        data = {"tier": Tier.NONE.value, "traits": {}, "created_ts": now, **values, "updated_ts": now}
        return self._insert(accounts, data)

    def add_missing(self, rows: list[dict[str, Any]], now: float) -> None:
        """Insert accounts in domain order; a domain that exists, or is being added by another, is skipped."""
        if not rows:
            return
        base = {"tier": Tier.NONE.value, "traits": {}}
        stamped = [{**base, **row, "created_ts": now, "updated_ts": now} for row in rows]
        ordered = sorted(stamped, key=lambda row: str(row["domain"]))
        stmt = upsert(self.conn, accounts).on_conflict_do_nothing(index_elements=["domain"])
        self.conn.execute(stmt, ordered)

    def update(self, account_id: int, values: dict[str, Any], now: float) -> None:
        """Change some attributes of an account."""
        if values:
            stmt = update(accounts).where(accounts.c.id == account_id).values(**values, updated_ts=now)
            self.conn.execute(stmt)

    def list(self, *, filters: dict[str, Any], after: int, limit: int) -> list[Account]:
        """Accounts matching exact-value filters, in id order, after a cursor."""
        stmt = select(accounts).where(accounts.c.id > after).order_by(accounts.c.id).limit(limit)
        for name, value in filters.items():
            if name == "q":
                like = f"%{str(value).lower()}%"
                stmt = stmt.where(func.lower(accounts.c.name).like(like) | accounts.c.domain.like(like))
            elif name == "min_employees":
                stmt = stmt.where(accounts.c.employees >= value)
            else:
                stmt = stmt.where(accounts.c[name] == value)
        return [_to_account(r) for r in self.conn.execute(stmt)]

    def tiered_ids(self) -> set[int]:
        """The ids of the accounts on the target list (any tier but none)."""
        stmt = select(accounts.c.id).where(accounts.c.tier != Tier.NONE.value)
        return {int(r[0]) for r in self.conn.execute(stmt)}

    def count(self) -> int:
        """How many accounts there are."""
        return int(self.conn.execute(select(func.count()).select_from(accounts)).scalar_one())
