"""A backtest job cut off by a server stop is failed when a server starts; this server's jobs are kept."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from liidi.api.app import create_app
from liidi.config import Settings
from liidi.services import backtest, backtest_jobs
from liidi.services.keys import create_key
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import publish

NAIVE = """model: naive
engagement:
  - {name: page view, when: {event: page_view}, points: 1}
qualify:
  mql: engagement >= 3
"""
EARLIER_SERVER = textwrap.dedent(
    """
    import sys
    from liidi.services import backtest, backtest_jobs
    from liidi.services.unit_of_work import UnitOfWork
    from liidi.storage.session import make_engine

    engine = make_engine(sys.argv[1])
    new_uow = lambda: UnitOfWork(engine)
    params = backtest.check_params(start="2026-09-01", end="2026-09-15")
    job_id = backtest_jobs.start_job(
        new_uow, name="naive", version=1, params=params, background=lambda work: None
    )
    with new_uow() as uow:
        uow.backtests.change(job_id, {"status": "running", "progress": 0.4, "started_ts": 1000.0})
        uow.commit()
    print(job_id, backtest_jobs.RUN_ID)
    """
)


def job_of_an_earlier_server(db_url: str) -> tuple[int, str]:
    """A job started, and left running at 40 %, by another Python process that then exited."""
    done = subprocess.run(
        [sys.executable, "-c", EARLIER_SERVER, db_url],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    job_id, run_id = done.stdout.split()
    return int(job_id), run_id


def add_job(engine: Engine, **values: Any) -> int:
    with UnitOfWork(engine) as uow:
        job_id = uow.backtests.add({"progress": 0.0, "params": {}, "created_ts": 0.0} | values)
        uow.commit()
    return job_id


def with_a_new_server(engine: Engine, db_url: str, read: Callable[[TestClient, dict[str, str]], Any]) -> Any:
    """Start an app on the database (its startup runs) and read from it."""
    admin = {"Authorization": f"Bearer {create_key(UnitOfWork(engine), scope='admin').secret}"}
    with TestClient(create_app(Settings(database_url=db_url), engine)) as client:
        return read(client, admin)


def get_jobs(*ids: int) -> Callable[[TestClient, dict[str, str]], list[dict[str, Any]]]:
    def read(client: TestClient, admin: dict[str, str]) -> list[dict[str, Any]]:
        replies = [client.get(f"/v1/backtests/{job_id}", headers=admin) for job_id in ids]
        assert all(reply.status_code == 200 for reply in replies)
        return [reply.json() for reply in replies]

    return read


def test_a_job_left_running_by_a_stopped_server_is_failed_when_a_new_server_starts(
    engine: Engine, db_url: str
) -> None:
    publish(lambda: UnitOfWork(engine), NAIVE)
    job_id, earlier_run = job_of_an_earlier_server(db_url)
    assert earlier_run != backtest_jobs.RUN_ID
    assert backtest_jobs.get_job(UnitOfWork(engine), job_id=job_id)["status"] == "running"

    (job,) = with_a_new_server(engine, db_url, get_jobs(job_id))

    assert job["status"] == "failed"
    assert job["error"] == backtest_jobs.INTERRUPTED
    assert job["error"].startswith("interrupted: the server stopped before the backtest finished")
    assert job["started_ts"] == 1000.0 and job["finished_ts"] > job["started_ts"]
    assert job["progress"] == 0.4 and job["result"] is None


def test_queued_jobs_and_jobs_from_before_the_runner_was_recorded_are_failed_too(
    engine: Engine, db_url: str
) -> None:
    queued = add_job(engine, status="queued", runner="f" * 32)
    unrecorded = add_job(engine, status="running", progress=0.7, started_ts=5.0)

    jobs = with_a_new_server(engine, db_url, get_jobs(queued, unrecorded))

    assert [(job["status"], job["error"]) for job in jobs] == [("failed", backtest_jobs.INTERRUPTED)] * 2
    assert all(job["finished_ts"] is not None for job in jobs)


def test_finished_jobs_of_an_earlier_server_are_left_as_they_were(engine: Engine, db_url: str) -> None:
    earlier = "e" * 32
    done = add_job(engine, status="done", progress=1.0, result={"x": 1}, finished_ts=9.0, runner=earlier)
    failed = add_job(engine, status="failed", error="engine broke", finished_ts=8.0, runner=earlier)

    jobs = with_a_new_server(engine, db_url, get_jobs(done, failed))

    assert [(job["status"], job["error"], job["finished_ts"]) for job in jobs] == [
        ("done", None, 9.0),
        ("failed", "engine broke", 8.0),
    ]


def test_a_job_started_by_this_server_process_is_not_touched_when_an_app_starts(
    engine: Engine, db_url: str
) -> None:
    publish(lambda: UnitOfWork(engine), NAIVE)
    params = backtest.check_params(start="2026-09-01", end="2026-09-15")
    held: list[Callable[[], None]] = []
    queued = backtest_jobs.start_job(
        lambda: UnitOfWork(engine), name="naive", version=1, params=params, background=held.append
    )
    running = add_job(engine, status="running", progress=0.3, started_ts=5.0, runner=backtest_jobs.RUN_ID)

    jobs = with_a_new_server(engine, db_url, get_jobs(queued, running))

    assert [(job["status"], job["error"], job["finished_ts"]) for job in jobs] == [
        ("queued", None, None),
        ("running", None, None),
    ]
    assert backtest_jobs.get_job(UnitOfWork(engine), job_id=queued)["runner"] == backtest_jobs.RUN_ID


def test_marking_interrupted_jobs_failed_names_them_and_is_harmless_to_repeat(engine: Engine) -> None:
    left = add_job(engine, status="running", runner="a" * 32)
    mine = add_job(engine, status="running", runner=backtest_jobs.RUN_ID)

    assert backtest_jobs.fail_interrupted(UnitOfWork(engine), now=50.0) == [left]
    assert backtest_jobs.fail_interrupted(UnitOfWork(engine), now=60.0) == []

    job = backtest_jobs.get_job(UnitOfWork(engine), job_id=left)
    assert (job["status"], job["finished_ts"]) == ("failed", 50.0)
    assert backtest_jobs.get_job(UnitOfWork(engine), job_id=mine)["status"] == "running"
