"""Maven CRM pipeline: accounts and deals imported with the liidi CLI, read back, checked against pandas.

The files are imported with `liidi import accounts` and `liidi import deals` (the mapping of
docs/history.md); what the store then holds is read back from its tables and summarised by the same
function as the CSV files read by pandas, figure by figure and deal by deal.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import create_engine, select

from cli_runner import Liidi
from liidi.storage.tables import accounts, opportunities

DEALS_MAP = {
    "external_id": "opportunity_id",
    "owner": "sales_agent",
    "name": "product",
    "account_name": "account",
    "stage": "deal_stage",
    "created_at": "engage_date",
    "closed_at": "close_date",
    "amount": "close_value",
}
ACCOUNT_TYPES = {"year_established": "integer", "revenue": "number"}
# The figures SOURCE.md gives for the published files.
KNOWN = {"deals": 8_800, "won": 4_238, "lost": 2_473, "open": 2_089, "accounts": 85}
FIELDS = ("stage", "amount", "owner", "name", "account", "created", "closed")


@dataclass(frozen=True)
class Check:
    """One figure from both sides; `known` is the published figure, when there is one."""

    name: str
    pandas: Any
    liidi: Any
    known: Any = None

    @property
    def ok(self) -> bool:
        return self.pandas == self.liidi and (self.known is None or self.known == self.pandas)


def import_files(liidi: Liidi, folder: Path) -> None:
    """`liidi import accounts` (keyed and named by the account column) then `liidi import deals`."""
    liidi("db", "upgrade")
    account_args = ["--map", "name=account", "--map", "external_id=account", "--map", "industry=sector"]
    account_args += ["--all-columns"]
    for column, kind in ACCOUNT_TYPES.items():
        account_args += ["--type", f"{column}={kind}"]
    liidi("import", "accounts", str(folder / "accounts.csv"), *account_args)
    deal_args = [arg for field, column in DEALS_MAP.items() for arg in ("--map", f"{field}={column}")]
    liidi("import", "deals", str(folder / "sales_pipeline.csv"), *deal_args)


def expected(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The deals and accounts as pandas reads the files, in the shape `summarise` takes."""
    raw = pd.read_csv(folder / "sales_pipeline.csv", dtype=str, keep_default_na=False)
    stage = raw["deal_stage"].map({"Won": "won", "Lost": "lost"}).fillna("open")
    deals = pd.DataFrame(
        {
            "external_id": raw["opportunity_id"],
            "stage": stage,
            "amount": pd.to_numeric(raw["close_value"].replace("", None)),
            "owner": raw["sales_agent"].replace("", None),
            "name": raw["product"],
            "account": raw["account"].replace("", None),
            "created": raw["engage_date"].replace("", None),
            "closed": raw["close_date"].replace("", None),
        }
    )
    found = pd.read_csv(folder / "accounts.csv", dtype=str, keep_default_na=False)
    accounts_frame = pd.DataFrame(
        {
            "name": found["account"],
            "employees": pd.to_numeric(found["employees"]),
            "revenue": pd.to_numeric(found["revenue"]),
        }
    )
    return deals.set_index("external_id"), accounts_frame


