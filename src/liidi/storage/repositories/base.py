"""Shared helpers for repositories."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, insert


class Repository:
    """Holds the connection of the unit of work it belongs to."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def _insert(self, table: Table, values: dict[str, Any]) -> int:
        result = self.conn.execute(insert(table).values(**values).returning(table.c.id))
        return int(result.scalar_one())
