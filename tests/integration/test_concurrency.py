"""Several processes writing the same people and events at once on PostgreSQL: nothing doubles or is lost."""

from __future__ import annotations

import json
import multiprocessing as mp
import random
import threading
import time
import traceback
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from liidi.domain.scoring import score
from liidi.engines.incremental import relevance
from liidi.services import ingest, lifecycle, models, scoring
from liidi.services.people import identify, merge_people, upsert_people
from liidi.services.unit_of_work import UnitOfWork, run_in_transaction
from liidi.storage.session import make_engine
from tests.builders import NOW, event, publish

EMAILS = [f"buyer{i}@race{i % 3}.fi" for i in range(25)]
EXAMPLE = (Path(__file__).resolve().parents[2] / "examples" / "scoring.yaml").read_text(encoding="utf-8")
DAY = 86400.0
KINDS = ["page_view", "page_view", "email_click", "download", "demo_request", "event_registration"]
PATHS = ["/palvelut/pilvi/referenssit", "/palvelut/tietoturva/hinnoittelu", "/blogi/ai", "/palvelut/pilvi"]
POOL = [f"p{i}@new{i % 40}.fi" for i in range(120)]
ANONYMOUS = [f"visitor-{i}" for i in range(60)]
WRITERS = 4
ROUNDS = 6


def _identify_all(url: str, barrier: Any, anon_prefix: str) -> None:
    engine = make_engine(url)
    barrier.wait()
    for i, email in enumerate(EMAILS):
        identify(UnitOfWork(engine), email=email, anonymous_id=f"{anon_prefix}{i}", now=NOW)
    engine.dispose()


def _send_batch(url: str, barrier: Any) -> None:
    engine = make_engine(url)
    batch = [event(id=f"shared-{i}", email=EMAILS[i % len(EMAILS)]) for i in range(200)]
    barrier.wait()
    for _ in range(3):
        ingest.track_events(UnitOfWork(engine), events=batch, now=NOW)
    engine.dispose()


def _run(target: object, url: str, extras: list[tuple[Any, ...]]) -> None:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(len(extras))
    procs = [ctx.Process(target=target, args=(url, barrier, *extra)) for extra in extras]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(300)
        assert proc.exitcode == 0, "a writer process failed"


def test_concurrent_identify_of_the_same_emails_makes_one_person_each(
    postgres_engine: Engine, postgres_url: str
) -> None:
    _run(_identify_all, postgres_url, [("a-",), ("b-",)])
    with postgres_engine.connect() as conn:
        people = conn.execute(text("SELECT count(*) FROM people")).scalar_one()
        emails = conn.execute(
            text("SELECT count(DISTINCT value) FROM identities WHERE kind='email'")
        ).scalar_one()
        anons = conn.execute(text("SELECT count(*) FROM identities WHERE kind='anonymous'")).scalar_one()
        accounts = conn.execute(text("SELECT count(*) FROM accounts")).scalar_one()
    assert (people, emails, anons, accounts) == (25, 25, 50, 3)


def test_the_same_batch_sent_concurrently_is_stored_once(postgres_engine: Engine, postgres_url: str) -> None:
    _run(_send_batch, postgres_url, [(), ()])
    with postgres_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM events")).scalar_one() == 200
        assert conn.execute(text("SELECT count(*) FROM people")).scalar_one() == 25


def mixed_batch(writer: int, round_: int, rng: random.Random) -> list[dict[str, Any]]:
    """200 events: 50 ids every writer sends, e-mails from a shared pool, some anonymous visitors."""
    batch = []
    for j in range(200):
        event_id = f"shared-{round_}-{j}" if j < 50 else f"w{writer}-{round_}-{j}"
        kind = rng.choice(KINDS)
        who: dict[str, Any] = {"email": rng.choice(POOL)}
        if j % 5 == 0:
            who = {"anonymous_id": rng.choice(ANONYMOUS)}
        elif j % 7 == 0:
            who["anonymous_id"] = rng.choice(ANONYMOUS)
        props = {"path": rng.choice(PATHS), "topic": "cloud", "stage": "comparing_solutions"}
        batch.append(event(kind, id=event_id, ts=NOW - rng.uniform(0, 30) * DAY, properties=props) | who)
    if writer % 2:
        batch.reverse()
    return batch


