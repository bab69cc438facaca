"""Locks on names that may have no row yet, such as an anonymous id nobody has identified."""

from __future__ import annotations

import hashlib

from sqlalchemy import text

from liidi.storage.repositories.base import Repository

_HOLD = text("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(CAST(:keys AS bigint[])) AS k")


def lock_key(namespace: str, name: str) -> int:
    """A stable signed 64-bit key for a name (the same in every process)."""
    digest = hashlib.blake2b(f"{namespace}:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class NameLockRepository(Repository):
    """Transaction-scoped locks on names, taken in one global order so that writers cannot deadlock."""

    def hold(self, namespace: str, names: set[str]) -> None:
        """Wait for, then hold until the transaction ends, a lock on each name (PostgreSQL).

        On SQLite a writing transaction already holds the whole database, so there is nothing to do.
        """
        if not names or self.conn.dialect.name != "postgresql":
            return
        keys = sorted({lock_key(namespace, name) for name in names})
        self.conn.execute(_HOLD, {"keys": keys})
