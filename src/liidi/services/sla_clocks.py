"""Response-SLA clocks inside the caller's transaction: started at the hand-over, stopped by a response.

A clock starts when a lead is assigned to an owner and a policy of the SLA in force matches it
(qualified_by, motion, grade); a hand-over dated before any SLA was in force (history imported or scored
afterwards) starts its clock when the first SLA was loaded, so the past is not judged by rules it never had.
Its deadline, warning and escalation times are in the policy's business time. The first touch after the
start stops it (`met`; late when after the deadline); so does an accept or a reject by sales, which are
responses too. Giving the lead to someone else closes the waiting clock (`closed`) and starts a new one for
the new owner.
"""

from __future__ import annotations

from typing import Any

from liidi.domain.sla import SlaPolicy
from liidi.services.sla import active_sla_in
from liidi.services.unit_of_work import UnitOfWork

OPEN = "open"


def start_clock_in(
    uow: UnitOfWork,
    *,
    person_id: int,
    owner: str | None,
    team: str | None,
    motion: str | None,
    qualified_by: str | None,
    grade: str | None,
    at: float,
) -> dict[str, Any] | None:
    """Close the person's waiting clock and start one for the new owner; the clock, or None when the lead
    has no owner, no SLA is loaded or no policy matches. A lead given to someone else while it waits keeps
    how it qualified (a hand-raiser reassigned by hand is still a hand-raiser)."""
    waiting = uow.sla_clocks.waiting_of(person_id)
    if waiting:
        qualified_by = waiting[-1]["qualified_by"] or qualified_by
        uow.sla_clocks.close_waiting(person_id, at)
    active = active_sla_in(uow) if owner else None
    if active is None or owner is None:
        return None
    policy = active.policies.policy_for(qualified_by=qualified_by, motion=motion, grade=grade)
    if policy is None:
        return None
    at = max(at, active.since)
    warning = policy.warning_at(at)
    due = policy.deadline(at)
    values: dict[str, Any] = {
        "person_id": person_id,
        "policy": policy.name,
        "sla_version": active.version,
        "owner": owner,
        "team": team,
        "motion": motion,
        "qualified_by": qualified_by,
        "started_ts": at,
        "due_ts": due,
        "warning_ts": warning,
        "escalation_step": 0,
        "status": OPEN,
        "next_ts": warning if warning is not None else due,
    }
    return values | {"id": uow.sla_clocks.add(values)}


def stop_clocks_in(uow: UnitOfWork, person_id: int, at: float) -> int:
    """A response to the person at `at` (a touch, an accept, a reject) stops their waiting clocks started
    at or before it; how many stopped."""
    stopped = 0
    for clock in uow.sla_clocks.waiting_of(person_id):
        if clock["started_ts"] <= at:
            stopped += uow.sla_clocks.stop(clock["id"], at)
    return stopped


def next_ts(policy: SlaPolicy | None, clock: dict[str, Any]) -> float | None:
    """When the scan next has work on a waiting clock: its warning, its deadline, or its next step."""
    if clock["breached_ts"] is None:
        warning = clock["warning_ts"]
        if warning is not None and clock["warned_ts"] is None:
            return float(min(warning, clock["due_ts"]))
        return float(clock["due_ts"])
    steps = policy.ladder.steps if policy is not None else ()
    index = clock["escalation_step"]
    if policy is None or index >= len(steps):
        return None
    return policy.calendar.add(clock["due_ts"], steps[index].after)
