"""Scoring benchmark: ingestion with incremental scoring and lifecycle automation on vs off, stage-change
latency, and score-card reads for a person with 10,000 events.

Run: `python bench/scoring.py [--accounts 300] [--months 6] [--backend sqlite|postgresql|both]`. Prints
tables and writes bench/results/scoring.json. The model is examples/scoring.yaml (41 rules, 3 signals).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from databases import Databases
from liidi.demo.generator import generate
from liidi.services import ingest, leads, models
from liidi.services.people import upsert_people
from liidi.services.unit_of_work import UnitOfWork
from liidi.storage import session

ROOT = Path(__file__).resolve().parents[1]
MODEL = (ROOT / "examples" / "scoring.yaml").read_text(encoding="utf-8")
END = datetime(2026, 11, 1, tzinfo=UTC)
DAY = 86400.0


def publish(new_uow: Callable[[], UnitOfWork]) -> None:
    """Publish the example model (nobody to rescore yet)."""
    draft = models.add_draft(new_uow(), text=MODEL, source_name="examples/scoring.yaml", author="bench")
    models.publish(new_uow, name=draft.name, version=draft.version, author="bench")


def demo_batches(
    accounts: int, months: int, batch: int
) -> tuple[list[dict[str, Any]], list[list[dict[str, Any]]]]:
    """The demo market's people and its events in time order, as API batches."""
    ds = generate(accounts=accounts, months=months, seed=7, end=END)
    people = [{"email": p.email, "title": p.title, "account_domain": p.account_domain} for p in ds.people]
    raw = [
        {
            k: v
            for k, v in {
                "id": e.event_id,
                "type": e.type,
                "occurred_at": e.occurred_ts,
                "email": e.email,
                "anonymous_id": e.anonymous_id,
                "properties": e.properties,
            }.items()
            if v is not None
        }
        for e in ds.events
    ]
    return people, [raw[i : i + batch] for i in range(0, len(raw), batch)]


def ingest_run(
    url: str, people: list[dict[str, Any]], batches: list[list[dict[str, Any]]], scored: bool
) -> dict[str, Any]:
    """Events per second through the service layer, scoring on or off."""
    engine = session.make_engine(url)
    new_uow = lambda: UnitOfWork(engine)  # noqa: E731
    upsert_people(new_uow(), records=people, now=END.timestamp() - 400 * DAY)
    if scored:
        publish(new_uow)
    start = time.perf_counter()
    changes = 0
    for batch in batches:
        changes += len(ingest.track_events(new_uow(), events=batch, now=END.timestamp()).stage_changes)
    seconds = time.perf_counter() - start
    engine.dispose()
    n = sum(len(b) for b in batches)
    return {"events": n, "seconds": seconds, "rate": n / seconds, "stage_changes": changes}


def latency_run(url: str, leads_n: int) -> dict[str, float]:
    """Seconds from receiving the event that qualifies a lead to the committed stage change (p50, p99)."""
    engine = session.make_engine(url)
    new_uow = lambda: UnitOfWork(engine)  # noqa: E731
    publish(new_uow)
    now = END.timestamp()
    warm = []
    for i in range(leads_n):
        who = f"cio{i}@kivikoski{i % 50}.fi"
        warm += [
            {
                "id": f"w{i}-{k}",
                "type": "page_view",
                "email": who,
                "occurred_at": now - (5 - k) * 3600,
                "properties": {"path": "/palvelut/pilvi/hinnat", "service": "pilvi"},
            }
            for k in range(3)
        ]
        warm.append({"id": f"w{i}-c", "type": "email_click", "email": who, "occurred_at": now - 1800})
    for i in range(0, len(warm), 500):
        ingest.track_events(new_uow(), events=warm[i : i + 500], now=now)
    timings, changed = [], 0
    for i in range(leads_n):
        event = {
            "id": f"q{i}",
            "type": "demo_request",
            "email": f"cio{i}@kivikoski{i % 50}.fi",
            "occurred_at": now,
        }
        start = time.perf_counter()
        result = ingest.track_events(new_uow(), events=[event], now=now)
        timings.append(time.perf_counter() - start)
        changed += len(result.stage_changes)
    engine.dispose()
    q = statistics.quantiles(timings, n=100)
    return {"p50_ms": q[49] * 1000, "p99_ms": q[98] * 1000, "stage_changes": changed, "leads": leads_n}


