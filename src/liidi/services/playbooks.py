"""Playbook triggers: when last week fell short of a playbook's threshold, a task and a message, once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from liidi.domain.messages import PlaybookTriggered
from liidi.domain.pacing import Playbook, Week, week_of
from liidi.errors import FieldError, ValidationFailed
from liidi.services.clock import resolve_now
from liidi.services.documents import active_document_in
from liidi.services.pacing import KIND, active_plan_of
from liidi.services.unit_of_work import UnitOfWork, run_in_transaction

NewUow = Callable[[], UnitOfWork]
STATUSES = ("open", "done")
MAX_TASKS = 1000


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one playbook did for the week measured: fired, already fired, or on pace (not fired)."""

    playbook: str
    metric: str
    actual: int | None
    below: int
    result: str  # fired, already, on_pace
    task_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "playbook": self.playbook,
            "metric": self.metric,
            "actual": self.actual,
            "below": self.below,
            "result": self.result,
            "task_id": self.task_id,
        }


@dataclass(frozen=True, slots=True)
class PlaybookRun:
    """One pass over the plan's playbooks for the last complete week."""

    period: str
    outcomes: list[Outcome]

    @property
    def fired(self) -> int:
        """How many playbooks fired in this pass."""
        return sum(o.result == "fired" for o in self.outcomes)


def run(new_uow: NewUow, *, now: float | None = None) -> PlaybookRun:
    """Evaluate every playbook of the plan in force on the last complete ISO week; each fires at most
    once per week, however many workers run at once (the tasks' unique key decides)."""
    ts = resolve_now(now)
    measured = week_of(ts).shifted(-1)
    with new_uow() as uow:
        doc = active_document_in(uow, KIND)
    if doc is None:
        return PlaybookRun(measured.label, [])
    plan = active_plan_of(doc)
    outcomes = []
    for playbook in plan.playbooks:
        actual = _count(new_uow(), playbook, measured)

        def work(tx: UnitOfWork, playbook: Playbook = playbook, actual: int = actual) -> Outcome:
            return _play_in(tx, playbook, measured, actual, doc.version, ts)

        outcomes.append(run_in_transaction(new_uow(), work))
    return PlaybookRun(measured.label, outcomes)


def _count(uow: UnitOfWork, playbook: Playbook, measured: Week) -> int:
    """Last week's metric for the playbook's people, counted by the store as the weekly review counts."""
    from liidi.analytics.pacing_counts import weekly_counts, weekly_statements
    from liidi.analytics.report_query import run_report
    from liidi.services.report_source import report_source  # sqlglot and the engines: only when counting

    metrics = [playbook.metric]
    statements = weekly_statements(metrics, measured.start, measured.end, where=playbook.where.values)
    counts = weekly_counts(metrics, run_report(*report_source(uow, None, None), statements))
    return sum(n for _, _, n in counts[playbook.metric])


def _play_in(
    tx: UnitOfWork, playbook: Playbook, measured: Week, actual: int, version: int, now: float
) -> Outcome:
    """Below the threshold, store the task and its message together (nothing when the task is already
    stored)."""
    if tx.tasks.exists(playbook.name, measured.label):
        return Outcome(playbook.name, playbook.metric, None, playbook.below, "already")
    if not playbook.fires(actual):
        return Outcome(playbook.name, playbook.metric, actual, playbook.below, "on_pace")
    runs_in = measured.shifted(1)
    detail = _detail(playbook, measured, actual)
    task_id = tx.tasks.add_once(
        {
            "kind": "playbook",
            "title": playbook.title(runs_in)[:300],
            "detail": detail,
            "owner": playbook.owner,
            "playbook": playbook.name,
            "period": measured.label,
            "due_period": runs_in.label,
            "plan_version": version,
            "status": "open",
            "created_ts": now,
        }
    )
    if task_id is None:
        return Outcome(playbook.name, playbook.metric, actual, playbook.below, "already")
    message = _message(playbook, task_id, measured, runs_in, actual, version, now)
    tx.tasks.set_outbox(task_id, tx.outbox.add(message, now))
    return Outcome(playbook.name, playbook.metric, actual, playbook.below, "fired", task_id)


def _detail(playbook: Playbook, measured: Week, actual: int) -> str:
    """Why the task exists, in a sentence, and the playbook's note."""
    why = (
        f"{playbook.metric} of {playbook.where.describe()} in {measured.label}: {actual}, "
        f"below {playbook.below} (playbook {playbook.name})."
    )
    return f"{why} {playbook.note}" if playbook.note else why


def _message(
    playbook: Playbook, task_id: int, measured: Week, runs_in: Week, actual: int, version: int, now: float
) -> PlaybookTriggered:
    return PlaybookTriggered(
        key=f"playbook:{playbook.name}:{measured.label}",
        task_id=task_id,
        playbook=playbook.name,
        period=measured.label,
        runs_in=runs_in.label,
        metric=playbook.metric,
        actual=actual,
        below=playbook.below,
        where={k: list(v) for k, v in playbook.where.values.items()},
        action=playbook.action,
        title=playbook.title(runs_in),
        contacts_per_day=playbook.contacts_per_day,
        meetings=playbook.meetings,
        owner=playbook.owner,
        note=playbook.note,
        plan_version=version,
        occurred_ts=now,
    )


def list_tasks(uow: UnitOfWork, *, status: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """Tasks, newest first, optionally of one status."""
    if status is not None and status not in STATUSES:
        raise ValidationFailed(
            [FieldError("status", status[:40], f"must be one of {', '.join(STATUSES)}")],
            f"status {status[:40]!r}: must be one of {', '.join(STATUSES)}",
        )
    if isinstance(limit, bool) or not 1 <= limit <= MAX_TASKS:
        reason = f"must be a whole number from 1 to {MAX_TASKS}"
        raise ValidationFailed([FieldError("limit", limit, reason)], f"limit {limit}: {reason}")
    with uow:
        return uow.tasks.list(status, limit)
