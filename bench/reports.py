"""Report speed: each report (the funnel's, the weekly pacing review, the planner's measures, waste, target
accounts and marketing value) on DuckDB (Parquet), PostgreSQL and SQLite, against pandas.

Run: `python bench/reports.py [--duckdb 1000000] [--events 10000000] [--postgres 1000000]
[--sqlite 100000] [--only pacing,plan]`. The reports are the funnel's, the weekly pacing review and the
planner's measures (a plan with every rate, the deal size and the lags measured, and a stored plan's
actuals). Synthetic store tables (bench/reports_synth.py) are loaded into a fresh SQLite file
and a fresh PostgreSQL database (COPY), and turned into the Parquet layout for DuckDB by the store's own
view SQL run in DuckDB, with `--events` synthetic events beside them (the funnel reports read none; the
target-account and value reports read them); the stores get as many events per person, written by SQL.
Each report runs through the service (the layout views, the compiled SQL, the engine registry) three
times; the table shows the median seconds, and pandas computing the same funnel and velocity over the
same Parquet files as the baseline. Figures go to docs/benchmarks.md by hand.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine

import reports_synth
from databases import Databases
from liidi.engines.layout import store_views
from liidi.engines.layout_history import HISTORY_COLUMNS
from liidi.services import funnel_reports, pacing, planning, targets, waste_report
from liidi.services.unit_of_work import UnitOfWork

console = Console()
RELATIONS = ("people_flat", "events_flat", *HISTORY_COLUMNS)
REPORTS: dict[str, Callable[..., Any]] = {
    "funnel by lead_tool": lambda uow, **kw: funnel_reports.funnel_report(uow, by="lead_tool", **kw),
    "funnel by cohort": lambda uow, **kw: funnel_reports.funnel_report(uow, by="cohort", **kw),
    "velocity": lambda uow, **kw: funnel_reports.velocity_report(uow, **kw),
    "velocity by owner": lambda uow, **kw: funnel_reports.velocity_report(uow, by="owner", **kw),
    "calibration": lambda uow, **kw: funnel_reports.calibration_report(uow, **kw),
    "mix": lambda uow, **kw: funnel_reports.mix_report(uow, **kw),
    "pacing 8 weeks": lambda uow, **kw: pacing.report(uow, until=LAST_WEEK, now=NOW, **kw),
    "pacing 52 weeks by channel": lambda uow, **kw: pacing.report(
        uow, weeks=52, by="channel", until=LAST_WEEK, now=NOW, **kw
    ),
    "plan, all measured": lambda uow, **kw: planning.make_plan(uow, revenue=100_000, now=NOW, **kw),
    "plan show (actuals)": lambda uow, **kw: planning.show_plan(uow, PERIOD, now=NOW, **kw),
    "waste": lambda uow, **kw: waste_report.waste(uow, now=reports_synth.START + reports_synth.SPAN, **kw),
    "targets": lambda uow, **kw: targets.report(uow, as_of=reports_synth.START + reports_synth.SPAN, **kw),
    "value": lambda uow, **kw: waste_report.value(uow, **kw),
}
LAST_WEEK, PERIOD = "2026-W40", "2026-10"
NOW = reports_synth.START + 700 * reports_synth.DAY
EMPTY = {
    "identities": "id BIGINT, kind TEXT, value TEXT, person_id BIGINT",
    "merges": "id BIGINT, merged_id BIGINT, survivor_id BIGINT, occurred_ts DOUBLE",
}
ICP = """\
icp: bench
industries: [software, finance]
window_days: 90
roles:
  - {name: decision_maker, seniority: [c_level, vp]}
  - {name: champion, seniority: [director]}
  - {name: user, seniority: [manager, individual]}