def _ingest_writer(url: str, barrier: Any, writer: int, out: str) -> None:
    """Send overlapping batches and identify anonymous visitors; record every reply and every failure."""
    engine = make_engine(url)
    rng = random.Random(writer)
    stored: list[str] = []
    failures: list[str] = []
    barrier.wait()
    for round_ in range(ROUNDS):
        try:
            result = ingest.track_events(UnitOfWork(engine), events=mixed_batch(writer, round_, rng), now=NOW)
            stored += [item.event_id for item in result.items if item.status == "stored"]
            for _ in range(5):
                email, anon = rng.choice(POOL), rng.choice(ANONYMOUS)
                identify(UnitOfWork(engine), email=email, anonymous_id=anon, now=NOW)
        except Exception:
            failures.append(traceback.format_exc())
    Path(out).write_text(json.dumps({"stored": stored, "failures": failures}), encoding="utf-8")
    engine.dispose()


def _mixer(url: str, barrier: Any, out: str) -> None:
    """Meanwhile: merge people, move stages by hand and publish model versions, as the admin API would."""
    engine = make_engine(url)
    rng = random.Random(99)
    failures: list[str] = []
    done: list[str] = []
    barrier.wait()
    while len(_live(engine)) < 20:
        time.sleep(0.05)
    for step in range(12):
        a, b = rng.sample(_live(engine), 2)
        try:
            if step % 3 == 0:
                merge_people(UnitOfWork(engine), survivor_id=a, merged_id=b, actor="test", now=NOW)
            elif step % 3 == 1:
                lifecycle.transition(UnitOfWork(engine), person_id=a, to="sal", actor="rep", now=NOW)
            else:
                publish_variant(engine, step)
            done.append(["merge", "move", "publish"][step % 3])
        except Exception as error:
            if type(error).__name__ not in ("InvalidTransition", "Conflict", "NotFound"):
                failures.append(traceback.format_exc())
    Path(out).write_text(json.dumps({"stored": [], "failures": failures, "done": done}), encoding="utf-8")
    engine.dispose()


def _live(engine: Engine) -> list[int]:
    with UnitOfWork(engine) as uow:
        return uow.people.live_ids(0, 1000)


def publish_variant(engine: Engine, step: int) -> None:
    """Publish a new version of the example model (one fit rule's points changed): everyone is rescored."""
    text = EXAMPLE.replace("points: 20", f"points: {20 + step}", 1)
    draft = models.add_draft(UnitOfWork(engine), text=text, source_name="scoring.yaml", author="test")
    new_uow = partial(UnitOfWork, engine)
    models.publish(new_uow, name=draft.name, version=draft.version, author="test", now=NOW)


def score_mismatches(engine: Engine) -> list[str]:
    """People whose stored state lacks a relevant event, or whose stored score is not the reference's."""
    problems = []
    with UnitOfWork(engine) as uow:
        [pub] = scoring.published_models(uow)
        keep = relevance(pub.model)
        ids = uow.people.live_ids(0, 100_000)
        people = uow.people.get_many(set(ids))
        states = uow.scores.load(set(ids), [pub.name])
        history = uow.events.for_people(set(ids))
        accounts = uow.accounts.get_many({p.account_id for p in people.values() if p.account_id})
    for pid in ids:
        row, person = states.get((pid, pub.name)), people[pid]
        relevant = {e.event_id for e in history[pid] if keep(e)}
        if row is None:
            problems += [f"person {pid}: no score state"] if history[pid] else []
            continue
        missing = relevant - {item[0] for item in row["events"]}
        account = accounts.get(person.account_id) if person.account_id else None
        reference = score(pub.model, person, account, history[pid], row["scored_ts"]).score
        if missing or abs(reference - row["score"]) > 1e-6:
            problems.append(f"person {pid}: {len(missing)} events missing, {row['score']} vs {reference}")
    return problems


def duplicates(engine: Engine) -> dict[str, int]:
    """Rows that exist more than once where one is the rule (people per e-mail, accounts per domain...)."""
    queries = {
        "people per e-mail": "SELECT count(*) - count(DISTINCT email) FROM people",
        "accounts per domain": "SELECT count(*) - count(DISTINCT domain) FROM accounts",
        "identities": "SELECT count(*) - count(DISTINCT (kind, value)) FROM identities",
        "events": "SELECT count(*) - count(DISTINCT event_id) FROM events",
        "people without an e-mail": "SELECT count(*) FROM people p WHERE NOT EXISTS "
        "(SELECT 1 FROM identities i WHERE i.person_id = p.id AND i.kind = 'email')",
    }
    with engine.connect() as conn:
        return {name: int(conn.execute(text(sql)).scalar_one()) for name, sql in queries.items()}


