"""A person's SLA clocks as an audit trail: start, deadline, warning, first touch, breach, escalation, and
the stretches outside business hours when the clock stood still.

The pauses are not written row by row: they follow exactly from the calendar of the SLA version each clock
was started under (stored with the clock as `sla_version`, every version kept), so they are recomputed from
that stored calendar, never from a later one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from liidi.domain.business_time import Interval
from liidi.domain.events import from_epoch
from liidi.domain.sla import SlaPolicies
from liidi.domain.sla_load import load_sla_text
from liidi.services.clock import resolve_now
from liidi.services.identity import live_person_id
from liidi.services.sla import KIND
from liidi.services.unit_of_work import UnitOfWork

MAX_PAUSES = 50
"""Pauses listed per clock; a lead left waiting for months has hundreds, the count says how many."""


@dataclass(frozen=True, slots=True)
class ClockAudit:
    """One clock as stored, with the time it ran and the pauses between its start and its end."""

    clock: dict[str, Any]
    ended_ts: float
    working_seconds: float | None
    pauses: list[Interval]
    pause_count: int


def clock_audit(uow: UnitOfWork, *, person_id: int, now: float | None = None) -> list[ClockAudit]:
    """Every clock of a person (the survivor of merges), oldest first; NotFound for an unknown person."""
    ts = resolve_now(now)
    with uow:
        live = live_person_id(uow, person_id)
        clocks = uow.sla_clocks.history(live)
        versions = {v: uow.documents.version(KIND, v) for v in {c["sla_version"] for c in clocks}}
    parsed = {v: load_sla_text(row["source"], f"sla@v{v}") for v, row in versions.items() if row}
    return [_audit(clock, parsed.get(clock["sla_version"]), ts) for clock in clocks]


def _audit(clock: dict[str, Any], policies: SlaPolicies | None, now: float) -> ClockAudit:
    """The clock's end (first touch, closing, or now while it waits), working time and pauses."""
    ends = [t for t in (clock["first_touch_ts"], clock["closed_ts"]) if t is not None]
    ended = min(ends) if ends else max(now, clock["started_ts"])
    policy = policies.named(clock["policy"]) if policies else None
    if policy is None:
        return ClockAudit(clock, ended, None, [], 0)
    pauses = policy.calendar.pauses(clock["started_ts"], ended)
    worked = policy.calendar.between(clock["started_ts"], ended)
    return ClockAudit(clock, ended, worked, pauses[:MAX_PAUSES], len(pauses))


def audit_item(audit: ClockAudit) -> dict[str, Any]:
    """A clock's audit as JSON: its stored columns with ISO 8601 times, working time and pauses."""
    c = audit.clock
    return {
        "id": c["id"],
        "policy": c["policy"],
        "sla_version": c["sla_version"],
        "owner": c["owner"],
        "team": c["team"],
        "motion": c["motion"],
        "qualified_by": c["qualified_by"],
        "status": c["status"],
        **{f"{name}_at": _iso(c[f"{name}_ts"]) for name in TIMES},
        "escalation_step": c["escalation_step"],
        "ended_at": _iso(audit.ended_ts),
        "working_seconds": audit.working_seconds,
        "pauses": [{"from": _iso(a), "to": _iso(b)} for a, b in audit.pauses],
        "pause_count": audit.pause_count,
    }


TIMES = ("started", "warning", "due", "warned", "breached", "first_touch", "closed")


def _iso(ts: float | None) -> str | None:
    return from_epoch(ts).isoformat() if ts is not None else None
