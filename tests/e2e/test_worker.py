"""`liidi worker` and `liidi serve` as processes: killed mid-delivery and restarted, two workers, stops."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from liidi.services import outbox
from liidi.services.keys import create_key
from liidi.services.unit_of_work import UnitOfWork
from tests.e2e.test_serve import LIIDI, env_for, free_port, running_server
from tests.integration.test_dispatch import merges, queue, subscribe
from tests.receivers import Receiver, receiving, wait_until

FAST = {
    "LIIDI_WEBHOOK_ALLOW_PRIVATE": "true",
    "LIIDI_DISPATCH_INTERVAL_SECONDS": "0.05",
    "LIIDI_DELIVERY_BACKOFF_SECONDS": "0.05",
    "LIIDI_DELIVERY_BACKOFF_MAX_SECONDS": "0.2",
}


def worker_env(db_url: str, **extra: str) -> dict[str, str]:
    return env_for(db_url) | FAST | extra


def worker(db_url: str, *args: str, **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [LIIDI, "worker", *args],
        env=worker_env(db_url, **extra),
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def once(db_url: str, **extra: str) -> str:
    done = subprocess.run(
        [LIIDI, "worker", "--once"],
        env=worker_env(db_url, **extra),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_worker_killed_mid_delivery_leaves_the_message_to_the_next_one_after_its_lease(
    engine: Engine, db_url: str
) -> None:
    new_uow = lambda: UnitOfWork(engine)  # noqa: E731
    with receiving(Receiver(delay=4.0)) as hook:
        subscribe(new_uow, hook.url)
        [message] = queue(new_uow, merges(1))
        proc = worker(db_url, LIIDI_DISPATCH_LEASE_SECONDS="6")
        try:
            assert wait_until(lambda: len(hook.requests) == 1, timeout=60)
            os.kill(proc.pid, signal.SIGKILL)  # mid-delivery: the receiver has not answered yet
        finally:
            proc.wait(30)
        hook.delay = 0.0
        held = outbox.get_message(new_uow(), outbox_id=message)
        assert (held["status"], held["attempts"]) == ("pending", 0)
        assert "0 messages taken" in once(db_url), "the dead worker's lease still holds the message"
        time.sleep(6.0)
        assert "1 message taken; deliveries: 1 delivered" in once(db_url)

    first, again = hook.requests
    assert first.headers["Idempotency-Key"] == again.headers["Idempotency-Key"] and first.body == again.body
    assert len(hook.accepted) == 1
    done = outbox.get_message(new_uow(), outbox_id=message)
    assert done["status"] == "delivered" and done["deliveries"][0]["attempts"] == 1


def test_two_workers_on_postgresql_deliver_every_message_exactly_once(postgres_engine: Engine) -> None:
    new_uow = lambda: UnitOfWork(postgres_engine)  # noqa: E731
    url = postgres_engine.url.render_as_string(hide_password=False)
    with receiving(Receiver(delay=0.02)) as hook:
        subscribe(new_uow, hook.url)
        queue(new_uow, merges(300))
        extra = {"LIIDI_DISPATCH_BATCH": "5", "LIIDI_DISPATCH_CONCURRENCY": "2"}
        procs = [
            subprocess.Popen(
                [LIIDI, "worker", "--once", "--name", f"w{n}"],
                env=worker_env(url, **extra),
                text=True,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for n in (1, 2)
        ]
        outputs = [p.communicate(timeout=180) for p in procs]

    assert [p.returncode for p in procs] == [0, 0], [err for _, err in outputs]
    delivered = [int(out.split("deliveries:")[1].split()[0]) for out, _ in outputs]
    assert sum(delivered) == 300 and min(delivered) > 0, delivered
    assert len(hook.requests) == 300 and len(set(hook.keys())) == 300


def test_a_worker_stops_on_sigterm_after_finishing_the_delivery_it_is_making(
    engine: Engine, db_url: str
) -> None:
    new_uow = lambda: UnitOfWork(engine)  # noqa: E731
    with receiving(Receiver(delay=1.5)) as hook:
        subscribe(new_uow, hook.url)
        [message] = queue(new_uow, merges(1))
        proc = worker(db_url)
        assert wait_until(lambda: len(hook.requests) == 1, timeout=60)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "worker stopped" in out and "Traceback" not in err
    assert outbox.get_message(new_uow(), outbox_id=message)["status"] == "delivered"


def test_serve_delivers_the_outbox_in_process_unless_told_not_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from liidi.storage import session

    url = f"sqlite:///{tmp_path / 'liidi.db'}"
    session.upgrade(url)
    engine = session.make_engine(url)
    new_uow = lambda: UnitOfWork(engine)  # noqa: E731
    admin = {"Authorization": f"Bearer {create_key(new_uow(), scope='admin').secret}"}
    for name, value in FAST.items():
        monkeypatch.setenv(name, value)
    try:
        with receiving() as hook:
            port = free_port()
            with running_server(url, port):
                base = f"http://127.0.0.1:{port}"
                added = httpx.post(f"{base}/v1/webhooks", json={"url": hook.url}, headers=admin, timeout=10)
                assert added.status_code == 201, added.text
                start = time.monotonic()
                body = {"email": "anna@kivikoski.fi"}
                assert httpx.post(f"{base}/v1/identify", json=body, headers=admin, timeout=10).is_success
                assert wait_until(lambda: len(hook.requests) == 1, timeout=10)
                assert time.monotonic() - start < 2.0
                assert hook.requests[0].json()["topic"] == "person.created"
            with running_server(url, free_port(), "--no-dispatch"):
                queue(new_uow, merges(1))
                time.sleep(1.5)
            assert len(hook.requests) == 1
    finally:
        engine.dispose()
