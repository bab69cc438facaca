"""Bulk-load the synthetic Parquet layout into a migrated SQLite or PostgreSQL store (bench/batch.py)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from liidi.storage import session

CREATED = 1_700_000_000.0
ACCOUNT_COLUMNS = (
    "id, domain, name, industry, country, employees, revenue_band, tier, traits, created_ts, updated_ts"
)
PEOPLE_COLUMNS = (
    "id, email, title, role, seniority, account_id, consent, lead_tool, channel, direction, sourced_by, "
    "lifecycle_stage, traits, created_ts, updated_ts"
)
EVENT_COLUMNS = "id, event_id, type, person_id, account_id, occurred_ts, received_ts, properties"
IDENTITY_COLUMNS = "kind, value, person_id, created_ts"


def _accounts(parquet: Path) -> Iterator[tuple[Any, ...]]:
    seen: set[int] = set()
    for batch in pq.ParquetFile(parquet / "people_flat.parquet").iter_batches(100_000):
        for p in batch.to_pylist():
            if p["account_id"] is not None and p["account_id"] not in seen:
                seen.add(p["account_id"])
                yield (
                    p["account_id"], p["account_domain"], p["account_name"], p["industry"], p["country"],
                    p["employees"], p["revenue_band"], p["tier"], p["account_traits"], CREATED, CREATED,
                )  # fmt: skip


def _people(parquet: Path) -> Iterator[tuple[Any, ...]]:
    for batch in pq.ParquetFile(parquet / "people_flat.parquet").iter_batches(100_000):
        for p in batch.to_pylist():
            yield (
                p["person_id"], p["email"], p["title"], p["role"], p["seniority"], p["account_id"],
                p["consent"], p["lead_tool"], p["channel"], p["direction"], p["sourced_by"], "subscriber",
                p["person_traits"], CREATED, CREATED,
            )  # fmt: skip


def _identities(parquet: Path) -> Iterator[tuple[Any, ...]]:
    for batch in pq.ParquetFile(parquet / "people_flat.parquet").iter_batches(100_000):
        for p in batch.to_pylist():
            if p["external_id"] is not None:
                yield "external_id", p["external_id"], p["person_id"], CREATED


def _events(parquet: Path) -> Iterator[tuple[Any, ...]]:
    number = 0
    for batch in pq.ParquetFile(parquet / "events_flat.parquet").iter_batches(100_000):
        for e in batch.to_pylist():
            number += 1
            yield number, e["event_id"], e["type"], e["person_id"], None, e["ts"], e["ts"], e["properties"]


def _marks(columns: str) -> str:
    return ", ".join("?" for _ in columns.split(","))


def load_sqlite(parquet: Path, path: Path) -> str:
    """A SQLite store at `path` holding the Parquet data (made once)."""
    url = f"sqlite:///{path}"
    if path.exists():
        return url
    session.upgrade(url)
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous=OFF")
    with db:
        for table, columns, rows in (
            ("accounts", ACCOUNT_COLUMNS, _accounts(parquet)),
            ("people", PEOPLE_COLUMNS, _people(parquet)),
            ("identities", IDENTITY_COLUMNS, _identities(parquet)),
            ("events", EVENT_COLUMNS, _events(parquet)),
        ):
            db.executemany(f"INSERT INTO {table} ({columns}) VALUES ({_marks(columns)})", rows)
    db.execute("ANALYZE")
    db.close()
    return url


def load_postgres(parquet: Path, admin_url: str, name: str) -> str:
    """A PostgreSQL database `name` holding the Parquet data (made once), loaded with COPY."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if exists:
            return url
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    session.upgrade(url)
    engine = create_engine(url)
    raw = engine.raw_connection()
    connection: Any = raw.driver_connection
    with connection.cursor() as cursor:
        for table, columns, rows in (
            ("accounts", ACCOUNT_COLUMNS, _accounts(parquet)),
            ("people", PEOPLE_COLUMNS, _people(parquet)),
            ("identities", IDENTITY_COLUMNS, _identities(parquet)),
            ("events", EVENT_COLUMNS, _events(parquet)),
        ):
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        cursor.execute("ANALYZE")
    connection.commit()
    raw.close()
    engine.dispose()
    return url
