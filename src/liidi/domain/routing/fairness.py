"""Fairness: leads each rep was given over a time, against their weighted share of their team's leads."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from liidi.domain.routing.plan import RoutingPlan


@dataclass(frozen=True, slots=True)
class Share:
    """One owner's leads: for a rep, also the share their weight asks for and how far they are from it.

    `kind` is rep, queue (the fallback queue), other (an owner not in the plan, e.g. assigned by hand or
    kept from the CRM) or none (no owner: no-touch, or no fallback queue).
    """

    kind: str
    owner: str | None
    team: str | None
    leads: int
    weight: Fraction | None = None
    capacity: int | None = None
    share: float | None = None
    target: float | None = None
    expected: float | None = None

    @property
    def difference(self) -> float | None:
        """Leads given minus leads the weight asks for (negative: below the share)."""
        return None if self.expected is None else self.leads - self.expected

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the weight as a number, the difference included."""
        return {
            "kind": self.kind,
            "owner": self.owner,
            "team": self.team,
            "weight": float(self.weight) if self.weight is not None else None,
            "capacity": self.capacity,
            "leads": self.leads,
            "share": self.share,
            "target": self.target,
            "expected": self.expected,
            "difference": self.difference,
        }


def fairness(plan: RoutingPlan, owners: Iterable[str | None]) -> list[Share]:
    """Every rep of the plan team by team, then the fallback queue, other owners and leads left unowned."""
    given = Counter(owners)
    rows: list[Share] = []
    for team in plan.teams:
        members = plan.members(team.name)
        total_weight = sum((r.weight for r in members), Fraction(0))
        team_leads = sum(given[r.email] for r in members)
        for rep in members:
            target = rep.weight / total_weight if total_weight else Fraction(0)
            share = given[rep.email] / team_leads if team_leads else None
            rows.append(
                Share(
                    "rep",
                    rep.email,
                    team.name,
                    given[rep.email],
                    rep.weight,
                    rep.capacity,
                    share,
                    float(target),
                    float(target * team_leads),
                )
            )
    known = {r.email for r in plan.reps}
    if plan.fallback and plan.fallback not in known:
        rows.append(Share("queue", plan.fallback, None, given[plan.fallback]))
    seen = known | {plan.fallback}
    rows += [
        Share("other", o, None, n) for o, n in sorted(given.items(), key=_by_name) if o and o not in seen
    ]
    if given[None]:
        rows.append(Share("none", None, None, given[None]))
    return rows


def _by_name(item: tuple[str | None, int]) -> str:
    return item[0] or ""
