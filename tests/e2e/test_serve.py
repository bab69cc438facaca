"""`liidi serve`: the port is bound before startup work, several workers share it, jobs are recovered once."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine

from liidi.services import backtest, backtest_jobs
from liidi.services.unit_of_work import UnitOfWork
from liidi.storage import session
from tests.builders import publish
from tests.e2e.test_backtest_restart import NAIVE, add_job

LIIDI = str(Path(sys.executable).with_name("liidi"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def env_for(db_url: str) -> dict[str, str]:
    return os.environ | {"LIIDI_DATABASE_URL": db_url, "LIIDI_LOG_LEVEL": "warning", "COLUMNS": "80"}


@contextmanager
def running_server(
    db_url: str, port: int, *extra: str, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[str]]:
    """`liidi serve` on 127.0.0.1:port (with `env` added to its environment) until the block ends; waits
    until it answers."""
    args = [LIIDI, "serve", "--host", "127.0.0.1", "--port", str(port), *extra]
    proc = subprocess.Popen(args, env=env_for(db_url) | (env or {}), text=True, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        assert proc.poll() is None, "the server stopped"
        yield proc
    finally:
        proc.terminate()
        proc.wait(30)


def job(engine: Engine, job_id: int) -> dict[str, Any]:
    return backtest_jobs.get_job(UnitOfWork(engine), job_id=job_id)


def test_a_second_server_on_a_busy_port_stops_with_an_error_and_leaves_the_running_servers_jobs_alone(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'liidi.db'}"
    session.upgrade(url)
    engine = session.make_engine(url)
    running = add_job(engine, status="running", progress=0.5, started_ts=5.0, runner="a" * 32)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        args = [LIIDI, "serve", "--host", "127.0.0.1", "--port", str(port)]
        done = subprocess.run(args, env=env_for(url), capture_output=True, text=True, timeout=60)

    assert done.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr
    assert (job(engine, running)["status"], job(engine, running)["error"]) == ("running", None)


def test_two_workers_serve_one_port_and_fail_an_earlier_servers_job_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'liidi.db'}"
    session.upgrade(url)
    engine = session.make_engine(url)
    left = add_job(engine, status="running", progress=0.5, started_ts=5.0, runner="b" * 32)
    port = free_port()
    with running_server(url, port, "--workers", "2") as proc:
        statuses = {httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code for _ in range(40)}
        assert statuses == {200}
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        commands = [Path(f"/proc/{child}/cmdline").read_bytes() for child in children]
        assert sum(b"spawn_main" in command for command in commands) == 2, "two worker processes"
    assert job(engine, left)["status"] == "failed"
    assert job(engine, left)["error"] == backtest_jobs.INTERRUPTED


def test_a_job_marked_interrupted_by_mistake_clears_the_error_when_it_finishes(engine: Engine) -> None:
    new_uow = lambda: UnitOfWork(engine)  # noqa: E731
    publish(new_uow, NAIVE)
    held: list[Any] = []
    params = backtest.check_params(start="2026-09-01", end="2026-09-15")
    job_id = backtest_jobs.start_job(new_uow, name="naive", version=1, params=params, background=held.append)
    with new_uow() as uow:
        uow.backtests.change(job_id, {"status": "failed", "error": backtest_jobs.INTERRUPTED})
        uow.commit()

    held[0]()

    assert (job(engine, job_id)["status"], job(engine, job_id)["error"]) == ("done", None)
