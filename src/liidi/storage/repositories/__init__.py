"""Repositories: read and write rows inside a caller's transaction; they never commit."""

from liidi.storage.repositories.accounts import AccountRepository
from liidi.storage.repositories.assignments import AssignmentRepository
from liidi.storage.repositories.attributes import AttributeTypeRepository
from liidi.storage.repositories.backtests import BacktestRepository
from liidi.storage.repositories.batch_scores import BatchScoreRepository
from liidi.storage.repositories.deliveries import DeliveryRepository, SubscriptionRepository
from liidi.storage.repositories.documents import DocumentRepository
from liidi.storage.repositories.events import EventRepository
from liidi.storage.repositories.identities import IdentityRepository
from liidi.storage.repositories.locks import NameLockRepository
from liidi.storage.repositories.models import ModelRepository
from liidi.storage.repositories.nurture import NurtureRepository
from liidi.storage.repositories.outbox import OutboxItem, OutboxRepository
from liidi.storage.repositories.pacing import TaskRepository, WeekNoteRepository
from liidi.storage.repositories.people import PersonRepository
from liidi.storage.repositories.planning import PlanRepository
from liidi.storage.repositories.records import (
    ApiKeyRepository,
    LifecycleRepository,
    MergeRepository,
    OpportunityRepository,
)
from liidi.storage.repositories.scores import ScoreStateRepository
from liidi.storage.repositories.sla_clocks import SlaClockRepository
from liidi.storage.repositories.touches import TouchRepository

__all__ = [
    "AccountRepository",
    "ApiKeyRepository",
    "AssignmentRepository",
    "AttributeTypeRepository",
    "BacktestRepository",
    "BatchScoreRepository",
    "DeliveryRepository",
    "DocumentRepository",
    "EventRepository",
    "IdentityRepository",
    "LifecycleRepository",
    "MergeRepository",
    "ModelRepository",
    "NameLockRepository",
    "NurtureRepository",
    "OpportunityRepository",
    "OutboxItem",
    "OutboxRepository",
    "PersonRepository",
    "PlanRepository",
    "ScoreStateRepository",
    "SlaClockRepository",
    "SubscriptionRepository",
    "TaskRepository",
    "TouchRepository",
    "WeekNoteRepository",
]
