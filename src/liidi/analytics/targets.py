"""Target accounts (R17, R18): buying-group roles reached and engaged in a rolling window, per account.

A person is **reached** in the window [as_of − window_days, as_of) when they have a sales touch or an
event in it, and **engaged** when they acted themselves in it: an event other than a bounce, an
unsubscribe or a sales touch, or a call or meeting with sales. A role is reached (engaged) at an account
when one of its people who fills the role is. Target accounts are those on the Most Wanted list (any
tier but none). Newly reached decision makers per month count the people who fill the ICP's
decision-maker role at a target account by the month of their first reach ever.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, case, exists, func, literal, or_, select

from liidi.analytics.sqlparts import FAR_FUTURE, between, live_people, month_of, role_match, short_queries
from liidi.domain.icp import Icp
from liidi.storage.tables import accounts, events, people, touches

DAY = 86400.0
PASSIVE_EVENTS = ("email_bounce", "unsubscribe", "sales_touch")
CONVERSATIONS = ("call", "meeting")
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


def reach_of(who: ColumnElement[bool], since: float, until: float) -> Any:
    """The people matching `who` reached in [since, until), each with engaged 1 or 0 (index lookups)."""
    t, e, p = touches.c, events.c, people.c
    touch = and_(t.person_id == p.id, between(t.occurred_ts, since, until))
    event = and_(e.person_id == p.id, between(e.occurred_ts, since, until))
    reached = or_(exists().where(touch), exists().where(event))
    acted = or_(
        exists().where(touch, t.kind.in_(CONVERSATIONS)), exists().where(event, e.type.not_in(PASSIVE_EVENTS))
    )
    return (
        select(p.id.label("person_id"), case((acted, 1), else_=0).label("engaged"))
        .where(who, reached)
        .subquery()
    )


def first_reach_of(conn: Connection, who: ColumnElement[bool], until: float) -> Any:
    """Per person matching `who`, the time of their first touch or event before `until` (index lookups)."""
    t, e, p = touches.c, events.c, people.c
    touch = (
        select(func.min(t.occurred_ts)).where(t.person_id == p.id, t.occurred_ts < until).scalar_subquery()
    )
    event = (
        select(func.min(e.occurred_ts)).where(e.person_id == p.id, e.occurred_ts < until).scalar_subquery()
    )
    never = FAR_FUTURE
    a, b = func.coalesce(touch, never), func.coalesce(event, never)
    earliest = func.least(a, b) if conn.dialect.name == "postgresql" else func.min(a, b)
    # OFFSET 0 keeps PostgreSQL from inlining the subquery, which would run the lookups once per use.
    reach = select(p.id.label("person_id"), earliest.label("first_ts")).where(who).offset(0).subquery()
    return select(reach).where(reach.c.first_ts < never).subquery()


def icp_fit(icp: Icp) -> ColumnElement[bool]:
    """SQL for 'this account fits the ICP' (absent criteria match every account)."""
    a = accounts.c
    parts: list[ColumnElement[bool]] = [literal(True)]
    if icp.industries:
        parts.append(func.lower(a.industry).in_(icp.industries))
    if icp.countries:
        parts.append(func.upper(a.country).in_(icp.countries))
    if icp.revenue_bands:
        parts.append(a.revenue_band.in_(icp.revenue_bands))
    if icp.sizes:
        bands = [
            a.employees >= lo if hi is None else between(a.employees, lo, hi + 1) for lo, hi in icp.sizes
        ]
        parts.append(or_(*bands))
    return and_(*parts)


def targets_report(conn: Connection, icp: Icp, *, as_of: float, months: int = 12) -> TargetsReport:
    """Coverage of the target accounts over the ICP's window ending at `as_of`, and monthly new DMs."""
    short_queries(conn)
    listed = select(accounts.c.id).where(accounts.c.tier != "none")
    window = reach_of(
        and_(live_people(), people.c.account_id.in_(listed)), as_of - icp.window_days * DAY, as_of
    )
    a, p = accounts.c, people.c
    reached = window.c.person_id.is_not(None)
    engaged = window.c.engaged == 1
    columns = [
        func.count(p.id).label("people"),
        func.count(window.c.person_id).label("reached"),
        func.coalesce(func.sum(case((engaged, 1), else_=0)), 0).label("engaged"),
    ]
    for i, role in enumerate(icp.roles):
        fills = role_match(role)
        columns.append(func.max(case((and_(fills, reached), 1), else_=0)).label(f"r{i}"))
        columns.append(func.max(case((and_(fills, engaged), 1), else_=0)).label(f"e{i}"))
    known = people.join(window, window.c.person_id == p.id, isouter=True)
    joined = accounts.outerjoin(known, and_(p.account_id == a.id, live_people()))
    stmt = select(a.id, a.domain, a.name, a.tier, case((icp_fit(icp), 1), else_=0).label("fit"), *columns)
    stmt = stmt.select_from(joined).where(a.tier != "none").group_by(a.id, a.domain, a.name, a.tier)
    found = [_coverage(row, icp) for row in conn.execute(stmt).mappings()]
    found.sort(key=lambda c: (TIER_ORDER.get(c.tier, 9), -c.coverage, c.domain or "", c.account_id))
    names = [r.name for r in icp.roles]
    return TargetsReport(
        as_of, icp.window_days, icp.name, names, found, _new_decision_makers(conn, icp, as_of, months)
    )


def _coverage(row: Any, icp: Icp) -> AccountCoverage:
    names = [r.name for r in icp.roles]
    got = [n for i, n in enumerate(names) if row[f"r{i}"]]
    engaged = [n for i, n in enumerate(names) if row[f"e{i}"]]
    return AccountCoverage(
        int(row["id"]),
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


def _new_decision_makers(conn: Connection, icp: Icp, as_of: float, months: int) -> list[dict[str, Any]]:
    """Decision makers at target accounts by the UTC month of their first reach, the last `months` months."""
    targets = select(accounts.c.id).where(accounts.c.tier != "none")
    who = and_(live_people(), role_match(icp.decision_maker()), people.c.account_id.in_(targets))
    first = first_reach_of(conn, who, as_of)
    month = month_of(conn, first.c.first_ts).label("month")
    stmt = select(month, func.count()).group_by(month).order_by(month.desc()).limit(months)
    return [{"month": str(m), "new_decision_makers": int(n)} for m, n in reversed(conn.execute(stmt).all())]
