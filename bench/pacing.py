"""The weekly review and a playbook pass on a synthetic store: seconds per report, SQLite and PostgreSQL.

People are spread over a year with a first-touch channel, lead tool and sourcing; a share of them move
lead → mql → sal → sql on later days, and some have meeting touches. Rows go in with one executemany per
table (no services), then the report runs through its service, as the CLI and the API run it.

    python bench/pacing.py --people 100000 --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, text

from databases import Databases
from liidi.services import pacing, playbooks
from liidi.services.unit_of_work import UnitOfWork
from liidi.storage.session import make_engine
from liidi.storage.tables import lifecycle_history, people, touches

DAY = 86400.0
NOW = 1_796_212_800.0  # 2026-12-02 12:00 UTC
CHANNELS = ("organic_search", "direct", "paid_search", "linkedin_ads", "referral", "email")
TOOLS = ("download", "newsletter", "event", "contact_form", "trial_signup", "outbound_list")
STAGES = ("lead", "mql", "sal", "sql")
PLAN = """\
pacing: bench
targets: {leads: 2000, mqls: 600, sals: 200, meetings: 120}
playbooks:
  - name: baseline
    when: {metric: mqls, below: 1, where: {channel: [organic_search, paid_search, email]}}
    then: {action: start_outbound, contacts_per_day: 30}
"""


def _rows(n: int, seed: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """People, stage changes and meeting touches (ids 1…n)."""
    rng = random.Random(seed)
    folks, changes, meetings = [], [], []
    for pid in range(1, n + 1):
        created = NOW - rng.uniform(0, 365) * DAY
        folks.append(
            {
                "id": pid,
                "email": f"p{pid}@bench.example",
                "lead_tool": rng.choice(TOOLS),
                "channel": rng.choice(CHANNELS),
                "sourced_by": rng.choice(("marketing", "marketing", "sales")),
                "lifecycle_stage": "lead",
                "traits": {},
                "created_ts": created,
                "updated_ts": created,
            }
        )
        at, before = created, "subscriber"
        for stage in STAGES[: rng.choice((1, 1, 1, 2, 2, 3, 4))]:
            at += rng.uniform(0, 20) * DAY
            changes.append(
                {"person_id": pid, "from_stage": before, "to_stage": stage, "occurred_ts": at, "actor": "b"}
            )
            before = stage
        if rng.random() < 0.05:
            meetings.append(
                {
                    "person_id": pid,
                    "kind": "meeting",
                    "occurred_ts": at + DAY,
                    "source": "rep",
                    "created_ts": at,
                }
            )
    return folks, changes, meetings


def _load(engine: Engine, n: int) -> int:
    """Insert the synthetic rows; how many rows in all."""
    folks, changes, meetings = _rows(n, 7)
    with engine.begin() as conn:
        for table, rows in ((people, folks), (lifecycle_history, changes), (touches, meetings)):
            for start in range(0, len(rows), 10_000):
                conn.execute(insert(table), rows[start : start + 10_000])
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))  # the planner's statistics, as a live store has them
    return len(folks) + len(changes) + len(meetings)


def _timed(work: Callable[[], object], repeat: int = 3) -> float:
    """The best of `repeat` runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def run(url: str, kind: str, n: int) -> None:
    """Load, then time each report on one database."""
    engine = make_engine(url)
    start = time.perf_counter()
    rows = _load(engine, n)
    print(f"{kind}: {n:,} people, {rows:,} rows loaded in {time.perf_counter() - start:.1f} s")

    def new_uow() -> UnitOfWork:
        return UnitOfWork(engine)

    pacing.load_plan(new_uow(), text=PLAN, source_name="bench", author="bench", now=NOW)
    cases: list[tuple[str, Callable[[], object]]] = [
        ("report --weeks 8", lambda: pacing.report(new_uow(), weeks=8, now=NOW)),
        ("report --weeks 52", lambda: pacing.report(new_uow(), weeks=52, now=NOW)),
        ("report --weeks 8 --by channel", lambda: pacing.report(new_uow(), weeks=8, by="channel", now=NOW)),
        ("playbook pass (count)", lambda: playbooks.run(new_uow, now=NOW)),
    ]
    for label, work in cases:
        print(f"  {label:<32} {_timed(work):7.3f} s")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--postgres", help="An admin URL; a fresh database is created and dropped.")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        dbs = Databases(args.postgres or "", Path(tmp))
        try:
            kinds = [k for k in ("sqlite", "postgresql") if args.only in (None, k)]
            for kind in kinds:
                if kind == "postgresql" and not args.postgres:
                    continue
                run(dbs.fresh(kind), kind, args.people)
        finally:
            dbs.drop_all()


if __name__ == "__main__":
    main()
