"""Four client processes against `liidi serve --workers 2` on PostgreSQL: no 5xx, no doubles, exact scores."""

from __future__ import annotations

import json
import multiprocessing as mp
import random
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, text

from liidi.services.keys import create_key
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import publish
from tests.e2e.test_serve import free_port, running_server
from tests.integration.test_concurrency import (
    ANONYMOUS,
    EXAMPLE,
    POOL,
    ROUNDS,
    WRITERS,
    duplicates,
    mixed_batch,
    score_mismatches,
)


def _client(base: str, key: str, barrier: Any, writer: int, out: str) -> None:
    """Send overlapping batches and identify calls over HTTP; record every status and stored id."""
    rng = random.Random(writer)
    statuses: list[int] = []
    stored: list[str] = []
    barrier.wait()
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=120) as http:
        for round_ in range(ROUNDS):
            reply = http.post("/v1/events", json={"events": mixed_batch(writer, round_, rng)})
            statuses.append(reply.status_code)
            if reply.status_code == 200:
                stored += [i["event_id"] for i in reply.json()["items"] if i["status"] == "stored"]
            for _ in range(5):
                body = {"email": rng.choice(POOL), "anonymous_id": rng.choice(ANONYMOUS)}
                statuses.append(http.post("/v1/identify", json=body).status_code)
    Path(out).write_text(json.dumps({"statuses": statuses, "stored": stored}), encoding="utf-8")


def test_four_clients_against_two_workers_get_no_server_errors_and_exact_scores(
    postgres_engine: Engine, postgres_url: str, tmp_path: Path
) -> None:
    publish(lambda: UnitOfWork(postgres_engine), EXAMPLE)
    key = create_key(UnitOfWork(postgres_engine), scope="ingest").secret
    port = free_port()
    outs = [str(tmp_path / f"client{w}.json") for w in range(WRITERS)]
    with running_server(postgres_url, port, "--workers", "2"):
        ctx = mp.get_context("spawn")
        barrier = ctx.Barrier(WRITERS)
        base = f"http://127.0.0.1:{port}"
        procs = [ctx.Process(target=_client, args=(base, key, barrier, w, out)) for w, out in enumerate(outs)]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join(600)
    assert [proc.exitcode for proc in procs] == [0] * WRITERS
    replies = [json.loads(Path(out).read_text(encoding="utf-8")) for out in outs]

    statuses = [status for reply in replies for status in reply["statuses"]]
    assert statuses == [200] * len(statuses)
    stored = [event_id for reply in replies for event_id in reply["stored"]]
    with postgres_engine.connect() as conn:
        in_store = set(conn.execute(text("SELECT event_id FROM events")).scalars())
    assert len(stored) == len(set(stored)), "an event id was reported stored by two replies"
    assert set(stored) == in_store
    assert duplicates(postgres_engine) == dict.fromkeys(duplicates(postgres_engine), 0)
    assert score_mismatches(postgres_engine) == []
