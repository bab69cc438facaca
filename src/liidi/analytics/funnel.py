"""Funnel conversion and volume by a dimension, and the deals' win rates, compiled to SQL per engine.

A person reached a stage when the history has them entering it or a later one (or they stand there
now); conversion from a stage is reached-next / reached-this. People are counted in the window of their
arrival, deals in the window of their creation.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass
from typing import Any

from liidi.analytics.report_query import (
    NONE,
    Result,
    group_of,
    grouped_cte,
    number,
    persons_cte,
    quote,
    segment,
)
from liidi.domain.reports import FUNNEL_STAGES

DEAL_OUTCOMES = ("open", "won", "lost")


@dataclass(frozen=True, slots=True)
class FunnelGroup:
    """People of one group and how many of them reached each funnel stage."""

    key: str
    people: int
    reached: dict[str, int]

    @property
    def conversion(self) -> dict[str, float | None]:
        """Each step's rate: reached the next stage / reached this one (None when nobody reached it)."""
        pairs = itertools.pairwise(FUNNEL_STAGES)
        return {f"{a}→{b}": _share(self.reached[b], self.reached[a]) for a, b in pairs}

    def as_dict(self) -> dict[str, Any]:
        """The group as JSON-ready data."""
        return {**asdict(self), "conversion": self.conversion}


@dataclass(frozen=True, slots=True)
class DealGroup:
    """Deals of one group: counts by outcome, the win rate of closed deals and the amounts."""

    key: str
    deals: int
    open: int
    won: int
    lost: int
    pipeline: float
    won_amount: float

    @property
    def win_rate(self) -> float | None:
        """Won / (won + lost); None before any deal closed."""
        return _share(self.won, self.won + self.lost)

    def as_dict(self) -> dict[str, Any]:
        """The group as JSON-ready data."""
        return {**asdict(self), "win_rate": self.win_rate}


@dataclass(frozen=True, slots=True)
class FunnelReport:
    """The funnel and the deals, grouped by one dimension (None: everyone in one group)."""

    by: str | None
    since: float | None
    until: float | None
    engine: str
    groups: list[FunnelGroup]
    deals: list[DealGroup]

    @property
    def total(self) -> FunnelGroup:
        """Every group together (each person is in exactly one group)."""
        reached = {s: sum(g.reached[s] for g in self.groups) for s in FUNNEL_STAGES}
        return FunnelGroup("total", sum(g.people for g in self.groups), reached)

    @property
    def deals_total(self) -> DealGroup:
        """Every deal group together."""
        deals = self.deals
        return DealGroup(
            "total",
            sum(g.deals for g in deals),
            sum(g.open for g in deals),
            sum(g.won for g in deals),
            sum(g.lost for g in deals),
            sum(g.pipeline for g in deals),
            sum(g.won_amount for g in deals),
        )

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "by": self.by,
            "since": self.since,
            "until": self.until,
            "engine": self.engine,
            "stages": list(FUNNEL_STAGES),
            "groups": [g.as_dict() for g in self.groups],
            "total": self.total.as_dict(),
            "deals": [g.as_dict() for g in self.deals],
            "deals_total": self.deals_total.as_dict(),
        }


def _share(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


def stages_sql(by: str | None, since: float | None, until: float | None) -> str:
    """People per group and how many reached each stage."""
    reached = ", ".join(
        f"SUM(CASE WHEN top >= {i} THEN 1 ELSE 0 END) AS {stage}" for i, stage in enumerate(FUNNEL_STAGES)
    )
    return f"""WITH {persons_cte(by, since, until)}
SELECT grp, COUNT(*) AS people, {reached} FROM persons GROUP BY grp ORDER BY grp"""


DEAL_DIMENSIONS = ("industry", "segment", "owner", "cohort")


def deal_group(by: str | None) -> tuple[str, str, str]:
    """(CTEs, group expression, join) grouping deals `d`: by their own columns for industry, segment,
    owner (the deal's) and cohort (creation month), else by their person's group."""
    own = {
        "industry": f"COALESCE(d.industry, {quote(NONE)})",
        "segment": segment("d.employees"),
        "owner": f"COALESCE(d.owner, {quote(NONE)})",
        "cohort": "MONTH_OF(d.created_ts)",
    }
    if by is None or by in own:
        return "", own.get(by or "", "'all'"), ""
    expression, join = group_of(by, "d")
    return f"WITH {grouped_cte(by)}", expression, join


def deals_sql(by: str | None, since: float | None, until: float | None) -> str:
    """Deals created in the window per group: counts by outcome and amounts."""
    window = ["1 = 1"]
    if since is not None:
        window.append(f"d.created_ts >= {number(since)}")
    if until is not None:
        window.append(f"d.created_ts < {number(until)}")
    counts = ", ".join(f"SUM(CASE WHEN d.stage = {quote(o)} THEN 1 ELSE 0 END) AS {o}" for o in DEAL_OUTCOMES)
    ctes, grp, join = deal_group(by)
    return f"""{ctes}
SELECT {grp} AS grp, COUNT(*) AS deals, {counts},
       SUM(COALESCE(d.amount, 0)) AS pipeline,
       SUM(CASE WHEN d.stage = 'won' THEN COALESCE(d.amount, 0) ELSE 0 END) AS won_amount
FROM deals_flat d{join}
WHERE {" AND ".join(window)}
GROUP BY 1 ORDER BY 1"""


def funnel_report(
    results: list[Result], *, by: str | None, since: float | None, until: float | None, engine: str
) -> FunnelReport:
    """The report from the rows of `stages_sql` and `deals_sql`, in that order."""
    (_, people), (_, deals) = results
    groups = [
        FunnelGroup(str(row[0]), int(row[1]), {s: int(row[2 + i] or 0) for i, s in enumerate(FUNNEL_STAGES)})
        for row in people
    ]
    deal_groups = [_deal_group(r) for r in deals]
    return FunnelReport(by, since, until, engine, groups, deal_groups)


def _deal_group(r: tuple[Any, ...]) -> DealGroup:
    counts = [int(v or 0) for v in r[1:5]]
    return DealGroup(
        str(r[0]), counts[0], counts[1], counts[2], counts[3], float(r[5] or 0), float(r[6] or 0)
    )


def mix(report: FunnelReport) -> list[dict[str, Any]]:
    """The sourced mix from a funnel by sourced_by: each side's share of people, opportunities and wins."""
    total, deals = report.total, {g.key: g for g in report.deals}
    won_total = report.deals_total.won_amount
    rows = []
    for g in report.groups:
        won = deals[g.key].won_amount if g.key in deals else 0.0
        rows.append(
            {
                "sourced_by": g.key,
                "people": g.people,
                "people_share": _share(g.people, total.people),
                "opportunities": g.reached["opportunity"],
                "opportunity_share": _share(g.reached["opportunity"], total.reached["opportunity"]),
                "customers": g.reached["customer"],
                "won_amount": won,
                "won_share": None if not won_total else won / won_total,
            }
        )
    return rows
