"""The funnel reports on a generated demo market against an independent pandas computation from the
store's tables, on SQLite, PostgreSQL and DuckDB over the exported layout."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

from liidi.demo.generator import generate
from liidi.services import funnel_reports
from liidi.services.batch import choose_model, rescore_batch
from liidi.services.demo import load_demo
from liidi.services.export import REPORT_RELATIONS, export_store
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import publish

END = datetime(2026, 11, 1, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]
STAGES = ("subscriber", "lead", "mql", "sal", "sql", "opportunity", "customer")
RANK = {s: i for i, s in enumerate(STAGES)}
NewUow = Callable[[], UnitOfWork]


@pytest.fixture
def market(new_uow: NewUow) -> NewUow:
    """A demo market with history, deals and touches, scored in batch half-way through."""
    dataset = generate(accounts=80, months=6, seed=11, end=END)
    load_demo(new_uow(), dataset=dataset, now=END.timestamp())
    name = publish(new_uow, (ROOT / "examples" / "scoring.yaml").read_text(encoding="utf-8"))
    chosen = choose_model(new_uow(), ref=name)
    as_of = END.timestamp() - 90 * 86_400
    rescore_batch(new_uow, chosen=chosen, engine="sqlite" if _sqlite(new_uow) else "postgres", as_of=as_of)
    return new_uow


def _sqlite(new_uow: NewUow) -> bool:
    return new_uow().engine.dialect.name == "sqlite"


def _tables(engine: Engine) -> dict[str, pd.DataFrame]:
    with engine.connect() as conn:
        return {
            name: pd.read_sql_query(f"SELECT * FROM {name}", conn)
            for name in (
                "people",
                "lifecycle_history",
                "opportunities",
                "accounts",
                "touches",
                "batch_scores",
            )
        }


def expected_funnel(t: dict[str, pd.DataFrame]) -> dict[str, dict[str, int]]:
    """Per lead tool: how many reached each stage (history or the current stage, the furthest one)."""
    people = t["people"][t["people"]["merged_into_id"].isna()]
    moves = t["lifecycle_history"].assign(rank=lambda h: h["to_stage"].map(RANK))
    top = moves.groupby("person_id")["rank"].max()
    now = people.set_index("id")["lifecycle_stage"].map(RANK).fillna(0)
    furthest = pd.concat([top.reindex(now.index).fillna(0), now], axis=1).max(axis=1)
    tool = people.set_index("id")["lead_tool"].fillna("(none)")
    return {
        str(key): {s: int((ranks >= i).sum()) for i, s in enumerate(STAGES)}
        for key, ranks in furthest.groupby(tool)
    }


def expected_deals(t: dict[str, pd.DataFrame]) -> dict[str, tuple[int, int, int]]:
    """Per industry: deals, won, lost."""
    deals = t["opportunities"].merge(
        t["accounts"][["id", "industry"]], how="left", left_on="account_id", right_on="id"
    )
    deals["industry"] = deals["industry"].fillna("(none)")
    return {
        str(k): (len(g), int((g["stage"] == "won").sum()), int((g["stage"] == "lost").sum()))
        for k, g in deals.groupby("industry")
    }


def expected_velocity(t: dict[str, pd.DataFrame]) -> dict[str, tuple[int, float]]:
    """n and median days: in each stage (until the next change) and deal creation to close."""
    h = t["lifecycle_history"].sort_values(["person_id", "occurred_ts", "id"])
    h["next"] = h.groupby("person_id")["occurred_ts"].shift(-1)
    stays = h[h["next"].notna() & h["to_stage"].isin(STAGES[1:-1])]
    days = (stays["next"] - stays["occurred_ts"]) / 86_400
    found = {f"in {s}": (len(d), float(d.median())) for s, d in days.groupby(stays["to_stage"])}
    deals = t["opportunities"]
    closed = deals[deals["stage"].isin(["won", "lost"]) & deals["closed_ts"].notna()]
    span = (closed["closed_ts"] - closed["created_ts"]) / 86_400
    found["to close"] = (len(span), float(span.median()))
    return found


def expected_calibration(t: dict[str, pd.DataFrame]) -> dict[str, tuple[int, int, int]]:
    """Per grade: people scored, base and converted to sql after the run."""
    scores = t["batch_scores"]
    h = t["lifecycle_history"].assign(rank=lambda x: x["to_stage"].map(RANK))
    as_of = scores["as_of_ts"].max()
    before = h[h["occurred_ts"] <= as_of].groupby("person_id")["rank"].max()
    after = h[h["occurred_ts"] > as_of].groupby("person_id")["rank"].max()
    s = scores[scores["as_of_ts"] == as_of].set_index("person_id")
    s["before"] = before.reindex(s.index).fillna(0)
    s["after"] = after.reindex(s.index).fillna(0)
    base = s[s["before"] < RANK["sql"]]
    result = {}
    for grade, group in s.groupby(s["grade"].fillna("(none)")):
        b = base[base["grade"].fillna("(none)") == grade]
        result[str(grade)] = (len(group), len(b), int((b["after"] >= RANK["sql"]).sum()))
    return result


def test_the_reports_match_pandas_on_the_demo_market_on_every_engine(
    market: NewUow, engine: Engine, tmp_path: Path
) -> None:
    tables = _tables(engine)
    layout = tmp_path / "layout"
    export_store(market, directory=layout, relations=REPORT_RELATIONS)
    for options in ({}, {"engine": "duckdb", "files": layout}):
        funnel = funnel_reports.funnel_report(market(), by="lead_tool", **options)  # type: ignore[arg-type]
        assert {g.key: g.reached for g in funnel.groups} == expected_funnel(tables)
        deals = funnel_reports.funnel_report(market(), by="industry", **options)  # type: ignore[arg-type]
        assert {g.key: (g.deals, g.won, g.lost) for g in deals.deals} == expected_deals(tables)
        velocity = funnel_reports.velocity_report(market(), **options)  # type: ignore[arg-type]
        found = {m.measure: (m.n, m.median_days) for m in velocity.measures}
        for measure, (n, median) in expected_velocity(tables).items():
            assert found[measure][0] == n, measure
            assert found[measure][1] == pytest.approx(median, abs=1e-5), measure
        calibration = funnel_reports.calibration_report(market(), **options)  # type: ignore[arg-type]
        got = {r.key: (r.people, r.base["sql"], r.converted["sql"]) for r in calibration.grades}
        assert got == expected_calibration(tables)
    assert sum(g.reached["customer"] for g in funnel.groups) > 0