def read_run(url: str, n_events: int, reads: int) -> dict[str, float]:
    """Score-card read time for one person with n_events events (p50, p99)."""
    engine = session.make_engine(url)
    new_uow = lambda: UnitOfWork(engine)  # noqa: E731
    publish(new_uow)
    now = END.timestamp()
    kinds = ["page_view"] * 6 + ["email_open", "email_click", "download", "ad_click"]
    paths = ["/palvelut/pilvi/hinnat", "/blogi/ai", "/referenssit/x", "/", "/palvelut/tietoturva"]
    events = [
        {
            "id": f"h{i}",
            "type": kinds[i % len(kinds)],
            "email": "heavy@kivikoski.fi",
            "occurred_at": now - (n_events - i) * 600,
            "properties": {"path": paths[i % len(paths)], "topic": "cloud"},
        }
        for i in range(n_events)
    ]
    for i in range(0, n_events, 500):
        ingest.track_events(new_uow(), events=events[i : i + 500], now=now)
    with new_uow() as uow:
        pid = uow.identities.person_for("email", "heavy@kivikoski.fi")
    assert pid is not None
    timings = []
    for _ in range(reads):
        start = time.perf_counter()
        leads.person_cards(new_uow(), person_id=pid, as_of=now)
        timings.append(time.perf_counter() - start)
    engine.dispose()
    q = statistics.quantiles(timings, n=100)
    return {"events": n_events, "p50_ms": q[49] * 1000, "p99_ms": q[98] * 1000, "reads": reads}


def main() -> None:
    parser = argparse.ArgumentParser(description="scoring benchmark")
    parser.add_argument("--accounts", type=int, default=300)
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--leads", type=int, default=200)
    parser.add_argument("--heavy", type=int, default=10_000)
    parser.add_argument("--backend", default="both", choices=["sqlite", "postgresql", "both"])
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--out", default="bench/results/scoring.json")
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    people, batches = demo_batches(args.accounts, args.months, args.batch)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        dbs = Databases(args.postgres, Path(tmp))
        for kind in kinds:
            off = ingest_run(dbs.fresh(kind), people, batches, scored=False)
            on = ingest_run(dbs.fresh(kind), people, batches, scored=True)
            results[kind] = {
                "unscored": off,
                "scored": on,
                "ratio": on["rate"] / off["rate"],
                "latency": latency_run(dbs.fresh(kind), args.leads),
                "read": read_run(dbs.fresh(kind), args.heavy, 20),
            }
        dbs.drop_all()
    show(results, args)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=1))


def show(results: dict[str, Any], args: argparse.Namespace) -> None:
    """Print the three tables."""
    console = Console()
    table = Table(
        "backend",
        "events",
        "unscored ev/s",
        "scored ev/s",
        "ratio",
        "MQLs made",
        title=f"Ingestion of the demo market ({args.accounts} accounts × {args.months} months)",
    )
    for kind, r in results.items():
        table.add_row(
            kind,
            str(r["unscored"]["events"]),
            f"{r['unscored']['rate']:,.0f}",
            f"{r['scored']['rate']:,.0f}",
            f"{r['ratio']:.2f}",
            str(r["scored"]["stage_changes"]),
        )
    console.print(table)
    table = Table(
        "backend",
        "leads",
        "p50 ms",
        "p99 ms",
        "read p50 ms",
        "read p99 ms",
        "events",
        title="Event received → stage change committed; score card read",
    )
    for kind, r in results.items():
        lat, read = r["latency"], r["read"]
        table.add_row(
            kind,
            str(lat["leads"]),
            f"{lat['p50_ms']:.1f}",
            f"{lat['p99_ms']:.1f}",
            f"{read['p50_ms']:.1f}",
            f"{read['p99_ms']:.1f}",
            str(read["events"]),
        )
    console.print(table)


if __name__ == "__main__":
    main()
