"""Shared helpers for repositories."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    String,
    Table,
    any_,
    bindparam,
    func,
    insert,
    literal_column,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert


class Repository:
    """Holds the connection of the unit of work it belongs to."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def _insert(self, table: Table, values: dict[str, Any]) -> int:
        result = self.conn.execute(insert(table).values(**values).returning(table.c.id))
        return int(result.scalar_one())


def upsert(conn: Connection, table: Table) -> Any:
    """An INSERT that speaks `ON CONFLICT` in the connection's dialect (PostgreSQL or SQLite)."""
    return pg_insert(table) if conn.dialect.name == "postgresql" else sqlite_insert(table)


def any_in(conn: Connection, column: Any, values: list[Any]) -> ColumnElement[bool]:
    """`column IN values`; on PostgreSQL one array parameter, so the statement text stays the same."""
    if conn.dialect.name == "postgresql":
        kind = ARRAY(column.type if not isinstance(column.type, String) else String())
        return column == any_(bindparam("values", values, type_=kind))  # type: ignore[no-any-return]
    if conn.dialect.name == "sqlite":
        listed = select(literal_column("value")).select_from(
            func.json_each(bindparam("values", json.dumps(values)))
        )
        return column.in_(listed.scalar_subquery())  # type: ignore[no-any-return]
    return column.in_(values)  # type: ignore[no-any-return]
