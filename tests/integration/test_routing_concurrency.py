"""Four processes qualifying leads at once on PostgreSQL: no rep is given more than their capacity."""

from __future__ import annotations

import json
import multiprocessing as mp
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from liidi.services import ingest, routing
from liidi.services.unit_of_work import UnitOfWork
from liidi.storage.session import make_engine
from tests.builders import NOW, event, publish
from tests.routing_support import MODEL

WRITERS = 4
PER_WRITER = 30
CAPACITY = 5
ROUTING = f"""
routing: race
fallback: queue@firma.fi
teams: [{{name: nordics}}]
reps:
  - {{email: anna@firma.fi, team: nordics, capacity: {CAPACITY}}}
  - {{email: bert@firma.fi, team: nordics, capacity: {CAPACITY}, weight: 2}}
  - {{email: cecilia@firma.fi, team: nordics, capacity: {CAPACITY}}}
rules: [{{name: all, team: nordics}}]
"""


def _qualifier(url: str, barrier: Any, writer: int, out: str) -> None:
    """Hand-raise for 30 new people, one transaction each, as fast as possible."""
    engine = make_engine(url)
    failures: list[str] = []
    barrier.wait()
    for i in range(PER_WRITER):
        email = f"p{writer}-{i}@firm{i % 7}.fi"
        try:
            ingest.track_events(UnitOfWork(engine), events=[event("demo_request", email=email)], now=NOW)
        except Exception:
            failures.append(traceback.format_exc())
    Path(out).write_text(json.dumps(failures), encoding="utf-8")
    engine.dispose()


def test_capacity_holds_under_four_concurrent_qualifying_processes(
    postgres_engine: Engine, postgres_url: str, tmp_path: Path
) -> None:
    new_uow = lambda: UnitOfWork(postgres_engine)  # noqa: E731
    publish(new_uow, MODEL)
    routing.load_routing(new_uow(), text=ROUTING, source_name="race.yaml", author="test", now=NOW)
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(WRITERS)
    outs = [tmp_path / f"w{w}.json" for w in range(WRITERS)]
    procs = [
        ctx.Process(target=_qualifier, args=(postgres_url, barrier, w, str(outs[w]))) for w in range(WRITERS)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(300)
        assert proc.exitcode == 0, "a qualifying process crashed"
    failures = [f for out in outs for f in json.loads(out.read_text(encoding="utf-8"))]
    assert failures == [], failures[0] if failures else ""
    with postgres_engine.connect() as conn:
        given = Counter(
            dict(conn.execute(text("SELECT owner, count(*) FROM assignments GROUP BY owner")).all())
        )
        owners = Counter(dict(conn.execute(text("SELECT owner, count(*) FROM people GROUP BY owner")).all()))
        messages = conn.execute(
            text("SELECT count(*) FROM outbox WHERE topic = 'lead.assigned'")
        ).scalar_one()
    total = WRITERS * PER_WRITER
    assert given == {
        "anna@firma.fi": CAPACITY,
        "bert@firma.fi": CAPACITY,
        "cecilia@firma.fi": CAPACITY,
        "queue@firma.fi": total - 3 * CAPACITY,
    }
    assert owners == given and messages == total
