"""A routing plan in words and as plain data, for `liidi routing show` and GET /v1/routing."""

from __future__ import annotations

from typing import Any

from liidi.domain.routing.plan import Match, Rep, RoutingPlan
from liidi.domain.scoring import describe


def summary(plan: RoutingPlan) -> str:
    """'3 teams, 9 reps, 3 rules, 4 motions'."""
    counts = (
        (len(plan.teams), "team"),
        (len(plan.reps), "rep"),
        (len(plan.rules), "rule"),
        (len(plan.motions), "motion"),
    )
    return ", ".join(f"{n} {noun}{'' if n == 1 else 's'}" for n, noun in counts)


def condition(match: Match) -> str:
    """'account.country in [FI, SE] and qualified by hand_raiser', or 'every lead'."""
    parts = [describe.predicate(match.when)] if match.when.items else []
    if match.qualified_by:
        parts.append(f"qualified by {' or '.join(match.qualified_by)}")
    return " and ".join(parts) or "every lead"


def weight(rep: Rep) -> float | int:
    """A weight as a plain number: 2, 0.5."""
    value = float(rep.weight)
    return int(value) if value.is_integer() else value


def plan_item(plan: RoutingPlan) -> dict[str, Any]:
    """The plan as JSON-ready data, conditions in words."""
    return {
        "name": plan.name,
        "description": plan.description,
        "timezone": plan.timezone,
        "period": plan.period,
        "affinity": plan.affinity,
        "fallback": plan.fallback,
        "teams": [{"name": t.name, "lead": t.lead} for t in plan.teams],
        "reps": [
            {
                "email": r.email,
                "name": r.name,
                "team": r.team,
                "weight": weight(r),
                "capacity": r.capacity,
                "out_of_office": [{"from": a.first.isoformat(), "until": a.last.isoformat()} for a in r.away],
            }
            for r in plan.reps
        ],
        "rules": [{"name": r.name, "when": condition(r.match), "team": r.team} for r in plan.rules],
        "motions": [
            {"name": m.name, "when": condition(m.match), "motion": m.motion.value} for m in plan.motions
        ],
    }
