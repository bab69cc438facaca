"""Pieces of the SQLAlchemy report queries over the store's own tables (the grouped acceptance report)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, text

FAR_PAST = 0.0
FAR_FUTURE = 253_402_300_800.0  # 10000-01-01


def short_queries(conn: Connection) -> None:
    """On PostgreSQL, no JIT compilation for the rest of the transaction: a report's queries run in tens of
    milliseconds, and compiling them (planned on estimates of millions of rows) took ten times as long."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL jit = off"))


def between(column: Any, since: float, until: float) -> ColumnElement[bool]:
    """`since <= column < until`."""
    return and_(column >= since, column < until)
