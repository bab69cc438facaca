"""Two processes writing the same people and events at once on PostgreSQL: nothing doubles or is lost."""

from __future__ import annotations

import multiprocessing as mp

from sqlalchemy import Engine, text

from liidi.services import ingest
from liidi.services.people import identify
from liidi.services.unit_of_work import UnitOfWork
from liidi.storage.session import make_engine
from tests.builders import NOW, event

EMAILS = [f"buyer{i}@race{i % 3}.fi" for i in range(25)]


def _identify_all(url: str, barrier: mp.synchronize.Barrier, anon_prefix: str) -> None:
    engine = make_engine(url)
    barrier.wait()
    for i, email in enumerate(EMAILS):
        identify(UnitOfWork(engine), email=email, anonymous_id=f"{anon_prefix}{i}", now=NOW)
    engine.dispose()


def _send_batch(url: str, barrier: mp.synchronize.Barrier) -> None:
    engine = make_engine(url)
    batch = [event(id=f"shared-{i}", email=EMAILS[i % len(EMAILS)]) for i in range(200)]
    barrier.wait()
    for _ in range(3):
        ingest.track_events(UnitOfWork(engine), events=batch, now=NOW)
    engine.dispose()


def _run_pair(target: object, url: str, extras: tuple[tuple[str, ...], ...] = ((), ())) -> None:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=target, args=(url, barrier, *extra)) for extra in extras]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(120)
        assert proc.exitcode == 0, "a writer process failed"


def test_concurrent_identify_of_the_same_emails_makes_one_person_each(
    postgres_engine: Engine, postgres_url: str
) -> None:
    _run_pair(_identify_all, postgres_url, (("a-",), ("b-",)))
    with postgres_engine.connect() as conn:
        people = conn.execute(text("SELECT count(*) FROM people")).scalar_one()
        emails = conn.execute(
            text("SELECT count(DISTINCT value) FROM identities WHERE kind='email'")
        ).scalar_one()
        anons = conn.execute(text("SELECT count(*) FROM identities WHERE kind='anonymous'")).scalar_one()
        accounts = conn.execute(text("SELECT count(*) FROM accounts")).scalar_one()
    assert (people, emails, anons, accounts) == (25, 25, 50, 3)


def test_the_same_batch_sent_concurrently_is_stored_once(postgres_engine: Engine, postgres_url: str) -> None:
    _run_pair(_send_batch, postgres_url)
    with postgres_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM events")).scalar_one() == 200
        assert conn.execute(text("SELECT count(*) FROM people")).scalar_one() == 25
