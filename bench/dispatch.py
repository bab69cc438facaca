"""Outbox dispatch benchmark: messages/s to a local receiver, and time from outbox row to delivery.

Run: `python bench/dispatch.py [--messages N] [--slow-ms MS] [--postgres URL]`. Prints a table and writes
bench/results/dispatch.json. A receiver process (threaded http.server, HTTP/1.1 keep-alive, answers 204,
optionally after a delay) logs when each message arrives. For each backend, in the same run:

- **baseline**: the same signed bodies POSTed one after another with the same HTTP client (httpx), from
  this process, without any database: what a sequential sender gets from this receiver;
- **dispatch**: N messages written to the outbox in one transaction while a `liidi worker` process
  waits; messages/s from that commit to the last arrival, with 1 and with 8 (the default) deliveries at
  a time; the same against a receiver that takes `--slow-ms` per request, where sending several at a
  time pays;
- **latency**: messages written one per transaction at a steady rate while the worker runs; for each,
  the time from its outbox row's creation to its arrival at the receiver (p50, p99), at the default poll
  interval (0.5 s) and at 0.05 s.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from databases import Databases
from liidi.domain.messages import PersonMerged
from liidi.services import webhooks
from liidi.services.deliveries import Work
from liidi.services.unit_of_work import UnitOfWork
from liidi.storage import session

LIIDI = str(Path(sys.executable).with_name("liidi"))
SECRET = "bench-secret-0123456789"


def receive(port: int, log: str, delay: float) -> None:
    """Serve 204s on 127.0.0.1:port after `delay` seconds, appending '<id> <arrival time>' to `log`."""
    lock = threading.Lock()
    out = open(log, "a", buffering=1)  # noqa: SIM115 - open for the life of the process

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            at = time.time()
            if delay:
                time.sleep(delay)
            with lock:
                out.write(f"{json.loads(body)['id']} {at}\n")
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    class Server(ThreadingHTTPServer):
        request_queue_size = 128  # the default 5 drops connections that arrive together
        daemon_threads = True

    Server(("127.0.0.1", port), Handler).serve_forever()


def arrivals(log: Path) -> dict[int, float]:
    """Message id → first arrival time."""
    found: dict[int, float] = {}
    for line in log.read_text().splitlines():
        ident, at = line.split()
        found.setdefault(int(ident), float(at))
    return found


def wait_for(log: Path, count: int, timeout: float = 600.0) -> float:
    """Wait until `count` distinct messages arrived; the time of the last one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = arrivals(log) if log.exists() else {}
        if len(got) >= count:
            return max(got.values())
        time.sleep(0.05)
    raise SystemExit(f"only {len(arrivals(log))} of {count} messages arrived")


def baseline(url: str, count: int) -> float:
    """Messages/s of sequential signed POSTs of the same bodies with one httpx client."""
    from liidi.notify.webhook import body_of, headers_of

    works = [
        Work(0, 10**7 + i, "subscription:1", "webhook", "person.merged", {"survivor_id": i, "merged_id": i},
             time.time(), 0, url, SECRET)
        for i in range(count)
    ]  # fmt: skip
    with httpx.Client(timeout=10, trust_env=False) as client:
        start = time.perf_counter()
        for work in works:
            body = body_of(work)
            client.post(url, content=body, headers=headers_of(work, body)).raise_for_status()
        return count / (time.perf_counter() - start)


def queue(engine: Any, count: int, start: int, now: float) -> list[int]:
    """Write `count` messages created at `now` in one transaction; their ids."""
    with UnitOfWork(engine) as uow:
        ids = [uow.outbox.add(PersonMerged(start + i, start + i + 1), now) for i in range(count)]
        uow.commit()
    return ids


def worker(db: str, **settings: str) -> subprocess.Popen[bytes]:
    """A `liidi worker` process on the store, started and idle."""
    env = os.environ | {
        "LIIDI_DATABASE_URL": db,
        "LIIDI_WEBHOOK_ALLOW_PRIVATE": "true",
        "LIIDI_LOG_LEVEL": "warning",
    }
    env |= {f"LIIDI_{name.upper()}": value for name, value in settings.items()}
    proc = subprocess.Popen([LIIDI, "worker"], env=env, stdout=subprocess.DEVNULL)
    time.sleep(3)
    return proc


