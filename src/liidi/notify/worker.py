"""The worker loop: run every task (outbox delivery, nurture rounds, SLA scans, playbooks) until stopped.

Each task is a function that does one bounded pass and returns how much it did; the loop runs them in
turn, goes straight on while any found work, and otherwise waits `interval` seconds or until stopped.
A stop (SIGTERM, SIGINT or `stop.set()`) lets the current pass finish, so nothing taken is abandoned.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType

from liidi.config import Settings
from liidi.notify.dispatcher import Dispatcher
from liidi.services import nurture, playbooks, sla_scan
from liidi.services.deliveries import NewUow

log = logging.getLogger(__name__)
NURTURE_EVERY_SECONDS = 60.0
"""Nurture waits are days long: a round (exits, enrolments, due steps) a minute is plenty."""
SLA_EVERY_SECONDS = 15.0
"""SLA deadlines are minutes apart at the shortest: a scan every 15 seconds announces each in time."""
PLAYBOOKS_EVERY_SECONDS = 300.0
"""Playbooks judge whole weeks: a pass every five minutes starts a play minutes after a week ends."""


@dataclass(frozen=True, slots=True)
class Task:
    """A named pass the worker runs again and again; it returns how much work it found."""

    name: str
    run: Callable[[], int]


@dataclass
class Worker:
    """Runs its tasks in a loop until `stop` is set."""

    tasks: list[Task]
    interval: float
    stop: threading.Event = field(default_factory=threading.Event)

    def run_once(self) -> int:
        """One pass of every task; the work found in all (a failing task is logged and counts 0)."""
        found = 0
        for task in self.tasks:
            try:
                found += task.run()
            except Exception:
                log.exception("worker task %s failed; it runs again on the next pass", task.name)
        return found

    def run(self) -> None:
        """Pass after pass until stopped; waits only when a pass found nothing to do."""
        while not self.stop.is_set():
            if self.run_once() == 0:
                self.stop.wait(self.interval)


def dispatch_task(dispatcher: Dispatcher) -> Task:
    """Outbox delivery as a worker task: messages taken in one pass."""

    def run() -> int:
        return dispatcher.run_pass().taken

    return Task("outbox", run)


def nurture_task(new_uow: NewUow, every: float = NURTURE_EVERY_SECONDS) -> Task:
    """Nurture rounds as a worker task, at most one per `every` seconds: people exited, enrolled and
    steps performed in the round."""
    last = float("-inf")

    def run() -> int:
        nonlocal last
        if time.monotonic() - last < every:
            return 0
        last = time.monotonic()
        done = nurture.tick(new_uow)
        return done.exited + done.enrolled + done.performed

    return Task("nurture", run)


def sla_task(new_uow: NewUow, every: float = SLA_EVERY_SECONDS) -> Task:
    """SLA scans as a worker task, at most one per `every` seconds unless the last found work: warnings,
    breaches and escalation steps announced."""
    last = float("-inf")

    def run() -> int:
        nonlocal last
        if time.monotonic() - last < every:
            return 0
        done = sla_scan.scan(new_uow).total
        last = time.monotonic() if done == 0 else float("-inf")
        return done

    return Task("sla", run)


def playbook_task(new_uow: NewUow, every: float = PLAYBOOKS_EVERY_SECONDS) -> Task:
    """Playbook passes as a worker task, at most one per `every` seconds: playbooks fired (each at most
    once per week, whatever the number of workers)."""
    last = float("-inf")

    def run() -> int:
        nonlocal last
        if time.monotonic() - last < every:
            return 0
        last = time.monotonic()
        return playbooks.run(new_uow).fired

    return Task("playbooks", run)


def worker_for(new_uow: NewUow, settings: Settings, *, name: str | None = None) -> tuple[Worker, Dispatcher]:
    """A worker with the standard tasks on a store, and its dispatcher (close it when done)."""
    dispatcher = Dispatcher(new_uow, settings, name=name)
    tasks = [dispatch_task(dispatcher), nurture_task(new_uow), sla_task(new_uow), playbook_task(new_uow)]
    return Worker(tasks, settings.dispatch_interval_seconds), dispatcher


def stop_on_signals(stop: threading.Event) -> None:
    """Set `stop` on SIGTERM and SIGINT (from the main thread); a second signal ends the process at once."""

    def handle(signum: int, _frame: FrameType | None) -> None:
        if stop.is_set():
            raise SystemExit(128 + signum)
        log.info("stopping after the current pass (signal %d)", signum)
        stop.set()

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)


def start_in_background(new_uow: NewUow, settings: Settings) -> Callable[[], None]:
    """Run the worker in a daemon thread of this process (`liidi serve`); returns the function that stops
    it, waiting for the current pass to end."""
    worker, dispatcher = worker_for(new_uow, settings)
    thread = threading.Thread(target=worker.run, name="liidi-dispatch", daemon=True)
    thread.start()

    def stop() -> None:
        worker.stop.set()
        thread.join(timeout=settings.delivery_timeout_seconds + 5)
        dispatcher.close()

    return stop
