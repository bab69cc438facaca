"""Spark batch engine: the compiled model run by Spark SQL over Parquet, Delta or JDBC tables."""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from liidi.engines.batch import BatchRow
from liidi.engines.layout import EVENTS, PEOPLE, columns
from liidi.errors import ConfigError, NotFound

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped]
    from pyspark.sql import DataFrame, SparkSession

    from liidi.domain.scoring import ScoringModel

INSTALL_HINT = "PySpark is not installed; install it with: pip install 'liidi[spark]'"
FORMATS = ("parquet", "delta", "jdbc")
JDBC_DRIVERS = {
    "jdbc:postgresql:": "org.postgresql.Driver",
    "jdbc:sqlite:": "org.sqlite.JDBC",
    "jdbc:mysql:": "com.mysql.cj.jdbc.Driver",
}


def require_pyspark() -> None:
    """Raise a one-line ConfigError naming the extra when PySpark is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise ConfigError(INSTALL_HINT) from None


def spark_session(
    master: str = "local[2]",
    *,
    shuffle_partitions: int = 2,
    config: Mapping[str, str] | None = None,
) -> SparkSession:
    """A SparkSession for batch scoring: UI and console progress off, UTC, few shuffle partitions."""
    require_pyspark()
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(master).appName("liidi-score")
    settings = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": str(shuffle_partitions),
        "spark.sql.session.timeZone": "UTC",
    } | dict(config or {})
    for key, value in settings.items():
        builder = builder.config(key, value)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # PySpark's notice about pandas 3
        session = builder.getOrCreate()
    session.conf.set("spark.sql.shuffle.partitions", str(shuffle_partitions))
    session.sparkContext.setLogLevel("ERROR")
    return session


@dataclass(frozen=True, slots=True)
class SparkSource:
    """Where people_flat and events_flat come from: a Parquet directory, Delta tables or JDBC tables."""

    location: str
    format: str = "auto"
    tables: tuple[str, str] = (PEOPLE, EVENTS)
    options: Mapping[str, str] = field(default_factory=dict)

    def resolved(self) -> tuple[str, str]:
        """(format, location): 'jdbc:' URLs are JDBC, 'delta:' or a directory with a _delta_log is Delta."""
        if self.format != "auto":
            if self.format not in FORMATS:
                raise ConfigError(f"unknown source format {self.format!r}; use one of {', '.join(FORMATS)}")
            return self.format, self.location
        if self.location.startswith("jdbc:"):
            return "jdbc", self.location
        if self.location.startswith("delta:"):
            return "delta", self.location.removeprefix("delta:")
        if (Path(self.location) / self.tables[0] / "_delta_log").is_dir():
            return "delta", self.location
        return "parquet", self.location


def register_views(spark: SparkSession, source: SparkSource) -> None:
    """Register people_flat and events_flat as temporary views over the source."""
    kind, location = source.resolved()
    for view, table in zip((PEOPLE, EVENTS), source.tables, strict=True):
        frame = _read(spark, kind, location, table, source.options)
        missing = [c for c in columns(view) if c not in frame.columns]
        if missing:
            raise ConfigError(
                f"{table} in {location} has no column {', '.join(missing)} "
                "(export it again with: liidi export events --parquet DIR)"
            )
        frame.createOrReplaceTempView(view)


def _read(spark: SparkSession, kind: str, location: str, table: str, options: Mapping[str, str]) -> DataFrame:
    """One relation as a DataFrame, with Spark's failures turned into one-line liidi errors."""
    base = location.rstrip("/")
    try:
        if kind == "jdbc":
            driver = next((d for prefix, d in JDBC_DRIVERS.items() if location.startswith(prefix)), None)
            extra = {"driver": driver} if driver else {}
            reader = spark.read.format("jdbc").options(url=location, dbtable=table, **extra)
            return reader.options(**options).load()
        if kind == "delta":
            return spark.read.format("delta").options(**options).load(f"{base}/{table}")
        return spark.read.options(**options).parquet(f"{base}/{table}.parquet")
    except Exception as error:
        raise _translated(error, kind, location, table) from None


def _translated(error: Exception, kind: str, location: str, table: str) -> Exception:
    text = str(error)
    if "PATH_NOT_FOUND" in text:
        suffix = "" if kind == "delta" else ".parquet"
        return NotFound(
            f"no {table}{suffix} in {location} (write it with: liidi export events --parquet DIR)"
        )
    if "DATA_SOURCE_NOT_FOUND" in text and kind == "delta":
        return ConfigError(
            "Delta Lake is not available to this Spark session: pip install delta-spark and start Spark "
            "with its package (--conf spark.jars.packages=io.delta:delta-spark_2.13:<version>)"
        )
    if "No suitable driver" in text or "ClassNotFoundException" in text:
        return ConfigError(
            f"no JDBC driver for {location} on Spark's classpath (--conf spark.jars=DRIVER.jar)"
        )
    first = text.strip().splitlines()[0] if text.strip() else type(error).__name__
    return ConfigError(f"Spark cannot read {table} from {location}: {first}")


class SparkEngine:
    """Scores everyone with Spark SQL; the compiled model is the same one DuckDB and the stores run."""

    name = "spark"

    def __init__(
        self,
        source: SparkSource | str,
        *,
        master: str = "local[2]",
        shuffle_partitions: int = 2,
        config: Mapping[str, str] | None = None,
        session: SparkSession | None = None,
    ) -> None:
        self.source = source if isinstance(source, SparkSource) else SparkSource(source)
        require_pyspark()
        from pyspark.sql import SparkSession

        # Stop on exit only a session made here, never one the caller (or a notebook) already had.
        self.owned = session is None and SparkSession.getActiveSession() is None
        self.spark = session or spark_session(master, shuffle_partitions=shuffle_partitions, config=config)
        if session is not None:
            self.spark.conf.set("spark.sql.shuffle.partitions", str(shuffle_partitions))
        register_views(self.spark, self.source)

    def score_many(self, model: ScoringModel, as_of: Sequence[float]) -> dict[float, list[BatchRow]]:
        """Rows per as-of moment, ordered by person_id."""
        return {t: rows_from_arrow(self.arrow(model, t)) for t in as_of}

    def arrow(self, model: ScoringModel, as_of: float) -> pa.Table:
        """The compiled model's result as of one moment, as an Arrow table."""
        from liidi.engines.compile import compile_model

        sql = compile_model(model, dialect="spark", as_of_ts=as_of, people=PEOPLE, events=EVENTS)
        return self.spark.sql(sql).toArrow()

    def stop(self) -> None:
        """Stop the Spark session if this engine started it."""
        if self.owned:
            self.spark.stop()


def rows_from_arrow(table: pa.Table) -> list[BatchRow]:
    """BatchRows from a compiled model's Arrow result (the same conversion as the SQL engines)."""
    from liidi.engines.sql import batch_rows

    names = table.column_names
    return batch_rows(names, zip(*(table.column(n).to_pylist() for n in names), strict=True))


@contextmanager
def spark_engine(source: SparkSource | str, **kwargs: Any) -> Iterator[SparkEngine]:
    """A SparkEngine whose session is stopped on exit."""
    engine = SparkEngine(source, **kwargs)
    try:
        yield engine
    finally:
        engine.stop()