def stopped(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    proc.wait(30)


def throughput(engine: Any, db: str, log: Path, count: int, concurrency: int) -> float:
    """Messages/s from committing `count` messages to the last arrival."""
    proc = worker(db, dispatch_concurrency=str(concurrency))
    try:
        log.write_text("")
        start = time.time()
        queue(engine, count, 0, start)
        return count / (wait_for(log, count) - start)
    finally:
        stopped(proc)


def latency(engine: Any, db: str, log: Path, count: int, rate: float, interval: str) -> tuple[float, float]:
    """p50 and p99 seconds from a message's creation to its arrival, messages written at `rate`/s."""
    proc = worker(db, dispatch_interval_seconds=interval)
    try:
        log.write_text("")
        created = {}
        for i in range(count):
            created_ts = time.time()
            [ident] = queue(engine, 1, 10**6 + i, created_ts)
            created[ident] = created_ts
            time.sleep(1 / rate)
        wait_for(log, count)
    finally:
        stopped(proc)
    got = arrivals(log)
    waits = sorted(got[i] - created[i] for i in created)
    return statistics.median(waits), waits[int(0.99 * (len(waits) - 1))]


def on_store(kind: str, dbs: Databases, url: str) -> tuple[Any, str]:
    """A fresh store of this kind subscribed to `url`."""
    db = dbs.fresh(kind)
    engine = session.make_engine(db)
    webhooks.add_subscription(UnitOfWork(engine), url=url, secret=SECRET, allow_private=True)
    return engine, db


def measure(
    kind: str, dbs: Databases, receivers: dict[str, tuple[str, Path]], args: argparse.Namespace
) -> dict[str, Any]:
    """Every figure on fresh databases of this kind."""
    url, log = receivers["fast"]
    row: dict[str, Any] = {
        "backend": kind,
        "messages": args.messages,
        "baseline_per_s": baseline(url, args.messages),
    }
    engine, db = on_store(kind, dbs, url)
    row["dispatch_per_s@1"] = throughput(engine, db, log, args.messages, 1)
    row["dispatch_per_s@8"] = throughput(engine, db, log, args.messages, 8)
    for interval in ("0.5", "0.05"):
        p50, p99 = latency(engine, db, log, args.latency_messages, args.rate, interval)
        row[f"p50_s@{interval}"], row[f"p99_s@{interval}"] = p50, p99
    engine.dispose()
    slow_url, slow_log = receivers["slow"]
    row["slow_ms"] = args.slow_ms
    row["slow_baseline_per_s"] = baseline(slow_url, args.slow_messages)
    engine, db = on_store(kind, dbs, slow_url)
    row["slow_dispatch_per_s@8"] = throughput(engine, db, slow_log, args.slow_messages, 8)
    engine.dispose()
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=3000, help="messages for a throughput run")
    parser.add_argument("--latency-messages", type=int, default=300, help="messages for each latency run")
    parser.add_argument("--rate", type=float, default=20.0, help="messages/s written in the latency runs")
    parser.add_argument("--slow-ms", type=float, default=20.0, help="the slow receiver's time per request")
    parser.add_argument("--slow-messages", type=int, default=300, help="messages sent to the slow receiver")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--out", default="bench/results/dispatch.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        receivers, processes = {}, []
        for name, delay in (("fast", 0.0), ("slow", args.slow_ms / 1000)):
            port, log = free_port(), Path(tmp) / f"{name}.log"
            processes.append(
                multiprocessing.Process(target=receive, args=(port, str(log), delay), daemon=True)
            )
            processes[-1].start()
            receivers[name] = (f"http://127.0.0.1:{port}/hook", log)
        time.sleep(1)
        dbs = Databases(args.postgres, Path(tmp))
        try:
            rows = [measure(kind, dbs, receivers, args) for kind in ("sqlite", "postgresql")]
        finally:
            dbs.drop_all()
            for process in processes:
                process.terminate()
    show(rows)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"results": rows}, indent=1))


def show(rows: list[dict[str, Any]]) -> None:
    fast = Table(
        "backend", "baseline", "1 at a time", "8 at a time", "ratio", title="Messages/s to a fast receiver"
    )
    slow = Table(
        "backend", "receiver", "baseline", "8 at a time", "ratio", title="Messages/s to a slow receiver"
    )
    late = Table("backend", "poll interval", "p50", "p99", title="Outbox row created → delivered")
    for r in rows:
        best = max(r["dispatch_per_s@1"], r["dispatch_per_s@8"])
        fast.add_row(
            r["backend"],
            f"{r['baseline_per_s']:,.0f}",
            f"{r['dispatch_per_s@1']:,.0f}",
            f"{r['dispatch_per_s@8']:,.0f}",
            f"{best / r['baseline_per_s']:.2f}",
        )
        ratio = r["slow_dispatch_per_s@8"] / r["slow_baseline_per_s"]
        slow.add_row(
            r["backend"],
            f"{r['slow_ms']:.0f} ms",
            f"{r['slow_baseline_per_s']:,.0f}",
            f"{r['slow_dispatch_per_s@8']:,.0f}",
            f"{ratio:.1f}",
        )
        for interval in ("0.5", "0.05"):
            p50, p99 = r[f"p50_s@{interval}"], r[f"p99_s@{interval}"]
            late.add_row(r["backend"], f"{interval} s", f"{p50 * 1000:,.0f} ms", f"{p99 * 1000:,.0f} ms")
    for table in (fast, slow, late):
        Console().print(table)


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


if __name__ == "__main__":
    main()
