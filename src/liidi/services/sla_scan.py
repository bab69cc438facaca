"""The SLA scan: warnings, breaches and escalation steps of waiting clocks, each announced once.

Each pass claims the waiting clocks with something due by `now` (FOR UPDATE SKIP LOCKED on PostgreSQL,
so several workers share the work and never take the same clock), writes what became due to the outbox
and moves each clock on, in one transaction. A clock's `next_ts` says when it next has work.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from liidi.domain.messages import Message, SlaBreached, SlaEscalated, SlaWarning
from liidi.domain.routing import Lead, route
from liidi.domain.sla import Action, SlaPolicy, Step
from liidi.services.assignment import ActivePlan, Qualified, active_plan_in, record_in
from liidi.services.clock import resolve_now
from liidi.services.deliveries import NewUow
from liidi.services.identity import live_person_id, lock_people_in
from liidi.services.sla import active_sla_in
from liidi.services.sla_clocks import next_ts
from liidi.services.unit_of_work import UnitOfWork, run_in_transaction

ACTOR = "sla"
BATCH = 100


@dataclass(frozen=True, slots=True)
class ScanDone:
    """What one pass announced."""

    warned: int = 0
    breached: int = 0
    escalated: int = 0

    @property
    def total(self) -> int:
        """Every message written."""
        return self.warned + self.breached + self.escalated


def scan(new_uow: NewUow, *, now: float | None = None, limit: int = BATCH) -> ScanDone:
    """One pass over up to `limit` clocks with a warning, a breach or a step due by `now`."""
    ts = resolve_now(now)

    def work(tx: UnitOfWork) -> ScanDone:
        active = active_sla_in(tx)
        done, run = ScanDone(), _Pass(tx, ts)
        for clock in tx.sla_clocks.claim_due(ts, limit):
            policy = active.policies.named(clock["policy"]) if active else None
            done = _add(done, _advance(run, clock, policy))
        run.flush()
        return done

    return run_in_transaction(new_uow(), work)


@dataclass
class _Pass:
    """One scan's transaction: messages and clock updates are written together (one statement per kind)
    when the pass ends, or before a reassignment, which writes messages and closes clocks of its own."""

    tx: UnitOfWork
    now: float
    messages: list[Message] = field(default_factory=list)
    updates: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    _plan: ActivePlan | bool | None = False

    def plan(self) -> ActivePlan | None:
        """The routing in force, read once per pass."""
        if self._plan is False:
            self._plan = active_plan_in(self.tx)
        return self._plan if isinstance(self._plan, ActivePlan) else None

    def flush(self) -> None:
        """Write what the pass holds: the messages in order, then the clocks' progress."""
        self.tx.outbox.add_many(self.messages, self.now)
        self.tx.sla_clocks.update_many(self.updates)
        self.messages, self.updates = [], []


def _add(a: ScanDone, b: ScanDone) -> ScanDone:
    return ScanDone(a.warned + b.warned, a.breached + b.breached, a.escalated + b.escalated)


def _advance(run: _Pass, clock: dict[str, Any], policy: SlaPolicy | None) -> ScanDone:
    """Announce what is due on one clock, record it, and climb the ladder as far as `now` reaches."""
    now = run.now
    base = {k: clock[k] for k in ("person_id", "owner", "team", "policy", "due_ts")}
    base |= {"clock_id": clock["id"], "occurred_ts": now}
    values = _notice(run, clock, base)
    steps = policy.ladder.steps if policy is not None else ()
    start = index = clock["escalation_step"]
    reassign: Step | None = None
    breached = "breached_ts" in values or clock["breached_ts"] is not None
    while breached and policy and index < len(steps) and now >= _step_ts(policy, clock, steps[index]):
        step = steps[index]
        index += 1
        if step.action is Action.REASSIGN:
            reassign = step
            break
        _escalate(run, clock, base, (index, len(steps)), step, _told(run, clock, step))
    values |= {"escalation_step": index}
    values["next_ts"] = next_ts(policy, clock | values)
    run.updates.append((clock["id"], values))
    if reassign is not None:
        run.flush()
        to = _reassign(run.tx, clock, now)
        _escalate(run, clock, base, (index, len(steps)), reassign, to)
    return ScanDone(int("warned_ts" in values), int("breached_ts" in values), index - start)


def _notice(run: _Pass, clock: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """The breach at the deadline, else the warning before it (once each); the clock's new values."""
    notice = base | {"started_ts": clock["started_ts"]}
    if clock["breached_ts"] is None and run.now >= clock["due_ts"]:
        run.messages.append(SlaBreached(key=f"sla:{clock['id']}:breached", **notice))
        return {"breached_ts": run.now, "status": "breached"}
    if clock["breached_ts"] is None and clock["warned_ts"] is None and clock["warning_ts"] is not None:
        run.messages.append(SlaWarning(key=f"sla:{clock['id']}:warning", **notice))
        return {"warned_ts": run.now}
    return {}


def _step_ts(policy: SlaPolicy, clock: dict[str, Any], step: Step) -> float:
    """When a rung falls due: its offset of business time after the clock's deadline."""
    return policy.calendar.add(clock["due_ts"], step.after)


def _escalate(
    run: _Pass,
    clock: dict[str, Any],
    base: dict[str, Any],
    rung_of: tuple[int, int],
    rung: Step,
    to: str | None,
) -> None:
    """One rung of the ladder for the outbox (its key names the clock and the step)."""
    step, steps = rung_of
    key = f"sla:{clock['id']}:step:{step}"
    action = rung.action.value
    run.messages.append(SlaEscalated(key=key, step=step, steps=steps, action=action, to=to, **base))


def _told(run: _Pass, clock: dict[str, Any], step: Step) -> str | None:
    """Who hears of a notify step: the owner, or the lead of the owner's team in the routing in force."""
    if step.action is Action.NOTIFY_OWNER:
        return str(clock["owner"])
    active = run.plan()
    team = active.plan.team(clock["team"]) if active and clock["team"] else None
    return team.lead if team else None


def _reassign(tx: UnitOfWork, clock: dict[str, Any], now: float) -> str | None:
    """Route the lead again, away from the owner who let it wait; the new owner, or None when routing
    has nobody else (no routing in force, the person merged away, or the same owner chosen again)."""
    active = active_plan_in(tx)
    if active is None or live_person_id(tx, clock["person_id"]) != clock["person_id"]:
        return None
    lock_people_in(tx, {clock["person_id"]})
    person = tx.people.get(clock["person_id"])
    if person is None:
        return None
    plan = active.plan
    tx.locks.hold("rep", {r.email for r in plan.reps})
    account = tx.accounts.get(person.account_id) if person.account_id else None
    period = plan.period_at(now)
    given = tx.assignments.counts({r.email for r in plan.reps}, period.start, period.end)
    given[clock["owner"]] = 10**9  # never the owner who let it wait, while anyone else has room
    lead = Lead(replace(person, owner=None), account, clock["qualified_by"])
    decision = route(plan, lead, given, now)
    if decision.owner is None or decision.owner == clock["owner"]:
        return None
    decision = replace(decision, reason=f"SLA breached by {clock['owner']}; {decision.reason}"[:500])
    qualified = Qualified(person.id, clock["qualified_by"] or "manual", now)
    record_in(tx, person, account, decision, qualified, ACTOR, active.version)
    return decision.owner
