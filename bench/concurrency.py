"""Concurrent ingestion benchmark: 1, 2, 4 and 8 HTTP clients against `liidi serve` with 1 and 2 workers.

Run: `python bench/concurrency.py [--seconds 10] [--clients 1,2,4,8] [--workers 1,2] [--postgres URL]`.
Each cell gets a fresh PostgreSQL database (created and dropped here) with `examples/scoring.yaml`
published, and a server on 127.0.0.1 at a free port. Clients send batches of 200 events whose e-mails come
from a shared pool of 300 (new people and new account domains at first), with 50 event ids in every
batch that all clients send too, and an identify call now and then tying a shared anonymous id to an
e-mail. Each cell is bounded in time and in requests. Afterwards the store is checked: duplicated event
ids reported `stored` and people whose stored score differs from the reference evaluator over their
whole history. Prints a table and writes bench/results/concurrency.json; the baseline is 1 client
against 1 worker, measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from rich import box
from rich.console import Console
from rich.table import Column, Table

from databases import Databases
from liidi.domain.scoring import score
from liidi.services import models, scoring
from liidi.services.keys import create_key
from liidi.services.unit_of_work import UnitOfWork
from liidi.storage import session

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "scoring.yaml"
POOL = [f"buyer{i}@firm{i % 60}.fi" for i in range(300)]
ANONYMOUS = [f"visitor-{i}" for i in range(100)]
KINDS = ["page_view", "page_view", "page_view", "email_click", "download", "ad_click"]
PATHS = ["/palvelut/pilvi/referenssit", "/palvelut/tietoturva/hinnoittelu", "/blogi/ai", "/palvelut/pilvi"]
BATCH = 200
SHARED = 50


def batch(client: int, request: int, rng: random.Random) -> list[dict[str, Any]]:
    """200 events: the first 50 ids are the same for every client's n-th request."""
    now = time.time()
    events = []
    for j in range(BATCH):
        event_id = f"shared-{request}-{j}" if j < SHARED else f"c{client}-{request}-{j}"
        who: dict[str, Any] = {"email": rng.choice(POOL)}
        if j % 10 == 0:
            who = {"anonymous_id": rng.choice(ANONYMOUS)}
        props = {"path": rng.choice(PATHS), "topic": "cloud", "stage": "comparing_solutions"}
        ts = now - rng.uniform(0, 30 * 86400)
        events.append(
            {"id": event_id, "type": rng.choice(KINDS), "occurred_at": ts, "properties": props} | who
        )
    return events