"""
EVENTS = (
    "'e' || i AS event_id, 'page_view' AS type, (i % {people}) + 1 AS person_id, "
    f"{reports_synth.START} + (i * 7919 % 63072000) AS occurred_ts"
)


def median_seconds(run: Callable[[], Any], times: int = 3) -> float:
    """The median wall time of `times` runs."""
    spent = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        spent.append(time.perf_counter() - start)
    return statistics.median(spent)


def load_sqlite(url: str, tables: dict[str, pd.DataFrame]) -> None:
    """Insert the frames with executemany, one transaction."""
    conn = sqlite3.connect(url.removeprefix("sqlite:///"))
    for name, frame in tables.items():
        cols = ", ".join(frame.columns)
        marks = ", ".join("?" for _ in frame.columns)
        rows = frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None)
        conn.executemany(f"INSERT INTO {name} ({cols}) VALUES ({marks})", rows)
    conn.commit()
    conn.close()


def load_postgres(url: str, tables: dict[str, pd.DataFrame]) -> None:
    """COPY the frames as CSV, then ANALYZE."""
    engine = create_engine(url)
    with engine.connect() as conn:
        raw: Any = conn.connection.driver_connection
        with raw.cursor() as cursor:
            for name, frame in tables.items():
                sql = f"COPY {name} ({', '.join(frame.columns)}) FROM STDIN WITH (FORMAT csv)"
                with cursor.copy(sql) as copy:
                    for start in range(0, len(frame), 200_000):
                        copy.write(frame.iloc[start : start + 200_000].to_csv(index=False, header=False))
            cursor.execute("ANALYZE")
        raw.commit()
    engine.dispose()


def write_layout(directory: Path, tables: dict[str, pd.DataFrame], events: int) -> None:
    """The Parquet layout: the store's view SQL run in DuckDB over the frames, plus synthetic events."""
    conn = duckdb.connect()
    for name, frame in tables.items():
        conn.register(f"{name}_in", frame)
        conn.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_in")
    conn.execute("ALTER TABLE people ADD COLUMN merged_into_id BIGINT")
    for name in ("title", "revenue_band", "country"):
        table = "people" if name == "title" else "accounts"
        conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} TEXT")
    for name, columns in EMPTY.items():
        conn.execute(f"CREATE TABLE {name} ({columns})")
    people = len(tables["people"])
    conn.execute(
        f"""CREATE TABLE events AS SELECT i AS id, {EVENTS.format(people=people)},
        CAST(NULL AS BIGINT) AS account_id, '{{}}' AS properties FROM range({events}) t(i)"""
    )
    for statement in store_views("sqlite"):
        conn.execute(statement.replace("TEMPORARY VIEW", "VIEW"))
    directory.mkdir(parents=True, exist_ok=True)
    for relation in RELATIONS:
        conn.execute(f"COPY (SELECT * FROM {relation}) TO '{directory / relation}.parquet' (FORMAT parquet)")
    conn.close()


def add_events(url: str, people: int, events: int) -> None:
    """The same synthetic events as the layout's, written by the store itself (then ANALYZE)."""
    received = f"{reports_synth.START} AS received_ts, '{{}}' AS properties"
    if url.startswith("sqlite"):
        rows = f"WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i < {events - 1}) "
        rows += f"SELECT {EVENTS.format(people=people)}, {received} FROM r"
    else:
        series = f"generate_series(0, {events - 1}::bigint) t(i)"
        rows = f"SELECT {EVENTS.format(people=people)}, {received} FROM {series}"
        rows = rows.replace("%", "%%")  # psycopg's placeholders
    engine = create_engine(url)
    with engine.begin() as conn:
        columns = "event_id, type, person_id, occurred_ts, received_ts, properties"
        conn.exec_driver_sql(f"INSERT INTO events ({columns}) {rows}")
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def with_icp(url: str) -> UnitOfWork:
    """A unit of work on the store with the bench ICP in force."""
    store = UnitOfWork(create_engine(url))
    targets.load_icp(store, text=ICP, source_name="bench-icp.yaml", author="bench")
    return UnitOfWork(store.engine)