def stored(url: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The deals and accounts the store holds, read straight from its tables (no liidi reporting)."""
    o, a = opportunities.c, accounts.c
    query = select(
        o.external_id, o.stage, o.amount, o.owner, o.name, a.name.label("account"), o.created_ts, o.closed_ts
    ).select_from(opportunities.outerjoin(accounts, a.id == o.account_id))
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = pd.DataFrame(conn.execute(query).mappings().all())
        held = pd.DataFrame(conn.execute(select(a.name, a.employees, a.traits)).mappings().all())
    engine.dispose()
    rows["created"] = rows.pop("created_ts").map(_day)
    rows["closed"] = rows.pop("closed_ts").map(_day)
    traits = held.pop("traits").map(lambda t: t if isinstance(t, dict) else json.loads(t))
    held["revenue"] = traits.map(lambda t: t.get("revenue"))
    return rows.set_index("external_id"), held


def _day(ts: float | None) -> str | None:
    return None if ts is None or pd.isna(ts) else datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d")


def summarise(deals: pd.DataFrame, accounts_frame: pd.DataFrame) -> dict[str, Any]:
    """The figures compared, from either side's frames."""
    won = deals[deals["stage"] == "won"]
    return {
        "accounts": len(accounts_frame),
        "account revenue, total": round(float(accounts_frame["revenue"].sum()), 2),
        "account employees, total": int(accounts_frame["employees"].sum()),
        "deals": len(deals),
        "won": int((deals["stage"] == "won").sum()),
        "lost": int((deals["stage"] == "lost").sum()),
        "open": int((deals["stage"] == "open").sum()),
        "deals with an account": int(deals["account"].notna().sum()),
        "won amount": float(won["amount"].sum()),
        "lost amount": float(deals.loc[deals["stage"] == "lost", "amount"].fillna(0).sum()),
        "won amount by sales agent": _by(won, "owner"),
        "won amount by account": _by(won, "account"),
    }


def _by(won: pd.DataFrame, column: str) -> dict[str, float]:
    return {str(k): float(v) for k, v in won.groupby(column)["amount"].sum().sort_index().items()}


def field_by_field(want: pd.DataFrame, got: pd.DataFrame) -> Check:
    """Deals whose every field matches the file, joined by opportunity id (a blank date is not compared:
    a deal without an engage date is stored as created at the import)."""
    joined = want.merge(got, how="left", left_index=True, right_index=True, suffixes=("", "_stored"))
    same = pd.Series(True, index=joined.index)
    for name in FIELDS:
        a, b = joined[name], joined[f"{name}_stored"]
        equal = (a == b) | (a.isna() & b.isna())
        same &= equal | (a.isna() if name == "created" else False)
    return Check("deals equal field by field", len(want), int(same.sum()))


def checks(folder: Path, url: str, known: dict[str, int] | None = KNOWN) -> list[Check]:
    """Every check: the figures of `summarise` on both sides, then the deals field by field."""
    want_deals, want_accounts = expected(folder)
    got_deals, got_accounts = stored(url)
    want, got = summarise(want_deals, want_accounts), summarise(got_deals, got_accounts)
    found = [Check(name, want[name], got[name], (known or {}).get(name)) for name in want]
    return [*found, field_by_field(want_deals, got_deals)]


def evaluate(liidi: Liidi, data: Path, known: dict[str, int] | None = KNOWN) -> list[Check]:
    """Part B end to end on `data`/maven-crm-sales-opportunities."""
    folder = data / "maven-crm-sales-opportunities"
    import_files(liidi, folder)
    return [*checks(folder, liidi.url, known), *report_checks(liidi, folder)]


def report_checks(liidi: Liidi, folder: Path) -> list[Check]:
    """Win rate by sector and by sales agent (`liidi report funnel`) and the median days from engage to
    close (`liidi report velocity`), against pandas on the files."""
    want_deals, _ = expected(folder)
    sectors = pd.read_csv(folder / "accounts.csv", dtype=str, keep_default_na=False)
    sector_of = dict(zip(sectors["account"], sectors["sector"].replace("", None), strict=True))
    want_deals["sector"] = want_deals["account"].map(sector_of).fillna("(none)")
    want_deals["agent"] = want_deals["owner"].fillna("(none)")
    found = []
    for name, by, column in (
        ("win rate by sector", "industry", "sector"),
        ("by sales agent", "owner", "agent"),
    ):
        report = json.loads(liidi("report", "funnel", "--by", by, "--json"))
        got = {g["key"]: round(g["win_rate"], 9) for g in report["deals"] if g["win_rate"] is not None}
        found.append(Check(f"win rate {name.removeprefix('win rate ')}", _win_rates(want_deals, column), got))
    velocity = json.loads(liidi("report", "velocity", "--json"))
    median = next(m["median_days"] for m in velocity["measures"] if m["measure"] == "to close")
    closed = want_deals[want_deals["stage"].isin(["won", "lost"])].dropna(subset=["created", "closed"])
    days = (pd.to_datetime(closed["closed"]) - pd.to_datetime(closed["created"])).dt.days
    found.append(Check("median days engage → close", float(days.median()), median))
    return found


def _win_rates(deals: pd.DataFrame, column: str) -> dict[str, float]:
    """Won / (won + lost) per group with a closed deal, from the files."""
    closed = deals[deals["stage"].isin(["won", "lost"])]
    rates = closed.groupby(column)["stage"].apply(lambda s: float((s == "won").mean()))
    return {str(k): round(v, 9) for k, v in rates.sort_index().items()}


def shown(value: Any, fmt: Callable[[float], str] = "{:,.0f}".format) -> str:
    """A figure for the table: numbers with thousands separators, per-group sums as their count."""
    if isinstance(value, dict):
        return f"{len(value)} × sum"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    return fmt(value) if isinstance(value, int | float) else str(value)
