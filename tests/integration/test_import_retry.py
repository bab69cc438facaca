"""A CSV import that PostgreSQL picks as a deadlock victim is run again whole, its progress rewound."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import Engine, text

from liidi.services import imports
from liidi.services.imports import import_people
from liidi.services.people import upsert_people
from liidi.services.unit_of_work import UnitOfWork


def test_an_import_deadlocked_by_a_live_writer_is_retried_and_stores_everything(
    postgres_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "PEOPLE_CHUNK", 1)  # a is stored (and shown) before b is waited for
    a, b = (
        r.person_id
        for r in upsert_people(
            UnitOfWork(postgres_engine), records=[{"email": "a@x.fi"}, {"email": "b@x.fi"}]
        )
    )
    barrier = threading.Barrier(2)

    def live_writer() -> None:
        with UnitOfWork(postgres_engine) as uow:
            uow.people.lock({b})
            barrier.wait(timeout=30)
            time.sleep(0.5)  # the import has updated a and waits for b
            uow.people.lock({a})
            uow.commit()

    thread = threading.Thread(target=live_writer)
    thread.start()
    barrier.wait(timeout=30)
    shown: list[int] = []
    records = [{"email": "a@x.fi", "first_name": "Aino"}, {"email": "b@x.fi", "first_name": "Bo"}]
    result = import_people(UnitOfWork(postgres_engine), records=records, progress=shown.append)
    thread.join(60)

    assert (result.records, result.created, result.updated_or_duplicate) == (2, 0, 2)
    assert any(step < 0 for step in shown), "the import was not retried"
    assert sum(shown) == 2
    with postgres_engine.connect() as conn:
        names = conn.execute(text("SELECT first_name FROM people ORDER BY id")).scalars().all()
    assert names == ["Aino", "Bo"]
