"""Report benchmark: the waste, target-account and marketing-value reports on SQLite and PostgreSQL.

Run: `python bench/analytics_reports.py [--people 100000] [--events-per-person 10]
[--backends sqlite,postgresql]`.
A synthetic store (bench/analytics_synth.py: a tenth as many accounts, a third of the people handed over,
deals, two touches a person, SLA clocks, merges, events) is written into a fresh migrated database of each
backend; each report runs through its service (the SQL where the data lives), best of three, against the
baseline measured in the same run: pandas reading the same tables and computing the same figures
(bench/analytics_pandas.py). Prints a table of seconds and the ratio.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import analytics_pandas as baseline
from analytics_synth import DAY, END, tables, write
from databases import Databases
from liidi.services import targets, waste_report
from liidi.services.unit_of_work import UnitOfWork
from liidi.storage import session

ICP = (Path(__file__).resolve().parents[1] / "examples" / "icp.yaml").read_text(encoding="utf-8")
SINCE, UNTIL = END - 180 * DAY, END
ROLES = [
    {"name": "decision_maker", "seniority": ["c_level", "vp"]},
    {"name": "champion", "role": ["influencer"], "seniority": ["director", "manager"]},
    {"name": "finance", "title": ["cfo", "finance", "talous", "controller"]},
    {
        "name": "technical",
        "title": ["cto", "cio", "it", "architect", "engineer", "tietohallinto", "arkkitehti"],
    },
    {"name": "user", "role": ["user"]},
]


def best(work: Callable[[], Any], runs: int = 3) -> float:
    """The fastest of `runs` timings, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def run(url: str, people: int, per_person: int) -> dict[str, tuple[float, float]]:
    """Seconds of each report by SQL and by pandas (read + compute) on one backend."""
    engine = session.make_engine(url)
    data = tables(people, events_per_person=per_person)
    start = time.perf_counter()
    write(engine, data)
    print(
        f"  wrote {sum(len(f) for f in data.values()):,} rows in {time.perf_counter() - start:.1f} s",
        flush=True,
    )
    targets.load_icp(UnitOfWork(engine), text=ICP, source_name="icp.yaml", author="bench", now=END)
    frames: dict[str, Any] = {}
    read = best(lambda: frames.update(baseline.read(engine)), runs=1)
    found = {
        "waste": (
            best(lambda: waste_report.waste(UnitOfWork(engine), since=SINCE, until=UNTIL, now=END)),
            read + best(lambda: baseline.waste(frames, SINCE, UNTIL, END), runs=1),
        ),
        "targets": (
            best(lambda: targets.report(UnitOfWork(engine), as_of=END)),
            read + best(lambda: baseline.targets(frames, ROLES, END, 90), runs=1),
        ),
        "value": (
            best(lambda: waste_report.value(UnitOfWork(engine), since=SINCE, until=UNTIL)),
            read + best(lambda: baseline.value(frames, ROLES[0], SINCE, UNTIL, 180), runs=1),
        ),
    }
    engine.dispose()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--events-per-person", type=int, default=10)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-admin", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        dbs = Databases(args.pg_admin, Path(tmp))
        try:
            for kind in args.backends.split(","):
                print(
                    f"{kind}: {args.people:,} people, {args.people * args.events_per_person:,} events",
                    flush=True,
                )
                for report, (sql, pandas) in run(
                    dbs.fresh(kind), args.people, args.events_per_person
                ).items():
                    rows.append((kind, report, sql, pandas))
        finally:
            dbs.drop_all()
    print(f"\n{'backend':<11} {'report':<8} {'SQL s':>8} {'pandas s':>9} {'pandas/SQL':>11}")
    for kind, report, sql, pandas in rows:
        print(f"{kind:<11} {report:<8} {sql:>8.3f} {pandas:>9.3f} {pandas / sql:>10.1f}×")


if __name__ == "__main__":
    main()
