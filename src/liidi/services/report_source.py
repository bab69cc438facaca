"""Where a report's queries run: the store's own database, or DuckDB over an exported layout directory."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from liidi.analytics.report_query import ENGINES, invalid
from liidi.engines.layout import PEOPLE, parquet_path
from liidi.engines.layout_history import FUNNEL_RELATIONS
from liidi.engines.registry import Source
from liidi.services.unit_of_work import UnitOfWork

_STORE_ENGINES = {"sqlite": "sqlite", "postgresql": "postgres"}


def report_source(
    uow: UnitOfWork, engine: str | None, files: Path | None, wanted: Sequence[str] | None = None
) -> tuple[Source, str]:
    """Where the engine reads and the engine's name, or ValidationFailed naming what is wrong (for DuckDB,
    the first of the `wanted` relations, by default the people and the history, missing from the
    layout directory)."""
    store = _STORE_ENGINES.get(uow.engine.dialect.name, "sqlite")
    name = engine or ("duckdb" if files is not None else store)
    if name not in ENGINES:
        raise invalid("engine", name, f"must be one of {', '.join(ENGINES)}")
    if name != "duckdb":
        if name != store:
            raise invalid("engine", name, f"the store is {store}; use {store}, or duckdb with a layout")
        return Source(store=uow.engine), name
    if files is None:
        raise invalid("parquet", None, "duckdb reads a layout directory; give one")
    needed = wanted if wanted is not None else (PEOPLE, *FUNNEL_RELATIONS)
    missing = [r for r in needed if not parquet_path(files, r).is_file()]
    if missing:
        reason = f"has no {missing[0]}.parquet; write it with `liidi export history --parquet DIR`"
        raise invalid("parquet", str(files), reason)
    return Source(files=str(files)), name