def run_writers(url: str, tmp_path: Path, *, mixer: bool) -> list[dict[str, Any]]:
    outs = [str(tmp_path / f"writer{w}.json") for w in range(WRITERS)]
    jobs: list[tuple[Callable[..., None], tuple[Any, ...]]] = [
        (_ingest_writer, (w, out)) for w, out in enumerate(outs)
    ]
    if mixer:
        outs.append(str(tmp_path / "mixer.json"))
        jobs.append((_mixer, (outs[-1],)))
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(len(jobs))
    procs = [ctx.Process(target=target, args=(url, barrier, *args)) for target, args in jobs]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(600)
    assert [proc.exitcode for proc in procs] == [0] * len(procs)
    return [json.loads(Path(out).read_text(encoding="utf-8")) for out in outs]


def test_overlapping_batches_from_four_processes_keep_every_score_equal_to_the_reference(
    postgres_engine: Engine, postgres_url: str, tmp_path: Path
) -> None:
    publish(lambda: UnitOfWork(postgres_engine), EXAMPLE)
    replies = run_writers(postgres_url, tmp_path, mixer=False)

    assert [failure for reply in replies for failure in reply["failures"]] == []
    stored = [event_id for reply in replies for event_id in reply["stored"]]
    with postgres_engine.connect() as conn:
        in_store = set(conn.execute(text("SELECT event_id FROM events")).scalars())
    assert len(stored) == len(set(stored)), "an event id was reported stored by two replies"
    assert set(stored) == in_store
    assert duplicates(postgres_engine) == dict.fromkeys(duplicates(postgres_engine), 0)
    assert score_mismatches(postgres_engine) == []


def test_merges_stage_moves_and_publishes_during_ingestion_keep_scores_equal_to_the_reference(
    postgres_engine: Engine, postgres_url: str, tmp_path: Path
) -> None:
    publish(lambda: UnitOfWork(postgres_engine), EXAMPLE)
    replies = run_writers(postgres_url, tmp_path, mixer=True)

    assert [failure for reply in replies for failure in reply["failures"]] == []
    assert set(replies[-1]["done"]) == {"merge", "move", "publish"}
    stored = [event_id for reply in replies for event_id in reply["stored"]]
    assert len(stored) == len(set(stored)), "an event id was reported stored by two replies"
    assert score_mismatches(postgres_engine) == []


def test_a_deadlock_victim_is_run_again_whole_and_answers_from_the_run_that_committed(
    postgres_engine: Engine,
) -> None:
    a, b = (
        r.person_id
        for r in upsert_people(
            UnitOfWork(postgres_engine), records=[{"email": "a@x.fi"}, {"email": "b@x.fi"}]
        )
    )
    barrier = threading.Barrier(2)
    runs: list[int] = []
    answers: dict[int, int] = {}

    def crosswise(first: int, second: int) -> None:
        def work(uow: UnitOfWork) -> int:
            runs.append(first)
            attempt = runs.count(first)
            uow.people.lock({first})
            if attempt == 1:
                barrier.wait(timeout=30)
            uow.people.lock({second})
            return attempt

        answers[first] = run_in_transaction(UnitOfWork(postgres_engine), work)

    threads = [threading.Thread(target=crosswise, args=pair) for pair in ((a, b), (b, a))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert len(runs) == 3, "one of the two ran twice"
    assert sorted(answers.values()) == [1, 2]


V1 = """model: race
engagement:
  - {name: visit, when: {event: page_view}, points: 5}
"""
V2 = (
    V1
    + """  - {name: click, when: {event: email_click}, points: 7}
"""
)


def test_a_state_left_by_the_previous_version_is_rebuilt_not_advanced(
    new_uow: Callable[[], UnitOfWork],
) -> None:
    publish(new_uow, V1)
    who = {"email": "racer@firma.fi"}
    first = [event(id="v", **who), event("email_click", id="c", **who)]
    ingest.track_events(new_uow(), events=first, now=NOW)
    with new_uow() as uow:  # a publish that has not yet rescored this person
        uow.models.retire_published("race")
        uow.commit()
    publish(new_uow, V2)

    ingest.track_events(new_uow(), events=[event(id="v2", **who)], now=NOW)

    with new_uow() as uow:
        pid = uow.identities.person_for("email", "racer@firma.fi")
        assert pid is not None
        [row] = uow.scores.load({pid}, ["race"]).values()
    assert row["model_version"] == "race@v2"
    assert row["score"] == 17.0
