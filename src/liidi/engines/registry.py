"""The batch engines by name: what each reads and how to open it; DuckDB and Spark are imported on open."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from liidi.engines.batch import BatchEngine, ReferenceEngine

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from liidi.domain.accounts import Account
    from liidi.domain.events import Event
    from liidi.domain.people import Person

Reads = Literal["store", "files", "people"]
"""'store': SQL over the store's database; 'files': the Parquet layout; 'people': people loaded in memory."""


@dataclass(frozen=True, slots=True)
class SparkOptions:
    """How to reach Spark: master URL, shuffle partitions, extra configuration, JDBC tables."""

    master: str = "local[2]"
    shuffle_partitions: int = 2
    config: Mapping[str, str] = field(default_factory=dict)
    tables: tuple[str, str] = ("people_flat", "events_flat")


@dataclass(frozen=True, slots=True)
class Source:
    """What an engine reads: the store's database, a layout directory or URI, or people already loaded."""

    store: Engine | None = None
    files: str | None = None
    spark: SparkOptions = field(default_factory=SparkOptions)
    people: Mapping[int, tuple[Person, Account | None]] = field(default_factory=dict)
    events: Mapping[int, Sequence[Event]] = field(default_factory=dict)
    external_ids: Mapping[int, str] = field(default_factory=dict)


Opener = Callable[[Source], AbstractContextManager[BatchEngine]]


@dataclass(frozen=True, slots=True)
class Runner:
    """A named engine: what it reads, the database dialect or package it needs, and how to open it."""

    name: str
    reads: Reads
    open: Opener
    dialect: str | None = None
    package: str | None = None
    install: str = ""

    def available(self) -> bool:
        """True when the package the engine needs is installed."""
        return self.package is None or importlib.util.find_spec(self.package) is not None

    def missing(self) -> str:
        """Why the engine is not available here, and how to install what it needs."""
        return f"needs {self.package}" + (f"; install it with: {self.install}" if self.install else "")


@contextmanager
def _sqlite(source: Source) -> Iterator[BatchEngine]:
    from liidi.engines.sql import SqliteEngine

    assert source.store is not None
    yield SqliteEngine(source.store)


@contextmanager
def _postgres(source: Source) -> Iterator[BatchEngine]:
    from liidi.engines.sql import PostgresEngine

    assert source.store is not None
    yield PostgresEngine(source.store)


@contextmanager
def _duckdb(source: Source) -> Iterator[BatchEngine]:
    from liidi.engines.sql import DuckDBEngine

    assert source.files is not None
    engine = DuckDBEngine.from_parquet(source.files)
    try:
        yield engine
    finally:
        engine.conn.close()


@contextmanager
def _spark(source: Source) -> Iterator[BatchEngine]:
    from liidi.engines.spark import SparkSource, spark_engine

    assert source.files is not None
    options = source.spark
    where = SparkSource(source.files, tables=options.tables)
    with spark_engine(
        where,
        master=options.master,
        shuffle_partitions=options.shuffle_partitions,
        config=dict(options.config),
    ) as engine:
        yield engine


@contextmanager
def _reference(source: Source) -> Iterator[BatchEngine]:
    yield ReferenceEngine(source.people, source.events, external_ids=source.external_ids)


RUNNERS: dict[str, Runner] = {
    runner.name: runner
    for runner in (
        Runner("reference", "people", _reference),
        Runner("sqlite", "store", _sqlite, dialect="sqlite"),
        Runner("postgres", "store", _postgres, dialect="postgresql"),
        Runner("duckdb", "files", _duckdb, package="duckdb"),
        Runner("spark", "files", _spark, package="pyspark", install="pip install 'liidi[spark]'"),
    )
}


def names(*reads: Reads) -> list[str]:
    """The engine names, in registration order; only those reading one of `reads` when given."""
    return [name for name, runner in RUNNERS.items() if not reads or runner.reads in reads]


def register(runner: Runner) -> None:
    """Make an engine available by name (a plug-in, or a test double)."""
    RUNNERS[runner.name] = runner
