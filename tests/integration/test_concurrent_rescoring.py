"""Two processes change the same people's and accounts' attributes while a third ingests their events
(PostgreSQL): every stored score ends equal to the reference evaluator over the person's current facts."""

from __future__ import annotations

import json
import multiprocessing as mp
import random
import traceback
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from liidi.services import accounts, ingest
from liidi.services.imports import import_accounts, import_people
from liidi.services.people import identify, upsert_people
from liidi.services.unit_of_work import UnitOfWork
from liidi.storage.session import make_engine
from tests.builders import NOW, event, publish
from tests.integration.test_concurrency import EXAMPLE, POOL, mixed_batch, score_mismatches

TITLES = ["CTO", "Developer", "Head of IT", "Student", "CISO", "Marketing Manager"]
INDUSTRIES = ["software", "finance", "manufacturing", "education", "public_sector", "retail"]
ROUNDS = 8


def _people(rng: random.Random) -> list[dict[str, Any]]:
    """Changed titles and traits; a third of the people also move to another account."""
    records: list[dict[str, Any]] = [
        {"email": email, "title": rng.choice(TITLES), "traits": {"segment": rng.choice("abc")}}
        for email in rng.sample(POOL, 30)
    ]
    for record in records[::3]:
        record["account_domain"] = f"new{rng.randrange(40)}.fi"
    return records


def _accounts(rng: random.Random) -> list[dict[str, Any]]:
    domains = rng.sample([f"new{i}.fi" for i in range(40)], 8)
    return [
        {"domain": d, "industry": rng.choice(INDUSTRIES), "employees": rng.choice([20, 300])} for d in domains
    ]


def _changer(url: str, barrier: Any, writer: int, out: str) -> None:
    """Change titles, traits and account industries: by import (writer 0) or the API's paths (writer 1)."""
    engine = make_engine(url)
    rng = random.Random(writer)
    failures: list[str] = []
    barrier.wait()
    for _ in range(ROUNDS):
        try:
            if writer == 0:
                import_people(UnitOfWork(engine), records=_people(rng), now=NOW)
                import_accounts(UnitOfWork(engine), records=_accounts(rng), now=NOW)
            else:
                upsert_people(UnitOfWork(engine), records=_people(rng), now=NOW)
                accounts.upsert_accounts(UnitOfWork(engine), records=_accounts(rng), now=NOW)
                traits = {"title": rng.choice(TITLES)}
                identify(UnitOfWork(engine), email=rng.choice(POOL), traits=traits, now=NOW)
        except Exception:
            failures.append(traceback.format_exc())
    Path(out).write_text(json.dumps({"failures": failures}), encoding="utf-8")
    engine.dispose()


def _ingester(url: str, barrier: Any, out: str) -> None:
    engine = make_engine(url)
    rng = random.Random(7)
    failures: list[str] = []
    barrier.wait()
    for round_ in range(ROUNDS):
        try:
            batch = mixed_batch(0, round_, rng)[:40]
            ingest.track_events(UnitOfWork(engine), events=batch, now=NOW)
        except Exception:
            failures.append(traceback.format_exc())
    Path(out).write_text(json.dumps({"failures": failures}), encoding="utf-8")
    engine.dispose()


def test_attribute_changes_beside_ingestion_keep_every_score_equal_to_the_reference(
    postgres_engine: Engine, postgres_url: str, tmp_path: Path
) -> None:
    publish(lambda: UnitOfWork(postgres_engine), EXAMPLE)
    import_people(UnitOfWork(postgres_engine), records=[{"email": e} for e in POOL], now=NOW)
    first = [event(id=f"first-{i}", email=e, ts=NOW - 3600) for i, e in enumerate(POOL)]
    ingest.track_events(UnitOfWork(postgres_engine), events=first, now=NOW)
    outs = [str(tmp_path / f"out{i}.json") for i in range(3)]
    jobs: list[tuple[Any, tuple[Any, ...]]] = [(_changer, (0, outs[0])), (_changer, (1, outs[1]))]
    jobs.append((_ingester, (outs[2],)))
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(len(jobs))
    procs = [ctx.Process(target=target, args=(postgres_url, barrier, *args)) for target, args in jobs]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(600)
    assert [proc.exitcode for proc in procs] == [0, 0, 0]
    replies = [json.loads(Path(out).read_text(encoding="utf-8")) for out in outs]

    assert [failure for reply in replies for failure in reply["failures"]] == []
    assert score_mismatches(postgres_engine) == []