def pandas_baseline(directory: Path) -> dict[str, float]:
    """pandas over the same Parquet files: the funnel by lead tool and the stage and close medians."""

    def funnel() -> None:
        people = pd.read_parquet(directory / "people_flat.parquet", columns=["person_id", "lead_tool"])
        stages = pd.read_parquet(directory / "stages_flat.parquet", columns=["person_id", "to_stage"])
        rank = {s: i for i, s in enumerate(("subscriber", *reports_synth.STAGES))}
        top = stages.assign(r=stages["to_stage"].map(rank)).groupby("person_id")["r"].max()
        people["top"] = people["person_id"].map(top).fillna(0)
        people.groupby("lead_tool")["top"].apply(lambda t: [(t >= k).sum() for k in range(7)])

    def velocity() -> None:
        h = pd.read_parquet(directory / "stages_flat.parquet", columns=["person_id", "to_stage", "ts"])
        h = h.sort_values(["person_id", "ts"])
        h["next"] = h.groupby("person_id")["ts"].shift(-1)
        ((h["next"] - h["ts"]) / 86_400).groupby(h["to_stage"]).median()
        d = pd.read_parquet(directory / "deals_flat.parquet", columns=["created_ts", "closed_ts"])
        ((d["closed_ts"] - d["created_ts"]) / 86_400).median()

    return {"funnel by lead_tool": median_seconds(funnel), "velocity": median_seconds(velocity)}


def time_reports(uow: UnitOfWork, only: list[str], **options: Any) -> dict[str, float]:
    """Median seconds of each report whose name starts with one of `only` (all when empty)."""
    planning.make_plan(uow, revenue=100_000, period=PERIOD, save=True, now=NOW, **options)
    chosen = {n: r for n, r in REPORTS.items() if not only or any(n.startswith(o) for o in only)}
    return {name: median_seconds(lambda run=run: run(uow, **options)) for name, run in chosen.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duckdb", type=int, default=1_000_000, help="people in the Parquet layout")
    parser.add_argument("--events", type=int, default=10_000_000, help="events in the Parquet layout")
    parser.add_argument("--postgres", type=int, default=1_000_000, help="people in PostgreSQL (0: skip)")
    parser.add_argument("--sqlite", type=int, default=100_000, help="people in SQLite (0: skip)")
    parser.add_argument("--only", default="", help="comma-separated report name prefixes (default: all)")
    parser.add_argument("--pg-admin", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    only = [o.strip() for o in args.only.split(",") if o.strip()]
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="liidi-reports-") as tmp:
        databases = Databases(args.pg_admin, Path(tmp))
        try:
            tables = reports_synth.generate(args.duckdb)
            layout = Path(tmp) / "layout"
            start = time.perf_counter()
            write_layout(layout, tables, args.events)
            console.print(f"layout of {args.duckdb:,} people written in {time.perf_counter() - start:.0f} s")
            store = with_icp(databases.fresh("sqlite"))
            results[f"duckdb {args.duckdb:,}"] = time_reports(store, only, engine="duckdb", files=layout)
            results[f"pandas {args.duckdb:,}"] = pandas_baseline(layout)
            for kind, people, load in (
                ("postgresql", args.postgres, load_postgres),
                ("sqlite", args.sqlite, load_sqlite),
            ):
                if not people:
                    continue
                url = databases.fresh(kind)
                start = time.perf_counter()
                load(url, reports_synth.generate(people))
                add_events(url, people, people * args.events // max(args.duckdb, 1))
                console.print(f"{kind}: {people:,} people loaded in {time.perf_counter() - start:.0f} s")
                results[f"{kind} {people:,}"] = time_reports(with_icp(url), only)
        finally:
            databases.drop_all()
    console.print(_table(results))
    return 0


def _table(results: dict[str, dict[str, float]]) -> Table:
    """Seconds per report and engine, and DuckDB's time over pandas' where pandas ran the same report."""
    columns = list(results)
    table = Table("report", *columns, "duckdb ÷ pandas", title="Reports, median seconds of 3")
    duck, panda = columns[0], columns[1]
    for report in [r for r in REPORTS if any(r in results[c] for c in columns)]:
        cells = [f"{results[c][report]:.2f}" if report in results[c] else "" for c in columns]
        both = report in results[panda] and report in results[duck]
        ratio = results[duck][report] / results[panda][report] if both else None
        table.add_row(report, *cells, "" if ratio is None else f"{ratio:.2f}")
    return table


if __name__ == "__main__":
    sys.exit(main())
