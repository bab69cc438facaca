"""The outbox: typed messages from the services, claims under a lease, retries and dead rows."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import Engine, text

from liidi.domain.messages import PersonCreated, PersonMerged
from liidi.services.people import identify, merge_people
from liidi.services.unit_of_work import UnitOfWork
from liidi.storage.repositories import OutboxItem
from tests.builders import NOW

NewUow = Callable[[], UnitOfWork]
LEASE = 30.0


def _queue(new_uow: NewUow, count: int) -> list[int]:
    with new_uow() as uow:
        ids = [uow.outbox.add(PersonMerged(survivor_id=i, merged_id=i + 1), NOW) for i in range(count)]
        uow.commit()
    return ids


def _claim(new_uow: NewUow, worker: str, now: float, limit: int = 10) -> list[OutboxItem]:
    with new_uow() as uow:
        items = uow.outbox.claim(worker, limit, now, LEASE)
        uow.commit()
    return items


def test_services_write_typed_messages_that_read_back(new_uow: NewUow) -> None:
    a = identify(new_uow(), email="anna@kivikoski.fi", now=NOW).person_id
    b = identify(new_uow(), email="anna.k@gmail.com", now=NOW).person_id
    merge_people(new_uow(), survivor_id=a, merged_id=b, actor="test", now=NOW)
    messages = [item.message() for item in _claim(new_uow, "w1", NOW)]
    assert messages == [
        PersonCreated(person_id=a, email="anna@kivikoski.fi"),
        PersonCreated(person_id=b, email="anna.k@gmail.com"),
        PersonMerged(survivor_id=a, merged_id=b),
    ]


def test_a_claimed_row_is_not_claimed_again_until_its_lease_ends(new_uow: NewUow) -> None:
    ids = _queue(new_uow, 3)
    first = _claim(new_uow, "w1", NOW, limit=2)
    assert [i.id for i in first] == ids[:2]
    assert [i.id for i in _claim(new_uow, "w2", NOW + 1)] == ids[2:]
    assert _claim(new_uow, "w2", NOW + LEASE - 1) == []
    # w1 stopped without marking its rows: they come back when its lease ends
    assert [i.id for i in _claim(new_uow, "w2", NOW + LEASE + 0.5)] == ids[:2]
    with new_uow() as uow:
        assert uow.outbox.get(ids[0])["claimed_by"] == "w2"  # type: ignore[index]


def test_a_delivered_row_is_never_claimed_again(new_uow: NewUow) -> None:
    [row] = _queue(new_uow, 1)
    _claim(new_uow, "w1", NOW)
    with new_uow() as uow:
        uow.outbox.mark_delivered(row, NOW + 1)
        uow.commit()
    assert _claim(new_uow, "w1", NOW + 10 * LEASE) == []
    with new_uow() as uow:
        stored = uow.outbox.get(row)
        assert stored is not None and (stored["status"], stored["delivered_ts"]) == ("delivered", NOW + 1)
        assert uow.outbox.mark_failed(row, "late failure", NOW + 2, NOW + 3) == "delivered"
        assert uow.outbox.pending() == []


def test_a_failed_row_counts_its_attempts_and_is_due_again_at_its_retry_time(new_uow: NewUow) -> None:
    [row] = _queue(new_uow, 1)
    _claim(new_uow, "w1", NOW)
    with new_uow() as uow:
        assert uow.outbox.mark_failed(row, "HTTP 503 from hook", NOW + 1, retry_at=NOW + 60) == "pending"
        uow.commit()
    assert _claim(new_uow, "w2", NOW + 59) == []
    [again] = _claim(new_uow, "w2", NOW + 60)
    assert (again.id, again.attempts) == (row, 1)
    with new_uow() as uow:
        stored = uow.outbox.get(row)
        assert stored is not None and stored["last_error"].startswith("HTTP 503 from hook")


def test_a_row_is_dead_after_its_last_allowed_attempt_and_never_claimed_again(new_uow: NewUow) -> None:
    [row] = _queue(new_uow, 1)
    statuses = []
    for attempt in range(3):
        now = NOW + attempt * 100
        assert [i.id for i in _claim(new_uow, "w1", now)] == [row]
        with new_uow() as uow:
            statuses.append(uow.outbox.mark_failed(row, "boom", now, now + 1, max_attempts=3))
            uow.commit()
    assert statuses == ["pending", "pending", "dead"]
    assert _claim(new_uow, "w1", NOW + 10_000) == []
    with new_uow() as uow:
        assert uow.outbox.count(status="dead") == 1 and uow.outbox.get(row)["attempts"] == 3  # type: ignore[index]


def test_two_workers_with_open_transactions_never_claim_the_same_row_on_postgresql(
    postgres_engine: Engine,
) -> None:
    new_uow = lambda: UnitOfWork(postgres_engine)  # noqa: E731
    ids = _queue(new_uow, 10)
    holder = new_uow()
    with holder:
        held = holder.outbox.claim("w1", 3, NOW, LEASE)  # its locks are held until it commits
        got: list[OutboxItem] = []

        def other() -> None:
            with new_uow() as uow:
                uow.conn.execute(text("SET LOCAL lock_timeout = '3s'"))
                got.extend(uow.outbox.claim("w2", 10, NOW, LEASE))
                uow.commit()

        worker = threading.Thread(target=other)
        worker.start()
        worker.join(timeout=10)
        assert not worker.is_alive()
        holder.commit()
    assert [i.id for i in held] == ids[:3] and [i.id for i in got] == ids[3:]


def test_concurrent_workers_claim_every_row_exactly_once_on_postgresql(postgres_engine: Engine) -> None:
    new_uow = lambda: UnitOfWork(postgres_engine)  # noqa: E731
    ids = _queue(new_uow, 200)
    claimed: list[int] = []
    start = threading.Barrier(4)

    def work(name: str) -> None:
        start.wait()
        while True:
            with new_uow() as uow:
                items = uow.outbox.claim(name, 7, NOW, LEASE)
                for item in items:
                    uow.outbox.mark_delivered(item.id, NOW)
                uow.commit()
            claimed.extend(i.id for i in items)
            if not items:
                return

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(claimed) == ids
    with new_uow() as uow:
        assert uow.outbox.count(status="delivered") == 200
