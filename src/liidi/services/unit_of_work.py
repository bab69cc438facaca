"""The unit of work: one connection, one transaction, and the repositories that share it."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from types import TracebackType
from typing import TypeVar

from sqlalchemy import Connection, Engine, RootTransaction
from sqlalchemy.exc import DBAPIError

from liidi.errors import Conflict
from liidi.storage.repositories import (
    AccountRepository,
    ApiKeyRepository,
    AssignmentRepository,
    AttributeTypeRepository,
    BacktestRepository,
    BatchScoreRepository,
    DeliveryRepository,
    DocumentRepository,
    EventRepository,
    IdentityRepository,
    LifecycleRepository,
    MergeRepository,
    ModelRepository,
    NameLockRepository,
    NurtureRepository,
    OpportunityRepository,
    OutboxRepository,
    PersonRepository,
    PlanRepository,
    ScoreStateRepository,
    SlaClockRepository,
    SubscriptionRepository,
    TaskRepository,
    TouchRepository,
    WeekNoteRepository,
)
from liidi.storage.repositories.profile import ProfileRepository


class UnitOfWork:
    """`with uow: ...; uow.commit()` — anything not committed is rolled back on exit."""

    conn: Connection
    people: PersonRepository
    identities: IdentityRepository
    accounts: AccountRepository
    events: EventRepository
    lifecycle: LifecycleRepository
    merges: MergeRepository
    opportunities: OpportunityRepository
    keys: ApiKeyRepository
    outbox: OutboxRepository
    models: ModelRepository
    scores: ScoreStateRepository
    batch_scores: BatchScoreRepository
    backtests: BacktestRepository
    locks: NameLockRepository
    attributes: AttributeTypeRepository
    profile: ProfileRepository
    documents: DocumentRepository
    assignments: AssignmentRepository
    subscriptions: SubscriptionRepository
    deliveries: DeliveryRepository
    touches: TouchRepository
    nurture: NurtureRepository
    sla_clocks: SlaClockRepository
    plans: PlanRepository
    week_notes: WeekNoteRepository
    tasks: TaskRepository

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._tx: RootTransaction | None = None

    def __enter__(self) -> UnitOfWork:
        self.conn = self.engine.connect()
        self._tx = self.conn.begin()
        for name, repo in (
            ("people", PersonRepository),
            ("identities", IdentityRepository),
            ("accounts", AccountRepository),
            ("events", EventRepository),
            ("lifecycle", LifecycleRepository),
            ("merges", MergeRepository),
            ("opportunities", OpportunityRepository),
            ("keys", ApiKeyRepository),
            ("outbox", OutboxRepository),
            ("models", ModelRepository),
            ("scores", ScoreStateRepository),
            ("batch_scores", BatchScoreRepository),
            ("backtests", BacktestRepository),
            ("locks", NameLockRepository),
            ("attributes", AttributeTypeRepository),
            ("profile", ProfileRepository),
            ("documents", DocumentRepository),
            ("assignments", AssignmentRepository),
            ("subscriptions", SubscriptionRepository),
            ("deliveries", DeliveryRepository),
            ("touches", TouchRepository),
            ("nurture", NurtureRepository),
            ("sla_clocks", SlaClockRepository),
            ("plans", PlanRepository),
            ("week_notes", WeekNoteRepository),
            ("tasks", TaskRepository),
        ):
            setattr(self, name, repo(self.conn))
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._tx is not None and self._tx.is_active:
            self._tx.rollback()
        self.conn.close()

    def commit(self) -> None:
        """Make everything done in this unit of work durable."""
        if self._tx is not None:
            self._tx.commit()


T = TypeVar("T")
log = logging.getLogger(__name__)
ATTEMPTS = 8
# Deadlock, serialization failure, "someone else just created it", lock not available.
_RETRYABLE_STATES = frozenset({"40P01", "40001", "23505", "55P03"})


class ChangedMeanwhile(Conflict):
    """Another writer changed what this transaction relied on (a person was merged); it is run again."""


def is_retryable(error: BaseException) -> bool:
    """True for failures that running the whole transaction again can cure."""
    if isinstance(error, ChangedMeanwhile):
        return True
    if isinstance(error, DBAPIError):
        orig = error.orig
        return getattr(orig, "sqlstate", None) in _RETRYABLE_STATES or (
            getattr(orig, "sqlite_errorname", None) == "SQLITE_BUSY"
        )
    return False


def run_in_transaction(uow: UnitOfWork, work: Callable[[UnitOfWork], T], *, attempts: int = ATTEMPTS) -> T:
    """Run `work` in one transaction and commit it; on a deadlock or a lost race, run all of it again.

    `work` must compute its whole result inside the transaction, so a retried run answers as if it had
    been the only one; after `attempts` tries the last failure is raised.
    """
    for attempt in range(1, attempts + 1):
        try:
            with uow:
                result = work(uow)
                uow.commit()
            return result
        except Exception as error:
            if attempt == attempts or not is_retryable(error):
                raise
            log.info("transaction retried (attempt %d of %d): %s", attempt, attempts, type(error).__name__)
            time.sleep(random.uniform(0.0, min(0.5, 0.005 * 2**attempt)))
    raise AssertionError("unreachable")  # pragma: no cover
