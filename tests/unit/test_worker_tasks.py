"""The worker runs nurture rounds, SLA scans and playbooks beside outbox delivery, nurture at most once a
minute and playbooks at most once in their interval."""

from __future__ import annotations

from collections.abc import Callable

from liidi.config import Settings
from liidi.notify.worker import nurture_task, playbook_task, worker_for
from liidi.services.unit_of_work import UnitOfWork


def test_the_worker_runs_outbox_delivery_nurture_rounds_sla_scans_and_playbooks(
    new_uow: Callable[[], UnitOfWork],
) -> None:
    worker, dispatcher = worker_for(new_uow, Settings())
    try:
        assert [task.name for task in worker.tasks] == ["outbox", "nurture", "sla", "playbooks"]
    finally:
        dispatcher.close()


def test_a_nurture_round_runs_at_most_once_in_its_interval(new_uow: Callable[[], UnitOfWork]) -> None:
    calls: list[int] = []

    def counted() -> UnitOfWork:
        calls.append(1)
        return new_uow()

    task = nurture_task(counted, every=3600)
    task.run()
    first = len(calls)
    task.run()

    assert first > 0 and len(calls) == first


def test_a_playbook_pass_runs_at_most_once_in_its_interval(new_uow: Callable[[], UnitOfWork]) -> None:
    calls: list[int] = []

    def counted() -> UnitOfWork:
        calls.append(1)
        return new_uow()

    task = playbook_task(counted, every=3600)
    assert task.run() == 0
    first = len(calls)
    task.run()

    assert first > 0 and len(calls) == first
