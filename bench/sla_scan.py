"""SLA scan benchmark: clocks announced per second, and what an idle scan costs beside many open clocks.

Run: `python bench/sla_scan.py [--clocks N] [--postgres URL]`. Prints a table and writes
bench/results/sla_scan.json. For each backend, in a fresh database with examples/sla.yaml in force and N
people each with one open clock of the high-touch policy (4 working hours, a warning an hour before, a
ladder of notify owner → team lead):

- **scan**: every clock's deadline has passed; `sla_scan.scan` runs pass after pass (100 clocks a pass,
  the worker's default) until nothing is due. Each clock is breached and climbs its ladder: one
  `sla.breached` and two `sla.escalated` messages. Clocks per second from the first pass to the last.
- **baseline**: the same breach written set-wise, as a lower bound: one UPDATE of every clock and one
  INSERT … SELECT of one outbox row per clock, in one transaction — no business-time arithmetic, no
  ladder, no per-clock rows read into Python.
- **idle scan**: a scan with N clocks open and none due, the cost the worker pays every 15 seconds
  (the median of 20).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, insert, text

from databases import Databases
from liidi.services import sla, sla_scan
from liidi.services.unit_of_work import UnitOfWork
from liidi.storage import session
from liidi.storage.tables import people, sla_clocks

ROOT = Path(__file__).resolve().parents[1]
HOUR = 3600.0
START = 1_793_000_000.0  # a Monday morning in Helsinki (2026-10-26 08:33 EET)


def seed(engine: Engine, clocks: int, due: float) -> None:
    """N people and one open high-touch clock each, all due at `due`."""
    rows = [
        {"email": f"p{i}@bench{i % 500}.fi", "traits": {}, "created_ts": START, "updated_ts": START}
        for i in range(clocks)
    ]
    with engine.begin() as conn:
        conn.execute(insert(people), rows)
        ids = [r[0] for r in conn.execute(text("SELECT id FROM people ORDER BY id"))]
        conn.execute(insert(sla_clocks), [_clock(pid, due) for pid in ids])


def _clock(person_id: int, due: float) -> dict[str, Any]:
    return {
        "person_id": person_id,
        "policy": "high-touch",
        "sla_version": 1,
        "owner": "mikko@firma.fi",
        "team": "nordics",
        "motion": "high_touch",
        "qualified_by": "score",
        "started_ts": START,
        "due_ts": due,
        "warning_ts": due - HOUR,
        "warned_ts": due - HOUR,
        "escalation_step": 0,
        "status": "open",
        "next_ts": due,
    }


def load_sla(engine: Engine) -> None:
    text_ = (ROOT / "examples" / "sla.yaml").read_text(encoding="utf-8")
    sla.load_sla(UnitOfWork(engine), text=text_, source_name="sla.yaml", author="bench", now=START - HOUR)


def run_scan(engine: Engine, now: float) -> tuple[float, int]:
    """Passes until nothing is due: seconds taken and messages written."""
    new_uow = lambda: UnitOfWork(engine)  # noqa: E731
    written = 0
    began = time.perf_counter()
    while (done := sla_scan.scan(new_uow, now=now)).total:
        written += done.total
    return time.perf_counter() - began, written


def run_baseline(engine: Engine, now: float) -> float:
    """The breach written set-wise: one UPDATE and one INSERT … SELECT."""
    began = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE sla_clocks SET breached_ts = :now, status = 'breached', next_ts = NULL"),
            {"now": now},
        )
        conn.execute(
            text(
                "INSERT INTO outbox (topic, payload, status, created_ts, available_ts, attempts) "
                "SELECT 'sla.breached', '{}', 'pending', :now, :now, 0 FROM sla_clocks"
            ),
            {"now": now},
        )
    return time.perf_counter() - began


def idle_scan(engine: Engine, now: float, runs: int = 20) -> float:
    """The median seconds of a scan that finds nothing due."""
    new_uow = lambda: UnitOfWork(engine)  # noqa: E731
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        assert sla_scan.scan(new_uow, now=now).total == 0
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def measure(kind: str, dbs: Databases, clocks: int) -> dict[str, Any]:
    due = START + 4 * HOUR
    row: dict[str, Any] = {"backend": kind, "clocks": clocks}
    url = dbs.fresh(kind)
    engine = session.make_engine(url)
    load_sla(engine)
    seed(engine, clocks, due)
    row["idle_ms"] = idle_scan(engine, START) * 1000
    row["scan_s"], row["messages"] = run_scan(engine, due + 10 * HOUR)
    engine.dispose()
    base_engine = session.make_engine(dbs.fresh(kind))
    seed(base_engine, clocks, due)
    row["baseline_s"] = run_baseline(base_engine, due + 10 * HOUR)
    base_engine.dispose()
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clocks", type=int, default=20_000, help="open clocks, one per person")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--out", default="bench/results/sla_scan.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        dbs = Databases(args.postgres, Path(tmp))
        try:
            rows = [measure(kind, dbs, args.clocks) for kind in ("sqlite", "postgresql")]
        finally:
            dbs.drop_all()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"results": rows}, indent=1))
    table = Table(
        "backend", "clocks", "baseline", "scan", "scan / baseline", "messages", "idle scan",
        title="SLA scan: every clock breached and escalated",
    )  # fmt: skip
    for r in rows:
        table.add_row(
            r["backend"],
            f"{r['clocks']:,}",
            f"{r['clocks'] / r['baseline_s']:,.0f} clocks/s",
            f"{r['clocks'] / r['scan_s']:,.0f} clocks/s",
            f"{r['baseline_s'] / r['scan_s']:.2f}",
            f"{r['messages']:,}",
            f"{r['idle_ms']:.1f} ms",
        )
    Console().print(table)


if __name__ == "__main__":
    main()
