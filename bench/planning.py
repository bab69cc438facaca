"""Planner benchmark: seconds to measure the funnel (rates, lags, deal size) and a period's actuals.

Run: `python bench/planning.py [--people N] [--sqlite-people N] [--postgres URL]`. Fills a fresh database
per backend with set-based SQL (people, about 1.6 dated stage changes and 0.08 deals a person), then times
`make_plan` with every rate measured and `show_plan` for one month, best of three. Prints a table and
writes bench/results/planning.json. The aim is ≤ 2 s for 1M people on PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, text

from databases import Databases
from liidi.services import planning
from liidi.services.unit_of_work import UnitOfWork

START = 1_735_689_600  # 2025-01-01
DAY = 86_400
NOW = START + 400 * DAY
# One row per person i (numbers 1..n); every stage a function of i, so both backends hold the same data.
PEOPLE = (
    "INSERT INTO people (id, email, lifecycle_stage, traits, created_ts, updated_ts) "
    "SELECT i, 'p' || i || '@bench.example', 'lead', '{{}}', {start}, {start} FROM ({numbers}) AS n"
)
LEAD = f"{START} + (((i % 1000) * 7919) % 365) * {DAY}"
SAL = f"{LEAD} + ((i % 29) + 1) * {DAY}"
OPPORTUNITY = f"{SAL} + ((i % 17) + 1) * {DAY}"
HISTORY = [
    ("lead", LEAD, "1 = 1"),
    ("sal", SAL, "i % 3 = 0"),
    ("sql", f"{SAL} + 5 * {DAY}", "i % 6 = 0"),
    ("opportunity", OPPORTUNITY, "i % 12 = 0"),
]
DEALS = (
    "INSERT INTO opportunities (person_id, name, stage, amount, currency, created_ts, closed_ts) "
    "SELECT i, 'deal ' || i, CASE WHEN i % 24 = 0 THEN 'won' WHEN i % 36 = 0 THEN 'lost' ELSE 'open' END, "
    "(i % 50 + 1) * 1000.0, 'EUR', {created}, CASE WHEN i % 24 = 0 OR i % 36 = 0 "
    "THEN {created} + ((i % 60) + 1) * {day} END FROM ({numbers}) AS n WHERE i % 12 = 0"
)


def numbers(kind: str, n: int) -> str:
    """A subquery of the numbers 1..n as column i."""
    if kind == "postgresql":
        return f"SELECT generate_series(1, {n}) AS i"
    return f"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) SELECT i FROM s"


def fill(url: str, kind: str, n: int) -> int:
    """People, their dated stage changes and deals; the number of history rows."""
    rows = numbers(kind, n)
    with create_engine(url).begin() as conn:
        conn.execute(text(PEOPLE.format(start=START, numbers=rows)))
        for stage, ts, when in HISTORY:
            conn.execute(
                text(
                    "INSERT INTO lifecycle_history (person_id, to_stage, occurred_ts, actor) "
                    f"SELECT i, '{stage}', {ts}, 'bench' FROM ({rows}) AS n WHERE {when}"
                )
            )
        conn.execute(text(DEALS.format(created=OPPORTUNITY, day=DAY, numbers=rows)))
        if kind == "postgresql":
            conn.execute(text("ANALYZE"))
        return int(conn.execute(text("SELECT count(*) FROM lifecycle_history")).scalar_one())


def best_of(runs: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of `runs` timings and the last result."""
    best, result = float("inf"), None
    for _ in range(runs):
        began = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - began)
    return best, result


def run(url: str, kind: str, n: int) -> dict[str, Any]:
    """Fill, then time the plan with every rate measured and the actuals of one month."""
    began = time.perf_counter()
    history_rows = fill(url, kind, n)
    filled = time.perf_counter() - began
    engine = create_engine(url)
    uow = UnitOfWork(engine)
    plan_s, planned = best_of(
        3, lambda: planning.make_plan(uow, revenue=1_000_000, period="2026-02", now=NOW)
    )
    planning.make_plan(uow, revenue=1_000_000, period="2025-06", save=True, now=NOW)
    show_s, _ = best_of(3, lambda: planning.show_plan(uow, "2025-06", now=NOW))
    engine.dispose()
    data = planned.plan.as_dict()
    return {
        "backend": kind,
        "people": n,
        "history_rows": history_rows,
        "fill_s": round(filled, 1),
        "plan_s": round(plan_s, 3),
        "show_s": round(show_s, 3),
        "contacts": data["contacts"],
        "win_rate": data["rates"]["win_rate"]["fraction"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1_000_000, help="People on PostgreSQL.")
    parser.add_argument("--sqlite-people", type=int, default=100_000, help="People on SQLite.")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        dbs = Databases(args.postgres, Path(tmp))
        try:
            for kind, n in (("sqlite", args.sqlite_people), ("postgresql", args.people)):
                results.append(run(dbs.fresh(kind), kind, n))
        finally:
            dbs.drop_all()
    table = Table(title="liidi plan: measures from history")
    for column in results[0]:
        table.add_column(column, justify="right")
    for row in results:
        table.add_row(*(f"{v:,}" if isinstance(v, int) else str(v) for v in row.values()))
    Console().print(table)
    out = Path(__file__).parent / "results" / "planning.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
