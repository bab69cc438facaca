"""Pieces of report queries shared by the waste, target-account and marketing-value reports.

They compile to the same SQL on SQLite and PostgreSQL except where a dialect needs its own function (a
UTC month from epoch seconds).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, Subquery, and_, func, literal, or_, select, text

from liidi.domain.icp import WantedRole
from liidi.storage.tables import opportunities, people

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


def month_of(conn: Connection, ts: Any) -> ColumnElement[str]:
    """The UTC month 'YYYY-MM' of an epoch-seconds column, in the connection's dialect."""
    if conn.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", func.to_timestamp(ts)), "YYYY-MM")
    return func.strftime("%Y-%m", ts, "unixepoch")


def deal_totals() -> Subquery:
    """Per person, the summed amount of their deals (open, won and lost): the pipeline they carry."""
    o = opportunities.c
    amount = func.coalesce(func.sum(o.amount), 0.0)
    return (
        select(o.person_id, amount.label("amount"))
        .where(o.person_id.is_not(None))
        .group_by(o.person_id)
        .subquery()
    )


def live_people() -> ColumnElement[bool]:
    """People that were not merged into another (a merged duplicate's history moved to its survivor)."""
    return people.c.merged_into_id.is_(None)


def role_match(role: WantedRole) -> ColumnElement[bool]:
    """SQL for 'this person fills this role': every given key matches, a list any of its values."""
    p = people.c
    parts: list[ColumnElement[bool]] = []
    if role.roles:
        parts.append(p.role.in_(role.roles))
    if role.seniorities:
        parts.append(p.seniority.in_(role.seniorities))
    if role.title_words:
        title = func.lower(func.coalesce(p.title, ""))
        parts.append(or_(*(title.contains(word, autoescape=True) for word in role.title_words)))
    return and_(literal(True), *parts)
