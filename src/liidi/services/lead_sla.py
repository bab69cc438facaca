"""SLA waits for lead lists: the listed people's latest clocks, read in one query, as of a moment."""

from __future__ import annotations

from typing import Any

from liidi.domain.business_time import BusinessCalendar
from liidi.domain.events import from_epoch
from liidi.domain.sla_wait import SlaWait, describe_wait, wait_of
from liidi.services.sla import ActiveSla, active_sla_in
from liidi.services.unit_of_work import UnitOfWork


def waits_in(uow: UnitOfWork, clocks: dict[int, dict[str, Any]], now: float) -> dict[int, SlaWait]:
    """Each person's wait from their latest clock, in the business time of the clock's policy in force
    (or the SLA's calendar when the policy is gone; wall-clock time when no SLA is loaded)."""
    if not clocks:
        return {}
    active = active_sla_in(uow)
    found: dict[int, SlaWait] = {}
    for person_id, clock in clocks.items():
        wait = wait_of(clock, _calendar(active, str(clock["policy"])), now)
        if wait is not None:
            found[person_id] = wait
    return found


def _calendar(active: ActiveSla | None, policy_name: str) -> BusinessCalendar | None:
    if active is None:
        return None
    policy = active.policies.named(policy_name)
    return policy.calendar if policy is not None else active.policies.calendar


def waiting_first(waits: dict[int, SlaWait]) -> list[int]:
    """The people still waiting: breached by deadline ascending (oldest breach first), then open by
    deadline."""
    waiting = [(pid, w) for pid, w in waits.items() if w.waiting]
    waiting.sort(key=lambda item: (item[1].status != "breached", item[1].due_ts, item[0]))
    return [pid for pid, _ in waiting]


def sla_item(wait: SlaWait | None) -> dict[str, Any] | None:
    """A lead's SLA as JSON, in the shape of the API's."""
    if wait is None:
        return None
    return {
        "status": wait.status,
        "due_at": from_epoch(wait.due_ts).isoformat(),
        "waited_seconds": round(wait.waited_seconds),
        "waited": describe_wait(wait.waited_seconds, wait.day_length),
        "policy": wait.policy,
    }
