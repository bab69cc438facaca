"""Key-check benchmark: the cost of reading the API key from the database on every request.

Run: `python bench/keys.py [--calls N] [--postgres URL]`. Prints a table and writes bench/results/keys.json.
For each backend it times `authenticate` (one unit of work, one indexed lookup by key prefix, a hash
compare) and, in the same run, a whole one-event `POST /v1/events` request through the app in-process, so
the key check's share of a small request is the figure to compare between machines.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from rich.console import Console
from rich.table import Table

from databases import Databases
from liidi.api.app import create_app
from liidi.config import Settings
from liidi.services.keys import Scope, authenticate, create_key
from liidi.services.unit_of_work import UnitOfWork
from liidi.storage import session


def per_call(fn: Any, calls: int) -> float:
    """Mean seconds per call after a short warm-up."""
    for _ in range(min(50, calls)):
        fn()
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls


def measure(kind: str, calls: int, dbs: Databases) -> dict[str, Any]:
    """Seconds per key check and per one-event request on a fresh database of this kind."""
    url = dbs.fresh(kind)
    engine = session.make_engine(url)
    secret = create_key(UnitOfWork(engine), scope="ingest").secret
    check = per_call(lambda: authenticate(UnitOfWork(engine), presented=secret, needs=Scope.INGEST), calls)
    counter = iter(range(10**9))
    headers = {"Authorization": f"Bearer {secret}"}
    with TestClient(create_app(Settings(database_url=url), engine)) as client:

        def one_event() -> None:
            body = {"events": [{"id": f"e{next(counter)}", "type": "page_view", "anonymous_id": "a1"}]}
            client.post("/v1/events", json=body, headers=headers).raise_for_status()

        request = per_call(one_event, calls)
    engine.dispose()
    return {"backend": kind, "calls": calls, "key_check_s": check, "request_s": request}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000, help="timed calls per measurement")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--out", default="bench/results/keys.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        dbs = Databases(args.postgres, Path(tmp))
        try:
            rows = [measure(kind, args.calls, dbs) for kind in ("sqlite", "postgresql")]
        finally:
            dbs.drop_all()
    table = Table("backend", "key check (µs)", "1-event request (µs)", "share", title="Key read per request")
    for r in rows:
        share = r["key_check_s"] / r["request_s"]
        table.add_row(
            r["backend"], f"{r['key_check_s'] * 1e6:,.0f}", f"{r['request_s'] * 1e6:,.0f}", f"{share:.1%}"
        )
    Console().print(table)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"results": rows}, indent=1))


if __name__ == "__main__":
    main()
