"""Target accounts (R17, R18): buying-group roles reached and engaged in a rolling window, per account.

A person is **reached** in the window [as_of − window_days, as_of) when they have a sales touch or an
event in it, and **engaged** when they acted themselves in it: an event other than a bounce, an
unsubscribe or a sales touch, or a call or meeting with sales. A role is reached (engaged) at an account
when one of its people who fills the role is. Target accounts are those on the Most Wanted list (any
tier but none). Newly reached decision makers per month count the people who fill the ICP's
decision-maker role at a target account by the month of their first reach ever.

The queries are SQL written once over the batch layout (accounts_flat, people_flat, touches_flat,
activity_flat) and run by any report engine (analytics/report_query.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from liidi.analytics.reach_sql import among, first_reach_ctes, reach_ctes, role_match
from liidi.analytics.report_query import Result
from liidi.domain.icp import Icp

DAY = 86400.0
TIER_ORDER = {"most_wanted": 0, "tier_2": 1, "tier_3": 2}


@dataclass(frozen=True, slots=True)
class AccountCoverage:
    """One target account: its people, and the wanted roles reached and engaged in the window."""

    account_id: int
    domain: str | None
    name: str | None
    tier: str
    icp_fit: bool
    people: int
    reached: int
    engaged: int
    roles_reached: list[str]
    roles_engaged: list[str]
    roles_missing: list[str]
    coverage: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "domain": self.domain,
            "name": self.name,
            "tier": self.tier,
            "icp_fit": self.icp_fit,
            "people": self.people,
            "reached": self.reached,
            "engaged": self.engaged,
            "roles_reached": self.roles_reached,
            "roles_engaged": self.roles_engaged,
            "roles_missing": self.roles_missing,
            "coverage": self.coverage,
        }


@dataclass(frozen=True, slots=True)
class TargetsReport:
    """Coverage of every target account and the newly reached decision makers per month."""

    as_of: float
    window_days: int
    icp: str
    roles: list[str]
    accounts: list[AccountCoverage]
    new_decision_makers: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of the API and `--json`."""
        full = sum(1 for a in self.accounts if not a.roles_missing)
        return {
            "as_of": self.as_of,
            "window_days": self.window_days,
            "icp": self.icp,
            "roles_wanted": self.roles,
            "target_accounts": len(self.accounts),
            "fully_covered": full,
            "accounts": [a.as_dict() for a in self.accounts],
            "new_decision_makers_by_month": self.new_decision_makers,
        }


def icp_fit(icp: Icp, alias: str) -> str:
    """SQL for 'this account of accounts_flat `alias` fits the ICP' (absent criteria match every account)."""
    parts = ["1 = 1"]
    if icp.industries:
        parts.append(f"LOWER({alias}.industry) IN {among(icp.industries)}")
    if icp.countries:
        parts.append(f"UPPER({alias}.country) IN {among(icp.countries)}")
    if icp.revenue_bands:
        parts.append(f"{alias}.revenue_band IN {among(icp.revenue_bands)}")
    if icp.sizes:
        employees = f"{alias}.employees"
        bands = [
            f"{employees} >= {lo}" if hi is None else f"({employees} >= {lo} AND {employees} < {hi + 1})"
            for lo, hi in icp.sizes
        ]
        parts.append("(" + " OR ".join(bands) + ")")
    return " AND ".join(parts)


def coverage_sql(icp: Icp, as_of: float) -> str:
    """Per target account: its live people, those reached and engaged, and per wanted role r<i>/e<i>."""
    roles = []
    for i, role in enumerate(icp.roles):
        fills = role_match(role, "m")
        roles.append(f"MAX(CASE WHEN {fills} AND r.person_id IS NOT NULL THEN 1 ELSE 0 END) AS r{i}")
        roles.append(f"MAX(CASE WHEN {fills} AND r.engaged = 1 THEN 1 ELSE 0 END) AS e{i}")
    keys = "a.account_id, a.domain, a.name, a.tier, a.fit"
    wanted = "".join(", " + r for r in roles)
    return f"""
WITH targets AS (
  SELECT a.account_id, a.domain, a.name, a.tier, CASE WHEN {icp_fit(icp, "a")} THEN 1 ELSE 0 END AS fit
  FROM accounts_flat a WHERE a.tier <> 'none'
),
members AS (
  SELECT p.person_id, p.account_id, p.role, p.seniority, p.title
  FROM people_flat p JOIN targets t ON t.account_id = p.account_id
),
who AS (SELECT person_id FROM members),
{reach_ctes(as_of - icp.window_days * DAY, as_of)}
SELECT {keys}, COUNT(m.person_id) AS people, COUNT(r.person_id) AS reached,
       COALESCE(SUM(CASE WHEN r.engaged = 1 THEN 1 ELSE 0 END), 0) AS engaged{wanted}
FROM targets a LEFT JOIN members m ON m.account_id = a.account_id
LEFT JOIN reach r ON r.person_id = m.person_id
GROUP BY {keys}"""


def new_decision_makers_sql(icp: Icp, as_of: float, months: int) -> str:
    """Decision makers at target accounts by the UTC month of their first reach, the last `months`."""
    return f"""
WITH who AS (
  SELECT p.person_id FROM people_flat p WHERE p.tier <> 'none' AND {role_match(icp.decision_maker(), "p")}
),
{first_reach_ctes(as_of)}
SELECT MONTH_OF(first_ts) AS month, COUNT(*) AS n FROM firsts
GROUP BY MONTH_OF(first_ts) ORDER BY month DESC LIMIT {int(months)}"""


def targets_sql(icp: Icp, *, as_of: float, months: int = 12) -> list[str]:
    """The report's statements: coverage per target account, then the new decision makers per month."""
    return [coverage_sql(icp, as_of), new_decision_makers_sql(icp, as_of, months)]


def targets_report(results: list[Result], icp: Icp, *, as_of: float) -> TargetsReport:
    """Coverage of the target accounts over the ICP's window ending at `as_of`, and monthly new DMs, from
    the results of `targets_sql`'s statements."""
    (columns, rows), (_, months) = results
    names = [c.lower() for c in columns]
    found = [_coverage(dict(zip(names, row, strict=True)), icp) for row in rows]
    found.sort(key=lambda c: (TIER_ORDER.get(c.tier, 9), -c.coverage, c.domain or "", c.account_id))
    new = [{"month": str(m), "new_decision_makers": int(n)} for m, n in reversed(months)]
    return TargetsReport(as_of, icp.window_days, icp.name, [r.name for r in icp.roles], found, new)


def _coverage(row: dict[str, Any], icp: Icp) -> AccountCoverage:
    names = [r.name for r in icp.roles]
    got = [n for i, n in enumerate(names) if row[f"r{i}"]]
    engaged = [n for i, n in enumerate(names) if row[f"e{i}"]]
    return AccountCoverage(
        int(row["account_id"]),
        row["domain"],
        row["name"],
        str(row["tier"]),
        bool(row["fit"]),
        int(row["people"]),
        int(row["reached"]),
        int(row["engaged"]),
        got,
        engaged,
        [n for n in names if n not in got],
        round(len(got) / len(names), 4) if names else 0.0,
    )
