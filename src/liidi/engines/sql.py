"""Batch engines that run the compiled SQL: SQLite and PostgreSQL over the store, DuckDB over Parquet."""

from __future__ import annotations

import math
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
from sqlalchemy import Connection, Engine

from liidi.domain.scoring.spec import ScoringModel
from liidi.engines.batch import BatchRow, StepScores
from liidi.engines.compile import compile_model
from liidi.engines.layout import EVENT_COLUMNS, EVENTS, PEOPLE, PEOPLE_COLUMNS, store_views
from liidi.engines.layout_history import HISTORY_COLUMNS
from liidi.engines.replay import replay_sql, scores_from_arrow, scores_from_rows
from liidi.errors import FieldError, ValidationFailed

_FLAG_PREFIXES = ("signal__", "product__")
Result = tuple[list[str], list[tuple[Any, ...]]]
"""A report query's column names and rows."""
_INTEGER_COLUMNS = frozenset({"person_id", "account_id", "employees"})


def batch_rows(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[BatchRow]:
    """BatchRows from a compiled model's result; 0/1 become booleans, active flags become sorted keys.

    `email` and `external_id` are read when the result has them (every as-of query does).
    """
    index = {name: i for i, name in enumerate(columns)}
    flags = [(index[c], c.split("__", 1)[1]) for c in columns if c.startswith(_FLAG_PREFIXES)]
    email, external = index.get("email"), index.get("external_id")
    return [
        BatchRow(
            person_id=int(row[index["person_id"]]),
            fit=float(row[index["fit"]]),
            grade=row[index["grade"]],
            engagement=float(row[index["engagement"]]),
            score=float(row[index["score"]]),
            mql=bool(row[index["mql"]]),
            pql=bool(row[index["pql"]]),
            hand_raiser=bool(row[index["hand_raiser"]]),
            signals=tuple(sorted(key for i, key in flags if row[i])),
            email=row[email] if email is not None else None,
            external_id=row[external] if external is not None else None,
        )
        for row in rows
    ]


@lru_cache(maxsize=256)
def _pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _regexp(pattern: str | None, value: object) -> int | None:
    """SQLite's `value REGEXP pattern` as Python's re.search (the compiled SQL adds `(?i)`)."""
    if pattern is None or value is None:
        return None
    return int(isinstance(value, str) and _pattern(pattern).search(value) is not None)


def prepare_sqlite(connection: sqlite3.Connection) -> None:
    """Register what the compiled SQL calls and this SQLite may lack: regexp, and the math functions."""
    connection.create_function("regexp", 2, _regexp, deterministic=True)
    try:
        connection.execute("SELECT power(0.5, 1.0), floor(1.5)").fetchone()
    except sqlite3.OperationalError:  # pragma: no cover - builds without SQLITE_ENABLE_MATH_FUNCTIONS
        connection.create_function("power", 2, math.pow, deterministic=True)
        connection.create_function("floor", 1, math.floor, deterministic=True)


class _StoreEngine:
    """The compiled model run in the store's own database over the temporary layout views."""

    name = "store"
    dialect = ""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def score_many(self, model: ScoringModel, as_of: Sequence[float]) -> dict[float, list[BatchRow]]:
        """Rows per as-of moment, ordered by person_id."""
        with self.engine.connect() as conn:
            raw = conn.connection.driver_connection
            self._prepare(raw)
            layout_views(conn, create=True)
            try:
                return {t: self._run(raw, compile_model(model, self.dialect, t)) for t in as_of}
            finally:
                layout_views(conn, create=False)
                conn.rollback()

    def score_steps(self, model: ScoringModel, steps: Sequence[float]) -> StepScores:
        """Everyone at every step: one replay query when the steps are even, else one query per step."""
        sql = replay_sql(model, self.dialect, steps)
        if sql is None:
            return StepScores.from_rows(self.score_many(model, steps))
        with self.engine.connect() as conn:
            raw = conn.connection.driver_connection
            self._prepare(raw)
            layout_views(conn, create=True)
            try:
                cursor = raw.cursor()
                cursor.execute(sql)
                columns = [d[0] for d in cursor.description]
                return scores_from_rows(steps, columns, cursor.fetchall())
            finally:
                layout_views(conn, create=False)
                conn.rollback()

    def query(self, statements: Sequence[str]) -> list[Result]:
        """Each statement's column names and rows, over the layout views, in one read transaction."""
        with self.engine.connect() as conn:
            raw = conn.connection.driver_connection
            self._prepare(raw)
            self._prepare_reports(raw)
            layout_views(conn, create=True)
            try:
                return [_fetch(raw.cursor(), sql) for sql in statements]
            finally:
                layout_views(conn, create=False)
                conn.rollback()

    def _prepare(self, raw: Any) -> None:
        """Register functions on the driver connection, if the dialect needs any."""

    def _prepare_reports(self, raw: Any) -> None:
        """Settings for report queries (group-bys over whole tables), if the dialect needs any."""

    def _run(self, raw: Any, sql: str) -> list[BatchRow]:
        cursor = raw.cursor()
        try:
            cursor.execute(sql)
            columns = [d[0] for d in cursor.description]
            return batch_rows(columns, cursor.fetchall())
        finally:
            cursor.close()


class SqliteEngine(_StoreEngine):
    """The compiled model on the SQLite store (Python's `re` registered as REGEXP)."""

    name = "sqlite"
    dialect = "sqlite"

    def _prepare(self, raw: Any) -> None:
        prepare_sqlite(raw)


class PostgresEngine(_StoreEngine):
    """The compiled model on the PostgreSQL store (nested loops off: the planner misjudges CTE sizes)."""

    name = "postgres"
    dialect = "postgres"

    def _prepare(self, raw: Any) -> None:
        raw.execute("SET LOCAL enable_nestloop = off")

    def _prepare_reports(self, raw: Any) -> None:
        # JIT compiling costs more than it saves on these aggregates; memory keeps the hashes off disk;
        # the planner's nested loops are fine here (calibration joins each row to a one-row table of runs).
        raw.execute("SET LOCAL enable_nestloop = on")
        raw.execute("SET LOCAL jit = off")
        raw.execute("SET LOCAL work_mem = '256MB'")


class DuckDBEngine:
    """The compiled model in DuckDB: over a Parquet export directory, or a connection with the two tables."""

    name = "duckdb"

    def __init__(self, source: str | Path | duckdb.DuckDBPyConnection) -> None:
        self.directory = None if isinstance(source, duckdb.DuckDBPyConnection) else str(source)
        if isinstance(source, duckdb.DuckDBPyConnection):
            self.conn = source
        else:
            self.conn = duckdb.connect()
            for relation in (PEOPLE, EVENTS, *HISTORY_COLUMNS):
                found = Path(source) / f"{relation}.parquet"
                if not found.exists():  # callers check the files they need (scoring, reports)
                    continue
                path = str(found).replace("'", "''")
                with _readable(found):
                    self.conn.execute(f"CREATE VIEW {relation} AS SELECT * FROM read_parquet('{path}')")

    @classmethod
    def from_parquet(cls, directory: str | Path) -> DuckDBEngine:
        """An engine over an export directory."""
        return cls(directory)

    def score_many(self, model: ScoringModel, as_of: Sequence[float]) -> dict[float, list[BatchRow]]:
        """Rows per as-of moment, ordered by person_id."""
        return {t: self.rows(compile_model(model, "duckdb", t)) for t in as_of}

    def score_steps(self, model: ScoringModel, steps: Sequence[float]) -> StepScores:
        """Everyone at every step: one replay query when the steps are even, else one query per step."""
        sql = replay_sql(model, "duckdb", steps)
        if sql is None:
            return StepScores.from_rows(self.score_many(model, steps))
        with self._any_order():
            return scores_from_arrow(steps, self.conn.sql(sql).to_arrow_table())

    @contextmanager
    def _any_order(self) -> Iterator[None]:
        """Let DuckDB return rows in any order (the replay's rows are unordered): less work in parallel."""
        found = self.conn.execute("SELECT current_setting('preserve_insertion_order')").fetchone()
        self.conn.execute("SET preserve_insertion_order = false")
        try:
            yield
        finally:
            self.conn.execute(f"SET preserve_insertion_order = {bool(found and found[0])}")

    def query(self, statements: Sequence[str]) -> list[Result]:
        """Each statement's column names and rows (epoch times stay numbers: the session is in UTC); a
        layout whose files lack what the reports read is ValidationFailed naming the directory."""
        with _readable(self.directory):
            return [_fetch(self.conn.cursor(), sql) for sql in statements]

    def rows(self, sql: str) -> list[BatchRow]:
        """The BatchRows of one compiled query."""
        result = self.conn.execute(sql)
        columns = [d[0] for d in result.description]
        return batch_rows(columns, result.fetchall())


@contextmanager
def _readable(path: object) -> Iterator[None]:
    """DuckDB's errors over files given by the user (unreadable Parquet, missing columns) as
    ValidationFailed naming the file or directory (None: no files), with DuckDB's first line as the reason."""
    try:
        yield
    except (duckdb.IOException, duckdb.InvalidInputException, duckdb.BinderException) as error:
        if path is None:  # tables given by the caller, not files: a query's own fault
            raise
        reason = f"cannot be read as the layout: {str(error).splitlines()[0][:200]}"
        raise ValidationFailed(
            [FieldError("parquet", str(path), reason)], f"parquet {path}: {reason}"
        ) from None


def _fetch(cursor: Any, sql: str) -> Result:
    """Run one statement on a DB-API cursor: its column names and rows."""
    try:
        cursor.execute(sql)
        return [d[0] for d in cursor.description], [tuple(r) for r in cursor.fetchall()]
    finally:
        cursor.close()


def duckdb_tables(
    people: Iterable[Mapping[str, Any]], events: Iterable[Mapping[str, Any]]
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with tables people_flat and events_flat built from rows of the layout."""
    conn = duckdb.connect()
    for relation, columns, rows in (
        (PEOPLE, PEOPLE_COLUMNS, list(people)),
        (EVENTS, EVENT_COLUMNS, list(events)),
    ):
        arrays = {c: pa.array([r.get(c) for r in rows], type=_arrow_type(c)) for c in columns}
        data = pa.table(arrays)
        conn.register("rows_in", data)
        conn.execute(f"CREATE TABLE {relation} AS SELECT * FROM rows_in")
        conn.unregister("rows_in")
    return conn


def store_rows(engine: Engine) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every row of people_flat and events_flat in the store, as dictionaries."""
    with engine.connect() as conn:
        layout_views(conn, create=True)
        try:
            people = [dict(r._mapping) for r in conn.exec_driver_sql(f"SELECT * FROM {PEOPLE}")]
            events = [dict(r._mapping) for r in conn.exec_driver_sql(f"SELECT * FROM {EVENTS}")]
        finally:
            layout_views(conn, create=False)
            conn.rollback()
    return people, events


def layout_views(conn: Connection, create: bool) -> None:
    """(Re)create, or drop, the temporary people_flat and events_flat views on a store connection."""
    schema = "pg_temp" if conn.dialect.name == "postgresql" else "temp"
    for view in (*HISTORY_COLUMNS, PEOPLE, EVENTS):
        conn.exec_driver_sql(f"DROP VIEW IF EXISTS {schema}.{view}")
    if create:
        for statement in store_views(conn.dialect.name):
            conn.exec_driver_sql(statement)


def _arrow_type(column: str) -> pa.DataType:
    if column == "ts":
        return pa.float64()
    return pa.int64() if column in _INTEGER_COLUMNS else pa.string()
