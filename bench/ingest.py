"""Ingestion benchmark: events per second via the service layer and via HTTP, against raw bulk inserts.

Run: `python bench/ingest.py [--events N] [--batch 500] [--postgres URL]`. Prints a table and writes
bench/results/ingest.json. The floor is the same rows inserted with one executemany per batch on the same
database in the same run; the ratio is each path's rate divided by the floor's.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, insert, text

from databases import Databases
from liidi.services import ingest
from liidi.services.keys import create_key
from liidi.services.people import upsert_people
from liidi.services.unit_of_work import UnitOfWork
from liidi.storage import session
from liidi.storage.tables import events as events_table

PEOPLE = 2000
NOW = time.time()
PATHS = ["/palvelut/pilvi", "/palvelut/tietoturva/hinnat", "/blogi/tekoaly", "/", "/rekry/avoimet"]


def make_events(n: int, tag: str) -> list[dict[str, Any]]:
    """N realistic events of known people, spread over 90 days."""
    types = ["page_view"] * 6 + ["email_open", "email_click", "download", "ad_click"]
    return [
        {
            "id": f"{tag}-{i}",
            "type": types[i % len(types)],
            "email": f"person{i % PEOPLE}@company{i % PEOPLE % 300}.fi",
            "occurred_at": NOW - (i % 7_776_000),
            "properties": {"path": PATHS[i % len(PATHS)], "topic": "cloud", "campaign": f"c{i % 12}"},
        }
        for i in range(n)
    ]


def with_people(url: str) -> str:
    """Give a fresh database its PEOPLE people; returns the URL."""
    engine = session.make_engine(url)
    records = [{"email": f"person{i}@company{i % 300}.fi"} for i in range(PEOPLE)]
    upsert_people(UnitOfWork(engine), records=records)
    engine.dispose()
    return url


def run_service(url: str, batches: list[list[dict[str, Any]]]) -> float:
    """Seconds to store the batches through `ingest.track_events`."""
    engine = session.make_engine(url)
    start = time.perf_counter()
    for batch in batches:
        ingest.track_events(UnitOfWork(engine), events=batch)
    elapsed = time.perf_counter() - start
    engine.dispose()
    return elapsed


def run_floor(url: str, batches: list[list[dict[str, Any]]]) -> float:
    """Seconds to insert the same rows raw: person ids known up front, one executemany per batch."""
    engine = session.make_engine(url)
    with engine.connect() as conn:
        ids = dict(conn.execute(text("SELECT value, person_id FROM identities WHERE kind = 'email'")).all())
        accounts = dict(conn.execute(text("SELECT id, account_id FROM people")).all())
    rows = [
        [
            {
                "event_id": e["id"],
                "type": e["type"],
                "person_id": ids[e["email"]],
                "account_id": accounts[ids[e["email"]]],
                "anonymous_id": None,
                "occurred_ts": e["occurred_at"],
                "received_ts": NOW,
                "properties": e["properties"],
            }
            for e in batch
        ]
        for batch in batches
    ]
    start = time.perf_counter()
    for chunk in rows:
        with engine.begin() as conn:
            conn.execute(insert(events_table), chunk)
    elapsed = time.perf_counter() - start
    engine.dispose()
    return elapsed


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_http(url: str, batches: list[list[dict[str, Any]]]) -> float:
    """Seconds to post the batches to a uvicorn server (one client, sequential requests)."""
    engine = session.make_engine(url)
    key = create_key(UnitOfWork(engine), scope="ingest").secret
    engine.dispose()
    port = _free_port()
    env = {**os.environ, "LIIDI_DATABASE_URL": url, "LIIDI_LOG_LEVEL": "warning"}
    server = subprocess.Popen(
        [sys.executable, "-m", "liidi", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=60) as client:
            _wait_until_up(client)
            start = time.perf_counter()
            for batch in batches:
                reply = client.post("/v1/events", json={"events": batch})
                reply.raise_for_status()
            return time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(10)


def _wait_until_up(client: httpx.Client) -> None:
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if client.get("/health").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def count_events(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        n = int(conn.execute(text("SELECT count(*) FROM events")).scalar_one())
    engine.dispose()
    return n


def measure(kind: str, n: int, batch: int, dbs: Databases) -> list[dict[str, Any]]:
    """The three paths on one backend, each on its own fresh database with the same data."""
    results = []
    for path, runner in (
        ("floor: raw bulk insert", run_floor),
        ("service layer", run_service),
        ("HTTP (uvicorn)", run_http),
    ):
        evs = make_events(n, tag=kind)
        batches = [evs[i : i + batch] for i in range(0, n, batch)]
        url = with_people(dbs.fresh(kind))
        seconds = runner(url, batches)
        assert count_events(url) == n, f"{path} on {kind} stored {count_events(url)} of {n} events"
        results.append({"backend": kind, "path": path, "events": n, "seconds": seconds, "rate": n / seconds})
    floor = results[0]["rate"]
    for row in results:
        row["ratio_to_floor"] = row["rate"] / floor
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000, help="events per path and backend")
    parser.add_argument("--batch", type=int, default=500, help="events per batch")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--out", default="bench/results/ingest.json")
    args = parser.parse_args()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        dbs = Databases(args.postgres, Path(tmp))
        try:
            for kind in ("sqlite", "postgresql"):
                rows += measure(kind, args.events, args.batch, dbs)
        finally:
            dbs.drop_all()
    table = Table(
        "backend",
        "path",
        "events",
        "seconds",
        "events/s",
        "ratio to floor",
        title=f"Ingestion, batches of {args.batch}",
    )
    for r in rows:
        table.add_row(
            r["backend"],
            r["path"],
            str(r["events"]),
            f"{r['seconds']:.2f}",
            f"{r['rate']:,.0f}",
            f"{r['ratio_to_floor']:.2f}",
        )
    Console().print(table)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"batch": args.batch, "results": rows}, indent=1))


if __name__ == "__main__":
    main()