def client(
    base: str, key: str, client_no: int, seconds: float, max_requests: int, start_at: float
) -> dict[str, Any]:
    """Send batches until the time or request budget is spent; latencies, statuses and stored ids."""
    rng = random.Random(client_no)
    latencies: list[float] = []
    statuses: list[int] = []
    stored: list[str] = []
    events = 0
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=60) as http:
        time.sleep(max(0.0, start_at - time.time()))
        began = time.time()
        deadline = time.monotonic() + seconds
        for request in range(max_requests):
            if time.monotonic() >= deadline:
                break
            begin = time.perf_counter()
            try:
                if request % 4 == 3:
                    body = {"email": rng.choice(POOL), "anonymous_id": rng.choice(ANONYMOUS)}
                    reply = http.post("/v1/identify", json=body)
                else:
                    reply = http.post("/v1/events", json={"events": batch(client_no, request, rng)})
                    if reply.status_code == 200:
                        events += BATCH
                        stored += [i["event_id"] for i in reply.json()["items"] if i["status"] == "stored"]
                statuses.append(reply.status_code)
            except httpx.TransportError:
                statuses.append(0)  # no reply at all: counted with the server errors
            latencies.append(time.perf_counter() - begin)
    return {
        "latencies": latencies,
        "statuses": statuses,
        "stored": stored,
        "events": events,
        "began": began,
        "ended": time.time(),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(url: str, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    """`liidi serve` on 127.0.0.1 at a free port with this many workers, once it answers."""
    port = free_port()
    env = {**os.environ, "LIIDI_DATABASE_URL": url, "LIIDI_LOG_LEVEL": "warning"}
    args = [sys.executable, "-m", "liidi", "serve", "--host", "127.0.0.1", "--port", str(port)]
    if workers > 1:
        args += ["--workers", str(workers)]
    server = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return server, base
        except httpx.TransportError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("server did not start")


def prepare(url: str) -> str:
    """Publish the example model on a fresh database; an ingest key."""
    engine = session.make_engine(url)

    def new_uow() -> UnitOfWork:
        return UnitOfWork(engine)

    draft = models.add_draft(new_uow(), text=EXAMPLE.read_text(), source_name="scoring.yaml", author="bench")
    models.publish(new_uow, name=draft.name, version=draft.version, author="bench")
    key = create_key(new_uow(), scope="ingest").secret
    engine.dispose()
    return key


def score_mismatches(url: str) -> int:
    """People whose stored score is not the reference evaluator's over their whole history."""
    engine = session.make_engine(url)
    with UnitOfWork(engine) as uow:
        [pub] = scoring.published_models(uow)
        ids = set(uow.people.live_ids(0, 1_000_000))
        people = uow.people.get_many(ids)
        states = uow.scores.load(ids, [pub.name])
        history = uow.events.for_people(ids)
        accounts = uow.accounts.get_many({p.account_id for p in people.values() if p.account_id})
    engine.dispose()
    wrong = 0
    for pid, person in people.items():
        row = states.get((pid, pub.name))
        if row is None:
            wrong += int(bool(history[pid]))
            continue
        account = accounts.get(person.account_id) if person.account_id else None
        wrong += int(
            abs(score(pub.model, person, account, history[pid], row["scored_ts"]).score - row["score"]) > 1e-6
        )
    return wrong


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def measure(dbs: Databases, workers: int, clients: int, seconds: float, max_requests: int) -> dict[str, Any]:
    """One cell: a fresh database and server, `clients` processes for `seconds`, then the checks."""
    url = dbs.fresh("postgresql")
    key = prepare(url)
    server, base = start_server(url, workers)
    try:
        with mp.get_context("spawn").Pool(clients) as pool:
            start_at = time.time() + 1.0
            args = [(base, key, n, seconds, max_requests, start_at) for n in range(clients)]
            replies = pool.starmap(client, args)
    finally:
        server.terminate()
        server.wait(30)
    latencies = [v for r in replies for v in r["latencies"]]
    statuses = [s for r in replies for s in r["statuses"]]
    stored = [e for r in replies for e in r["stored"]]
    elapsed = max(r["ended"] for r in replies) - min(r["began"] for r in replies)
    return {
        "workers": workers,
        "clients": clients,
        "requests": len(statuses),
        "events": sum(r["events"] for r in replies),
        "seconds": elapsed,
        "rate": sum(r["events"] for r in replies) / elapsed,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "errors": sum(1 for s in statuses if s >= 500 or s == 0),
        "refused": sum(1 for s in statuses if 400 <= s < 500),
        "stored_twice": len(stored) - len(set(stored)),
        "score_mismatches": score_mismatches(url),
    }


def render(rows: list[dict[str, Any]]) -> None:
    names = ("wkrs", "clients", "reqs", "events/s", "ratio", "p50 ms", "p99 ms", "5xx", "twice", "wrong")
    table = Table(
        *(Column(name, min_width=len(name), no_wrap=True, justify="right") for name in names),
        title="Concurrent ingestion on PostgreSQL, batches of 200",
        caption="twice: event ids reported stored by two replies; wrong: people whose score differs "
        "from the reference evaluator",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
    )  # fmt: skip
    for r in rows:
        table.add_row(
            str(r["workers"]), str(r["clients"]), str(r["requests"]), f"{r['rate']:,.0f}",
            f"{r['ratio']:.2f}", f"{r['p50_ms']:.0f}", f"{r['p99_ms']:.0f}", str(r["errors"]),
            str(r["stored_twice"]), str(r["score_mismatches"]),
        )  # fmt: skip
    Console().print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="how long each cell sends")
    parser.add_argument("--max-requests", type=int, default=500, help="most requests per client and cell")
    parser.add_argument("--clients", default="1,2,4,8")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--out", default="bench/results/concurrency.json")
    args = parser.parse_args()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        dbs = Databases(args.postgres, Path(tmp))
        try:
            for workers in (int(w) for w in args.workers.split(",")):
                for clients in (int(c) for c in args.clients.split(",")):
                    rows.append(measure(dbs, workers, clients, args.seconds, args.max_requests))
        finally:
            dbs.drop_all()
    baseline = next((r["rate"] for r in rows if r["workers"] == 1 and r["clients"] == 1), rows[0]["rate"])
    for row in rows:
        row["ratio"] = row["rate"] / baseline
    render(rows)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"seconds": args.seconds, "results": rows}, indent=1))


if __name__ == "__main__":
    main()
