"""Assigning qualified leads to reps inside the qualifying transaction: decide, record, notify."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from liidi.domain.accounts import Account
from liidi.domain.events import from_epoch
from liidi.domain.messages import LeadAssigned
from liidi.domain.people import Person
from liidi.domain.routing import Decision, Lead, RoutingPlan, load_routing_text, route
from liidi.domain.scoring import ScoreCard
from liidi.services.documents import active_document_in
from liidi.services.lead_context import lead_context_in
from liidi.services.sla_clocks import start_clock_in
from liidi.services.unit_of_work import UnitOfWork

AUTOMATIC = "routing"
_PARSED: dict[str, RoutingPlan] = {}


@dataclass(frozen=True, slots=True)
class Qualified:
    """A lead that just qualified: who, how (hand_raiser, pql, mql or manual), when, and their card."""

    person_id: int
    qualified_by: str
    at: float
    card: ScoreCard | None = None
    model: str | None = None


@dataclass(frozen=True, slots=True)
class Assignment:
    """A recorded decision: the person, the decision and the routing version that made it."""

    person_id: int
    decision: Decision
    actor: str
    assigned_ts: float
    routing_version: int | None


@dataclass(frozen=True, slots=True)
class ActivePlan:
    """The routing document in force, parsed."""

    plan: RoutingPlan
    version: int


def active_plan_in(uow: UnitOfWork) -> ActivePlan | None:
    """The routing plan in force (parsed once per process and version), or None when none is loaded."""
    doc = active_document_in(uow, "routing")
    if doc is None:
        return None
    if doc.fingerprint not in _PARSED:
        _PARSED[doc.fingerprint] = load_routing_text(doc.source, doc.label)
    return ActivePlan(_PARSED[doc.fingerprint], doc.version)


def assign_qualified_in(
    uow: UnitOfWork,
    leads: Sequence[Qualified],
    actor: str,
    *,
    people: Mapping[int, Person] | None = None,
    accounts: Mapping[int, Account] | None = None,
) -> list[Assignment]:
    """Route leads that just qualified, inside the caller's transaction; nothing without a routing plan.

    The people are already locked by the caller (who may pass them and their accounts, as read in this
    transaction). Every rep of the plan is locked next (in one sorted statement, after the people, the
    order every writer takes), so the leads counted against a rep's capacity cannot change until this
    transaction ends.
    """
    active = active_plan_in(uow) if leads else None
    if active is None:
        return []
    plan = active.plan
    if people is None:
        people = uow.people.get_many({q.person_id for q in leads})
    if accounts is None:
        accounts = uow.accounts.get_many({p.account_id for p in people.values() if p.account_id})
    uow.locks.hold("rep", {r.email for r in plan.reps})
    periods: dict[float, dict[str, int]] = {}
    done = []
    for q in sorted(leads, key=lambda q: (q.at, q.person_id)):
        person = people[q.person_id]
        account = accounts.get(person.account_id) if person.account_id else None
        given = _given_in(uow, plan, q.at, periods)
        decision = route(plan, Lead(person, account, q.qualified_by), given, q.at)
        if decision.owner:
            given[decision.owner] = given.get(decision.owner, 0) + 1
        done.append(record_in(uow, person, account, decision, q, actor, active.version))
    return done


def _given_in(
    uow: UnitOfWork, plan: RoutingPlan, at: float, periods: dict[float, dict[str, int]]
) -> dict[str, int]:
    """Leads given to each rep in the period of `at`: counted once per period, then kept up to date."""
    period = plan.period_at(at)
    if period.start not in periods:
        periods[period.start] = uow.assignments.counts({r.email for r in plan.reps}, period.start, period.end)
    return periods[period.start]


def record_in(
    uow: UnitOfWork,
    person: Person,
    account: Account | None,
    decision: Decision,
    lead: Qualified,
    actor: str,
    version: int | None,
) -> Assignment:
    """Write the assignment, the person's new owner and a lead.assigned message with the lead's context."""
    uow.assignments.add(
        {
            "person_id": person.id,
            "owner": decision.owner,
            "team": decision.team,
            "rule": decision.rule,
            "method": decision.method.value,
            "reason": decision.reason[:500],
            "motion": decision.motion.value if decision.motion else None,
            "actor": actor,
            "routing_version": version,
            "assigned_ts": lead.at,
        }
    )
    if decision.owner is not None and decision.owner != person.owner:
        uow.people.update(person.id, {"owner": decision.owner}, lead.at)
    context = lead_context_in(uow, person, account, decision, lead.card, lead.model, lead.at)
    clock = start_clock_in(
        uow,
        person_id=person.id,
        owner=decision.owner,
        team=decision.team,
        motion=context["motion"],
        qualified_by=lead.qualified_by,
        grade=lead.card.grade if lead.card else None,
        at=lead.at,
    )
    context["sla_due"] = from_epoch(clock["due_ts"]).isoformat() if clock else None
    message = LeadAssigned(
        person_id=person.id,
        owner=decision.owner,
        team=decision.team,
        rule=decision.rule,
        reason=decision.reason,
        motion=decision.motion.value if decision.motion else None,
        actor=actor,
        context=context,
    )
    uow.outbox.add(message, lead.at)
    return Assignment(person.id, decision, actor, lead.at, version)
