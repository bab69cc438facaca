"""Tables of planning: the reverse-funnel plan stored for each period."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, Double, String, Table

from liidi.storage.table_base import Id, Ts, metadata

# One plan per period (2026-12, 2026-Q1, 2026): the target, the rates it used (given or measured, with
# their counts and interval), the stage counts, the median lags between stages and the window measured.
plans = Table(
    "plans",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("period", String(10), nullable=False, unique=True),
    Column("revenue", Double, nullable=False),
    Column("deal_size", Double, nullable=False),
    Column("contacts", BigInteger, nullable=False),
    Column("meetings", BigInteger, nullable=False),
    Column("proposals", BigInteger, nullable=False),
    Column("deals", BigInteger, nullable=False),
    Column("details", JSON, nullable=False),
    Column("author", String(254), nullable=False),
    Column("created_ts", Ts, nullable=False),
    Column("updated_ts", Ts, nullable=False),
)
