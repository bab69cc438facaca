"""Several processes running nurture rounds at once on PostgreSQL: everyone enrolled once, each step once."""

from __future__ import annotations

import multiprocessing as mp
from typing import Any

import pytest
from sqlalchemy import Engine, text

from liidi.services import nurture
from liidi.services.unit_of_work import UnitOfWork
from liidi.storage.session import make_engine
from tests.builders import NOW, publish
from tests.nurture_support import DAY, MODEL

pytestmark = pytest.mark.postgres_only
PEOPLE = 240
WORKERS = 4
NURTURE = """\
model: core-services
tracks:
  - name: everyone
    steps:
      - {wait: 0d, action: webhook, template: welcome}
      - {wait: 0d, action: email, subject: Hello, template: hello}
      - {wait: 7d, action: task, task: Call them}
"""


def _scored_people(engine: Engine) -> None:
    """People who are scored, not qualified, at the lead stage (their score states written directly)."""
    with UnitOfWork(engine) as uow:
        ids = uow.people.add_many(
            [{"email": f"p{i}@firma.fi", "lifecycle_stage": "lead"} for i in range(PEOPLE)], NOW
        )
        uow.scores.save(
            [
                {
                    "person_id": pid,
                    "model": "core-services",
                    "model_version": "core-services@v1",
                    "events": [],
                    "score": 20.0,
                    "fit": 20.0,
                    "engagement": 0.0,
                    "grade": "C",
                    "qualified": 0,
                    "qualified_by": None,
                    "qualified_ts": None,
                    "buying_stage": None,
                    "themes": ["cloud"],
                    "scored_ts": NOW,
                }
                for pid in ids
            ]
        )
        uow.commit()


def _rounds(url: str, barrier: Any) -> None:
    """Two rounds now (everyone enrolled, two steps each), then two a week later (the third step)."""
    engine = make_engine(url)
    for at in (NOW, NOW + 7 * DAY):
        barrier.wait()
        for _ in range(2):
            nurture.tick(lambda: UnitOfWork(engine), at)
    engine.dispose()


def test_four_workers_enrol_everyone_once_and_perform_each_step_once(
    postgres_engine: Engine, postgres_url: str
) -> None:
    publish(lambda: UnitOfWork(postgres_engine), MODEL)
    nurture.load_nurture(UnitOfWork(postgres_engine), text=NURTURE, source_name="n", author="t", now=NOW)
    _scored_people(postgres_engine)
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(WORKERS)
    procs = [ctx.Process(target=_rounds, args=(postgres_url, barrier)) for _ in range(WORKERS)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(300)
        assert proc.exitcode == 0, "a nurture worker failed"
    with postgres_engine.connect() as conn:
        enrolled = conn.execute(
            text("SELECT count(*), count(DISTINCT person_id) FROM nurture_enrolments")
        ).one()
        statuses = conn.execute(text("SELECT status, count(*) FROM nurture_enrolments GROUP BY status")).all()
        done = conn.execute(
            text("SELECT count(*), count(DISTINCT (enrolment_id, step_index)) FROM nurture_steps_done")
        ).one()
        sent = conn.execute(
            text("SELECT count(*), count(DISTINCT payload->>'key') FROM outbox WHERE topic = :topic"),
            {"topic": "nurture.step_due"},
        ).one()
    assert tuple(enrolled) == (PEOPLE, PEOPLE)
    assert [tuple(s) for s in statuses] == [("completed", PEOPLE)]
    assert tuple(done) == (3 * PEOPLE, 3 * PEOPLE)
    assert tuple(sent) == (3 * PEOPLE, 3 * PEOPLE)
