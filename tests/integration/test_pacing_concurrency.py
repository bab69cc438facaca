"""Several workers running the playbooks at once on PostgreSQL: each playbook fires once per week."""

from __future__ import annotations

import multiprocessing as mp
from typing import Any

import pytest
from sqlalchemy import Engine, text

from liidi.services import pacing, playbooks
from liidi.services.unit_of_work import UnitOfWork
from liidi.storage.session import make_engine
from tests.integration.test_pacing import PLAN
from tests.pacing_support import NOW, seed_weeks

pytestmark = pytest.mark.postgres_only
WORKERS = 4


def _runs(url: str, barrier: Any) -> None:
    """Three passes at once with the other workers, on the same week."""
    engine = make_engine(url)
    barrier.wait()
    for i in range(3):
        playbooks.run(lambda: UnitOfWork(engine), now=NOW + i)
    engine.dispose()


def test_four_worker_processes_fire_a_playbook_once_with_one_message(
    postgres_engine: Engine, postgres_url: str
) -> None:
    new_uow = lambda: UnitOfWork(postgres_engine)  # noqa: E731
    seed_weeks(new_uow)
    pacing.load_plan(new_uow(), text=PLAN, source_name="plan.yaml", author="test", now=NOW)
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(WORKERS)
    procs = [ctx.Process(target=_runs, args=(postgres_url, barrier)) for _ in range(WORKERS)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(300)
        assert proc.exitcode == 0, "a playbook worker failed"
    with postgres_engine.connect() as conn:
        tasks = conn.execute(text("SELECT playbook, period, outbox_id FROM tasks")).all()
        sent = conn.execute(
            text("SELECT id, payload->>'key' FROM outbox WHERE topic = 'playbook.triggered'")
        ).all()
    assert [(t[0], t[1]) for t in tasks] == [("baseline-short", "2026-W48")]
    assert [s[1] for s in sent] == ["playbook:baseline-short:2026-W48"]
    assert tasks[0][2] == sent[0][0]
