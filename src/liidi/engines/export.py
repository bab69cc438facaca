"""Export the batch layout from the store to Parquet, streamed in chunks from one consistent snapshot."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from sqlalchemy import Engine

from liidi.engines.layout import EVENT_COLUMNS, EVENTS, PEOPLE, PEOPLE_COLUMNS, store_views
from liidi.engines.layout import parquet_path as parquet_path
from liidi.engines.layout_history import DOUBLE_COLUMNS, HISTORY_COLUMNS, INTEGER_COLUMNS, ORDER

CHUNK = 50_000
_TEXT = pa.string()
_ID = pa.int64()
PEOPLE_SCHEMA = pa.schema(
    [(name, _ID if name in ("person_id", "account_id", "employees") else _TEXT) for name in PEOPLE_COLUMNS]
)
EVENTS_SCHEMA = pa.schema(
    [("person_id", _ID), ("event_id", _TEXT), ("type", _TEXT), ("ts", pa.float64()), ("properties", _TEXT)]
)
HISTORY_SCHEMAS: dict[str, pa.Schema] = {
    relation: pa.schema(
        [(c, _ID if c in INTEGER_COLUMNS else pa.float64() if c in DOUBLE_COLUMNS else _TEXT) for c in names]
    )
    for relation, names in HISTORY_COLUMNS.items()
}
SCHEMAS: dict[str, pa.Schema] = {PEOPLE: PEOPLE_SCHEMA, EVENTS: EVENTS_SCHEMA, **HISTORY_SCHEMAS}
_ORDER = {PEOPLE: "person_id", EVENTS: "person_id, ts, event_id", **ORDER}
assert tuple(EVENTS_SCHEMA.names) == EVENT_COLUMNS

Progress = Callable[[str, int, int], None]
"""Called with (relation, rows just written, rows in total)."""


class _Reader(Protocol):
    def count(self, relation: str) -> int: ...

    def chunks(self, sql: str, size: int) -> Iterator[Sequence[Sequence[Any]]]: ...


def export_layout(
    engine: Engine,
    directory: Path,
    *,
    relations: Sequence[str] = (PEOPLE, EVENTS),
    chunk: int = CHUNK,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Write each relation of the batch layout to DIR/<relation>.parquet; rows written per relation."""
    unknown = [r for r in relations if r not in SCHEMAS]
    if unknown:
        raise ValueError(f"unknown relation {unknown[0]}; the layout has {', '.join(SCHEMAS)}")
    directory.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    with _snapshot(engine) as reader:
        totals = {relation: reader.count(relation) for relation in relations}
        for relation in relations:
            sql = f"SELECT {', '.join(SCHEMAS[relation].names)} FROM {relation} ORDER BY {_ORDER[relation]}"
            batches = (_batch(rows, SCHEMAS[relation]) for rows in reader.chunks(sql, chunk))
            report = (lambda n, r=relation: progress(r, n, totals[r])) if progress else None
            written[relation] = write_parquet(
                parquet_path(directory, relation), SCHEMAS[relation], batches, report
            )
    return written


def write_parquet(
    path: Path,
    schema: pa.Schema,
    batches: Iterator[pa.RecordBatch],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Stream record batches into one Parquet file (one row group per batch, written atomically)."""
    partial = path.with_name(path.name + ".partial")
    rows = 0
    with pq.ParquetWriter(partial, schema, compression="zstd") as writer:
        for batch in batches:
            writer.write_batch(batch)
            rows += batch.num_rows
            if progress:
                progress(batch.num_rows)
        if rows == 0:
            writer.write_table(schema.empty_table())
    partial.replace(path)
    return rows


def _batch(rows: Sequence[Sequence[Any]], schema: pa.Schema) -> pa.RecordBatch:
    """Rows of one chunk as a record batch of the given schema."""
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    arrays = [pa.array(col, type=f.type) for col, f in zip(columns, schema, strict=True)]
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


@contextmanager
def _snapshot(engine: Engine) -> Iterator[_Reader]:
    """A read-only transaction with the layout views; SQLite reads without taking the write lock."""
    if engine.dialect.name == "sqlite":
        with _sqlite_snapshot(engine) as reader:
            yield reader
    else:
        with _sqlalchemy_snapshot(engine) as reader:
            yield reader


class _DbapiReader:
    """Reads through a DB-API cursor (SQLite)."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def count(self, relation: str) -> int:
        cursor = self.connection.execute(f"SELECT count(*) FROM {relation}")
        return int(cursor.fetchone()[0])

    def chunks(self, sql: str, size: int) -> Iterator[Sequence[Sequence[Any]]]:
        cursor = self.connection.execute(sql)
        while rows := cursor.fetchmany(size):
            yield rows


@contextmanager
def _sqlite_snapshot(engine: Engine) -> Iterator[_Reader]:
    # The engine's BEGIN IMMEDIATE would block writers for the whole export; a deferred BEGIN on the raw
    # connection gives a WAL read snapshot instead. Views made inside it vanish with the rollback.
    raw = engine.raw_connection()
    connection: Any = raw.driver_connection
    try:
        connection.execute("BEGIN")
        for statement in store_views("sqlite"):
            connection.execute(statement)
        yield _DbapiReader(connection)
    finally:
        connection.execute("ROLLBACK")
        raw.close()


class _SqlalchemyReader:
    """Reads through a SQLAlchemy connection with a server-side cursor (PostgreSQL)."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def count(self, relation: str) -> int:
        return int(self.conn.exec_driver_sql(f"SELECT count(*) FROM {relation}").scalar_one())

    def chunks(self, sql: str, size: int) -> Iterator[Sequence[Sequence[Any]]]:
        result = self.conn.execution_options(stream_results=True, yield_per=size).exec_driver_sql(sql)
        for part in result.partitions(size):
            yield [tuple(row) for row in part]


@contextmanager
def _sqlalchemy_snapshot(engine: Engine) -> Iterator[_Reader]:
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        for statement in store_views(engine.dialect.name):
            conn.exec_driver_sql(statement)
        yield _SqlalchemyReader(conn)
        conn.rollback()
