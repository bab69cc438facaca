"""Funnel, velocity, sourced-mix and score-calibration reports, run by a batch engine where the data lives.

The store's own database answers by default (SQLite or PostgreSQL); DuckDB reads a layout directory
written by `liidi export events` and `liidi export history`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from liidi.analytics import calibration, funnel, velocity
from liidi.analytics.report_query import ENGINES, PERSON_DIMENSIONS, invalid, run_report
from liidi.engines.layout import PEOPLE, parquet_path
from liidi.engines.layout_history import FUNNEL_RELATIONS, SCORES
from liidi.engines.registry import Source
from liidi.services.unit_of_work import UnitOfWork

DIMENSIONS = PERSON_DIMENSIONS
MAX_BAND = 1e9
FUNNEL_FILES = (PEOPLE, *FUNNEL_RELATIONS)
_STORE_ENGINES = {"sqlite": "sqlite", "postgresql": "postgres"}


def report_source(
    uow: UnitOfWork, engine: str | None, files: Path | None, wanted: Sequence[str] = FUNNEL_FILES
) -> tuple[Source, str]:
    """Where the engine reads and the engine's name, or ValidationFailed naming what is wrong (for
    DuckDB, the first of the `wanted` relations missing from the layout directory)."""
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
    missing = [r for r in wanted if not parquet_path(files, r).is_file()]
    if missing:
        reason = f"has no {missing[0]}.parquet; write it with `liidi export history --parquet DIR`"
        raise invalid("parquet", str(files), reason)
    return Source(files=str(files)), name


def _check(by: str | None, since: float | None, until: float | None) -> None:
    if by is not None and by not in DIMENSIONS:
        raise invalid("by", by, f"must be one of {', '.join(DIMENSIONS)}")
    for field, value in (("since", since), ("until", until)):
        if value is not None and not math.isfinite(value):
            raise invalid(field, value, "must be a finite moment")
    if since is not None and until is not None and until <= since:
        raise invalid("until", until, "must be after since")


def funnel_report(
    uow: UnitOfWork,
    *,
    by: str | None = None,
    since: float | None = None,
    until: float | None = None,
    engine: str | None = None,
    files: Path | None = None,
) -> funnel.FunnelReport:
    """People arrived in [since, until) per group and the stages they reached; deals created then."""
    _check(by, since, until)
    source, name = report_source(uow, engine, files)
    statements = [funnel.stages_sql(by, since, until), funnel.deals_sql(by, since, until)]
    results = run_report(source, name, statements)
    return funnel.funnel_report(results, by=by, since=since, until=until, engine=name)


def velocity_report(
    uow: UnitOfWork,
    *,
    by: str | None = None,
    since: float | None = None,
    until: float | None = None,
    engine: str | None = None,
    files: Path | None = None,
) -> velocity.VelocityReport:
    """Days in each stage, to the first touch and to close, per group, for what started in the window."""
    _check(by, since, until)
    source, name = report_source(uow, engine, files)
    statements = [velocity.velocity_sql(by, since, until), velocity.untouched_sql(by, since, until)]
    results = run_report(source, name, statements)
    return velocity.velocity_report(results, by=by, since=since, until=until, engine=name)


def calibration_report(
    uow: UnitOfWork,
    *,
    model: str | None = None,
    as_of: float | None = None,
    band: float = 20.0,
    engine: str | None = None,
    files: Path | None = None,
) -> calibration.CalibrationReport:
    """Conversion after each model's latest batch run (at or before as_of) by score band and grade."""
    if not math.isfinite(band) or not 0 < band <= MAX_BAND:
        raise invalid("band", band, f"must be a number above 0 and at most {MAX_BAND:g}")
    if as_of is not None and not math.isfinite(as_of):
        raise invalid("as_of", as_of, "must be a finite moment")
    if model is not None and (not model.strip() or "\x00" in model or len(model) > 100):
        raise invalid("model", model, "must be a model name of 1 to 100 characters")
    source, name = report_source(uow, engine, files)
    if name == "duckdb" and files is not None and not parquet_path(files, SCORES).is_file():
        raise invalid("parquet", str(files), f"has no {SCORES}.parquet; run `liidi export history`")
    statements = [calibration.calibration_sql(model, as_of, band, g) for g in (False, True)]
    results = run_report(source, name, statements)
    return calibration.calibration_report(results, model=model, as_of=as_of, band=band, engine=name)


def mix_report(
    uow: UnitOfWork,
    *,
    since: float | None = None,
    until: float | None = None,
    engine: str | None = None,
    files: Path | None = None,
) -> list[dict[str, object]]:
    """The sourced mix: the funnel by sourced_by as each side's share of people, opportunities and wins."""
    report = funnel_report(uow, by="sourced_by", since=since, until=until, engine=engine, files=files)
    return funnel.mix(report)
