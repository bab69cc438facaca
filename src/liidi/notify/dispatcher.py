"""The outbox dispatcher: one pass takes due messages under a lease, sends their deliveries, records them.

Sending happens outside any transaction, several deliveries at a time; while it takes longer than a third
of the lease, the lease is renewed, so another worker takes the messages over only once this one stopped.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

from liidi.config import Settings
from liidi.domain.delivery import EMAIL
from liidi.domain.webhooks import SLACK, WEBHOOK
from liidi.notify import email, slack, webhook
from liidi.services import deliveries
from liidi.services.deliveries import Batch, Fanout, NewUow, Outcome, Recorded, Retry, Work

log = logging.getLogger(__name__)


def worker_name() -> str:
    """A name unique to this process: host, pid and a random part."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True, slots=True)
class Pass:
    """What one pass did: messages taken, and what their tries came to."""

    taken: int
    sent: int
    recorded: Recorded


class Dispatcher:
    """Delivers the outbox of one store; `run_pass` is one pass, safe beside other dispatchers."""

    def __init__(
        self,
        new_uow: NewUow,
        settings: Settings,
        *,
        name: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.new_uow = new_uow
        self.settings = settings
        self.name = name or worker_name()
        self.clock = clock
        self.clients = webhook.Clients(settings.delivery_timeout_seconds)
        self.pool = ThreadPoolExecutor(settings.dispatch_concurrency, thread_name_prefix="liidi-deliver")
        self.fanout = Fanout(frozenset(settings.email_topics), tuple(settings.notify_addresses))
        self.retry = Retry(
            settings.delivery_max_attempts,
            settings.delivery_backoff_seconds,
            settings.delivery_backoff_max_seconds,
        )

    def run_pass(self) -> Pass:
        """Take due messages, send what is due, record every try; how much was done."""
        lease = self.settings.dispatch_lease_seconds
        batch = deliveries.take(
            self.new_uow,
            worker=self.name,
            limit=self.settings.dispatch_batch,
            lease=lease,
            fanout=self.fanout,
            now=self.clock(),
        )
        if not batch.work:
            return Pass(len(batch.outbox_ids), 0, Recorded())
        outcomes = self._send_all(batch, lease)
        done = deliveries.record(
            self.new_uow, worker=self.name, outcomes=outcomes, retry=self.retry, now=self.clock()
        )
        return Pass(len(batch.outbox_ids), len(outcomes), done)

    def _send_all(self, batch: Batch, lease: float) -> list[Outcome]:
        """Send every delivery of the batch, renewing the lease while they take long."""
        futures: dict[Future[str | None], Work] = {self.pool.submit(self.send, w): w for w in batch.work}
        waiting, renewed = set(futures), self.clock()
        while waiting:
            _, waiting = wait(waiting, timeout=lease / 3, return_when=FIRST_COMPLETED)
            if waiting and self.clock() - renewed >= lease / 3:
                renewed = self.clock()
                ids = batch.outbox_ids
                deliveries.renew(self.new_uow, worker=self.name, outbox_ids=ids, until=renewed + lease)
        return [Outcome(work, future.result()) for future, work in futures.items()]

    def send(self, work: Work) -> str | None:
        """Try one delivery; None when it was accepted, else why not (never raises)."""
        allow = self.settings.webhook_allow_private
        try:
            if work.channel == WEBHOOK:
                error = webhook.deliver(self.clients, work, allow_private=allow)
            elif work.channel == SLACK:
                error = slack.deliver(self.clients, work, allow_private=allow)
            elif work.channel == EMAIL:
                error = email.deliver(work, self.settings)
            else:
                error = f"unknown channel {work.channel!r}"
        except Exception as crash:  # a bug in rendering must not stop the other deliveries
            log.exception("delivery %s of message %s crashed", work.delivery_id, work.outbox_id)
            error = f"{type(crash).__name__}: {crash}"
        if error:
            log.warning(
                "delivery %s of message %s to %s failed (try %d): %s",
                work.delivery_id,
                work.outbox_id,
                work.target,
                work.attempts + 1,
                error,
            )
        return error

    def close(self) -> None:
        """Stop the sending threads and close the HTTP clients."""
        self.pool.shutdown(wait=True)
        self.clients.close()
