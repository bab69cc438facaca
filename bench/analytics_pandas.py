"""An independent pandas computation of the waste, target-account and marketing-value reports.

It reads the store's tables into DataFrames and follows docs/analytics.md, sharing no code with
liidi.analytics: the benchmark's baseline and the tests' second opinion.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine

ACCEPTED = ["sal", "sql", "opportunity", "customer"]
CLOSED = ["recycled", "disqualified"]
PASSIVE = ["email_bounce", "unsubscribe", "sales_touch"]
DAY = 86400.0
COLUMNS = {
    "accounts": "id, domain, tier, industry, country, employees, revenue_band",
    "people": "id, account_id, role, seniority, title, sourced_by, merged_into_id",
    "lifecycle_history": "id, person_id, from_stage, to_stage, occurred_ts, reason",
    "opportunities": "id, person_id, account_id, amount, stage, created_ts, closed_ts, lost_reason",
    "touches": "person_id, kind, occurred_ts",
    "events": "person_id, account_id, type, occurred_ts",
    "sla_clocks": "person_id, started_ts, due_ts, first_touch_ts, status, breached_ts, closed_ts",
    "merges": "merged_id, occurred_ts",
}


def read(engine: Engine) -> dict[str, pd.DataFrame]:
    """The tables the reports read, as DataFrames."""
    with engine.connect() as conn:
        return {name: pd.read_sql(f"SELECT {cols} FROM {name}", conn) for name, cols in COLUMNS.items()}


def _blank(series: pd.Series) -> pd.Series:
    return series.isna() | (series.fillna("").astype(str).str.strip() == "")


def waste(
    t: dict[str, pd.DataFrame], since: float, until: float, now: float
) -> dict[str, tuple[int, int, float]]:
    """Per measure: (count, people, value) as docs/analytics.md defines them."""
    h, o = t["lifecycle_history"], t["opportunities"]
    totals = o.dropna(subset=["person_id"]).groupby("person_id").amount.sum(min_count=0).fillna(0.0)
    period = (h.occurred_ts >= since) & (h.occurred_ts < until)

    def measure(persons: pd.Series) -> tuple[int, int, float]:
        unique = pd.unique(persons)
        return len(persons), len(unique), float(totals.reindex(unique).fillna(0.0).sum())

    mql = h[(h.to_stage == "mql") & period]
    last_touch = t["touches"].groupby("person_id").occurred_ts.max()
    touched = last_touch.reindex(mql.person_id).to_numpy() >= mql.occurred_ts.to_numpy()
    acc = h[h.to_stage.isin(ACCEPTED)].sort_values(["occurred_ts", "id"]).groupby("person_id").tail(1)
    acc = acc.set_index("person_id")
    a_ts = acc.occurred_ts.reindex(mql.person_id).to_numpy()
    a_id = acc.id.reindex(mql.person_id).to_numpy()
    later = (a_ts > mql.occurred_ts.to_numpy()) | (
        (a_ts == mql.occurred_ts.to_numpy()) & (a_id > mql.id.to_numpy())
    )
    closed = h[h.to_stage.isin(CLOSED) & period]
    c = t["sla_clocks"]
    late = (c.first_touch_ts >= c.due_ts) | (
        c.first_touch_ts.isna() & (c.breached_ts.notna() | ((c.status != "closed") & (c.due_ts <= now)))
    )
    missed = c[(c.started_ts >= since) & (c.started_ts < until) & late]
    rec = h[(h.to_stage == "recycled") & (h.occurred_ts < until)]
    loops = rec.groupby("person_id").occurred_ts.agg(["count", "max"])
    loops = loops[(loops["count"] >= 2) & (loops["max"] >= since)]
    m = t["merges"]
    lost = o[(o.stage == "lost") & (o.closed_ts >= since) & (o.closed_ts < until)]
    unexplained = lost[_blank(lost.lost_reason)]
    return {
        "never_worked": measure(mql.person_id[~touched & ~later]),
        "closed_without_reason": measure(closed.person_id[_blank(closed.reason)]),
        "deals_lost_without_reason": (
            len(unexplained),
            unexplained.person_id.nunique(),
            float(unexplained.amount.sum()),
        ),
        "sla_missed": measure(missed.person_id),
        "recycle_loops": measure(pd.Series(loops.index)),
        "duplicates": measure(m.merged_id[(m.occurred_ts >= since) & (m.occurred_ts < until)]),
        "leads_lost": measure(closed.person_id),
        "deals_lost": (len(lost), lost.person_id.nunique(), float(lost.amount.sum())),
    }


def _contacts(t: dict[str, pd.DataFrame], since: float, until: float) -> pd.Series:
    """Per person with a touch or an event in [since, until): engaged (True) or only reached."""
    tc, ev = t["touches"], t["events"].dropna(subset=["person_id"])
    tc = tc[(tc.occurred_ts >= since) & (tc.occurred_ts < until)]
    ev = ev[(ev.occurred_ts >= since) & (ev.occurred_ts < until)]
    both = pd.concat(
        [
            pd.DataFrame({"person_id": tc.person_id, "engaged": tc.kind.isin(["call", "meeting"])}),
            pd.DataFrame({"person_id": ev.person_id.astype("int64"), "engaged": ~ev.type.isin(PASSIVE)}),
        ]
    )
    return both.groupby("person_id").engaged.max()


def fills(p: pd.DataFrame, role: dict[str, Any]) -> pd.Series:
    """Whether each person fills a role {role, seniority, title}."""
    mask = pd.Series(True, index=p.index)
    if role.get("role"):
        mask &= p.role.isin(role["role"])
    if role.get("seniority"):
        mask &= p.seniority.isin(role["seniority"])
    if role.get("title"):
        title = p.title.fillna("").str.lower()
        mask &= np.logical_or.reduce([title.str.contains(w, regex=False) for w in role["title"]])
    return mask


def targets(
    t: dict[str, pd.DataFrame], roles: list[dict[str, Any]], as_of: float, days: int
) -> dict[int, tuple[int, int, list[str]]]:
    """Per target account: (reached, engaged, roles reached)."""
    contact = _contacts(t, as_of - days * DAY, as_of)
    p = t["people"][t["people"].merged_into_id.isna()].copy()
    p["reached"] = p.id.isin(contact.index)
    p["engaged"] = contact.reindex(p.id).fillna(False).astype(bool).to_numpy()
    wanted = t["accounts"][t["accounts"].tier != "none"]
    p = p[p.account_id.isin(wanted.id)]
    found: dict[int, tuple[int, int, list[str]]] = {int(a): (0, 0, []) for a in wanted.id}
    flags = pd.DataFrame({r["name"]: (fills(p, r) & p.reached).to_numpy() for r in roles}, index=p.index)
    got = flags.groupby(p.account_id).any()
    counts = p.groupby("account_id")[["reached", "engaged"]].sum()
    for account, row in got.iterrows():
        names = [r["name"] for r in roles if row[r["name"]]]
        found[int(account)] = (int(counts.reached[account]), int(counts.engaged[account]), names)
    return found


def value(
    t: dict[str, pd.DataFrame], role: dict[str, Any], since: float, until: float, lookback: int
) -> dict[str, float]:
    """Decision makers reached and engaged, conversations, and deals influenced in [since, until)."""
    p = t["people"][t["people"].merged_into_id.isna()]
    dms = p.id[fills(p, role)]
    contact = _contacts(t, since, until)
    reached = contact[contact.index.isin(dms)]
    tc = t["touches"]
    talks = tc[tc.kind.isin(["call", "meeting"]) & (tc.occurred_ts >= since) & (tc.occurred_ts < until)]
    o = t["opportunities"]
    deals = o[(o.created_ts >= since) & (o.created_ts < until)]
    ev = t["events"][~t["events"].type.isin(PASSIVE)]
    hits: set[int] = set()
    for key in ("person_id", "account_id"):
        joined = deals[["id", key, "created_ts"]].dropna().merge(ev[[key, "occurred_ts"]].dropna(), on=key)
        ok = (joined.occurred_ts <= joined.created_ts) & (
            joined.occurred_ts >= joined.created_ts - lookback * DAY
        )
        hits |= set(joined.id[ok])
    influenced = deals[deals.id.isin(hits)]
    return {
        "decision_makers_reached": len(reached),
        "decision_makers_engaged": int(reached.sum()),
        "conversations": len(talks),
        "people_in_conversation": talks.person_id.nunique(),
        "pipeline_created_deals": len(deals),
        "pipeline_influenced_deals": len(influenced),
        "pipeline_influenced_value": round(float(influenced.amount.sum()), 2),
    }
