"""The unit of work: one connection, one transaction, and the repositories that share it."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection, Engine, RootTransaction

from liidi.storage.repositories import (
    AccountRepository,
    ApiKeyRepository,
    BacktestRepository,
    BatchScoreRepository,
    EventRepository,
    IdentityRepository,
    LifecycleRepository,
    MergeRepository,
    ModelRepository,
    OpportunityRepository,
    OutboxRepository,
    PersonRepository,
    ScoreStateRepository,
)


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
