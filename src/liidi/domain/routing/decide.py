"""Who gets a lead: an owner keeps it, no-touch stays automated, else team, affinity, round-robin."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction

from liidi.domain.accounts import Account
from liidi.domain.routing.plan import Lead, Motion, MotionRule, Rep, RoutingPlan, TeamRule


class Method(StrEnum):
    """How an owner was chosen."""

    AFFINITY = "affinity"
    ROUND_ROBIN = "round_robin"
    FALLBACK = "fallback"
    KEPT = "kept"
    NO_TOUCH = "no_touch"
    MANUAL = "manual"


@dataclass(frozen=True, slots=True)
class Decision:
    """The owner (None: nobody), the team, how and by which rule, and a reason to read aloud."""

    owner: str | None
    team: str | None
    method: Method
    rule: str | None
    reason: str
    motion: Motion | None = None


def route(plan: RoutingPlan, lead: Lead, given: Mapping[str, int], at: float) -> Decision:
    """Decide who gets a lead qualifying at `at`, knowing how many leads each rep was given this period."""
    motion_rule = plan.motion_rule(lead)
    motion = motion_rule.motion if motion_rule else None
    if lead.person.owner and lead.person.owner != plan.fallback:
        return kept(plan, lead.person.owner, motion)
    team_rule = plan.team_rule(lead)
    if motion_rule is not None and motion is Motion.NO_TOUCH:
        return no_touch(motion_rule, team_rule)
    if team_rule is None:
        return fallback(plan, None, None, "no routing rule matched", motion)
    return within_team(plan, team_rule, lead, given, at, motion)


def kept(plan: RoutingPlan, owner: str, motion: Motion | None) -> Decision:
    """A lead that already has an owner stays with them."""
    rep = plan.rep(owner)
    return Decision(
        owner, rep.team if rep else None, Method.KEPT, None, f"kept: already owned by {owner}", motion
    )


def no_touch(rule: MotionRule, team_rule: TeamRule | None) -> Decision:
    """A no-touch lead is left to automation: no owner."""
    team = team_rule.team if team_rule else None
    reason = f"no-touch: automation only (motion rule '{rule.name}')"
    return Decision(None, team, Method.NO_TOUCH, rule.name, reason, Motion.NO_TOUCH)


def fallback(
    plan: RoutingPlan, team: str | None, rule: TeamRule | None, why: str, motion: Motion | None
) -> Decision:
    """The fallback queue takes the lead (no queue set: the lead stays unassigned)."""
    left = "" if plan.fallback else "; no fallback queue, left unassigned"
    name = rule.name if rule else None
    return Decision(plan.fallback, team, Method.FALLBACK, name, f"fallback: {why}{left}", motion)


def within_team(
    plan: RoutingPlan, rule: TeamRule, lead: Lead, given: Mapping[str, int], at: float, motion: Motion | None
) -> Decision:
    """The account's owner if they are in the team and free, else the rep furthest below their share."""
    day, period = plan.day_at(at), plan.period_at(at)
    members = plan.members(rule.team)
    owner, note = owner_of_account(plan, lead.account, members, given, day)
    if owner is not None:
        reason = f"affinity: owner of {account_label(lead.account)}"
        return Decision(owner.email, rule.team, Method.AFFINITY, rule.name, reason, motion)
    free = [r for r in members if not r.is_away(day) and r.has_room(given.get(r.email, 0))]
    if not free:
        away = all(r.is_away(day) for r in members)
        why = f"nobody in {rule.team} is in the office" if away else f"nobody in {rule.team} has capacity"
        return fallback(plan, rule.team, rule, why, motion)
    rep = furthest_below_share(free, members, given)
    count = given.get(rep.email, 0) + 1
    load = f"{count} of {rep.capacity}" if rep.capacity is not None else f"{count}"
    reason = f"round-robin in {rule.team} ({load} {period.words}){note}"
    return Decision(rep.email, rule.team, Method.ROUND_ROBIN, rule.name, reason, motion)


def owner_of_account(
    plan: RoutingPlan, account: Account | None, members: tuple[Rep, ...], given: Mapping[str, int], day: date
) -> tuple[Rep | None, str]:
    """The account's owner when affinity is on and they are in the team, in the office and have room.

    The second value says why a known owner was passed over ('' when there is nothing to say).
    """
    if not plan.affinity or account is None or not account.owner:
        return None, ""
    rep = next((r for r in members if r.email == account.owner.lower()), None)
    if rep is None:
        return None, ""
    if rep.is_away(day):
        return None, f"; owner {rep.email} is out of office"
    if not rep.has_room(given.get(rep.email, 0)):
        return None, f"; owner {rep.email} is at capacity"
    return rep, ""


def furthest_below_share(free: list[Rep], members: tuple[Rep, ...], given: Mapping[str, int]) -> Rep:
    """The free rep furthest below their weighted share of the team's leads, ties by e-mail.

    A rep's share of the team's next lead is weight / team weight × (leads given to the team + 1); the
    shortfall is that minus the leads they were given. Exact fractions, so ties are real ties.
    """
    total_weight = sum((r.weight for r in members), Fraction(0))
    next_total = sum(given.get(r.email, 0) for r in members) + 1

    def shortfall(rep: Rep) -> Fraction:
        return rep.weight * next_total / total_weight - given.get(rep.email, 0)

    return min(free, key=lambda rep: (-shortfall(rep), rep.email))


def manual(
    plan: RoutingPlan | None, to: str, actor: str, reason: str | None, motion: Motion | None
) -> Decision:
    """A person assigned by hand: recorded with who did it and why."""
    rep = plan.rep(to) if plan else None
    text = f"manual: {reason}" if reason else f"manual: assigned by {actor}"
    return Decision(to, rep.team if rep else None, Method.MANUAL, None, text, motion)


def account_label(account: Account | None) -> str:
    """How an account is named in a reason: its domain, else its name, else its id."""
    if account is None:
        return "no account"
    return account.domain or account.name or f"account {account.id}"
