"""Funnel, velocity, calibration and mix on a hand-worked store (tests/funnel_support.py), on SQLite and
PostgreSQL and on DuckDB over the exported layout, which must all give the same figures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine

from liidi.errors import ValidationFailed
from liidi.services import funnel_reports
from liidi.services.export import REPORT_RELATIONS, export_store
from liidi.services.unit_of_work import UnitOfWork
from tests import funnel_support
from tests.funnel_support import day

NewUow = Callable[[], UnitOfWork]


@pytest.fixture
def store(engine: Engine, new_uow: NewUow) -> NewUow:
    """The hand-worked store."""
    funnel_support.load(engine)
    return new_uow


@pytest.fixture
def layout(store: NewUow, tmp_path: Path) -> Path:
    """The store's report relations as Parquet files."""
    export_store(store, directory=tmp_path / "layout", relations=REPORT_RELATIONS)
    return tmp_path / "layout"


def test_the_funnel_counts_everyone_who_entered_a_stage_or_a_later_one(store: NewUow) -> None:
    total = funnel_reports.funnel_report(store()).total
    assert total.people == 5
    assert total.reached == {
        "subscriber": 5,
        "lead": 4,
        "mql": 4,
        "sal": 2,
        "sql": 2,
        "opportunity": 2,
        "customer": 1,
    }
    assert total.conversion["mql→sal"] == 0.5
    assert total.conversion["opportunity→customer"] == 0.5


def test_the_funnel_by_lead_tool_splits_people_by_how_they_came_in(store: NewUow) -> None:
    groups = {g.key: g for g in funnel_reports.funnel_report(store(), by="lead_tool").groups}
    assert set(groups) == {"contact_form", "download", "event", "newsletter"}
    assert groups["download"].people == 2
    assert groups["download"].reached["sal"] == 1
    assert groups["event"].reached["opportunity"] == 1
    assert groups["newsletter"].reached["lead"] == 0
    assert groups["contact_form"].reached["mql"] == 1


def test_cohorts_are_the_month_of_arrival_and_the_window_counts_arrivals(store: NewUow) -> None:
    cohorts = {g.key: g.people for g in funnel_reports.funnel_report(store(), by="cohort").groups}
    assert cohorts == {"2026-01": 3, "2026-02": 2}
    late = funnel_reports.funnel_report(store(), since=day(30)).total
    assert (late.people, late.reached["lead"]) == (2, 1)


def test_campaign_and_segment_come_from_traits_and_account_size(store: NewUow) -> None:
    campaigns = {g.key: g.people for g in funnel_reports.funnel_report(store(), by="campaign").groups}
    assert campaigns == {"(none)": 3, "fair": 1, "spring": 1}
    segments = {g.key: g.people for g in funnel_reports.funnel_report(store(), by="segment").groups}
    assert segments == {"(none)": 1, "11-50": 2, "201-1000": 2}


def test_deal_win_rates_by_sector_and_owner_count_closed_deals_only(store: NewUow) -> None:
    report = funnel_reports.funnel_report(store(), by="industry")
    sectors = {g.key: g for g in report.deals}
    assert (sectors["software"].won, sectors["software"].win_rate) == (2, 1.0)
    assert (sectors["retail"].open, sectors["retail"].win_rate) == (1, 0.0)
    total = report.deals_total
    assert (total.deals, total.won_amount, total.pipeline, total.win_rate) == (4, 4000.0, 6500.0, 2 / 3)
    owners = {g.key: g.win_rate for g in funnel_reports.funnel_report(store(), by="owner").deals}
    assert owners == {"ana": 1.0, "bo": 0.5}


def test_velocity_gives_days_in_each_stage_to_first_touch_and_to_close(store: NewUow) -> None:
    report = funnel_reports.velocity_report(store())
    found = {m.measure: (m.n, m.median_days, m.mean_days) for m in report.measures}
    assert found["in lead"] == (2, 1.0, 1.0)
    assert found["in mql"] == (2, 2.0, 2.0)
    assert found["in sql"] == (2, 7.0, 7.0)
    assert found["in opportunity"] == (1, 30.0, 30.0)
    assert found["to first touch"] == (2, 1.25, 1.25)
    assert found["to close (won)"] == (2, 17.0, 17.0)
    assert found["to close (lost)"] == (1, 8.0, 8.0)
    assert found["to close"] == (3, 8.0, 14.0)
    assert report.untouched == {"all": 1}


def test_calibration_counts_conversions_after_the_latest_run(store: NewUow) -> None:
    report = funnel_reports.calibration_report(store())
    bands = {r.key: r for r in report.bands}
    assert set(bands) == {"0–20", "40–60", "80–100"}
    assert (bands["0–20"].rate("sql"), bands["0–20"].rate("customer")) == (1.0, 0.0)
    assert (bands["40–60"].people, bands["40–60"].rate("sql")) == (2, 0.0)
    assert bands["80–100"].rate("sql") is None
    assert bands["80–100"].rate("customer") == 1.0
    grades = {r.key: r.people for r in report.grades}
    assert grades == {"A": 1, "B": 2, "C": 1}


def test_calibration_as_of_an_earlier_moment_uses_the_earlier_run(store: NewUow) -> None:
    report = funnel_reports.calibration_report(store(), as_of=day(10))
    assert [(r.key, r.people, r.base["sql"], r.converted["sql"]) for r in report.bands] == [("0–20", 1, 1, 1)]


def test_the_sourced_mix_shares_people_opportunities_and_wins(store: NewUow) -> None:
    sides = {m["sourced_by"]: m for m in funnel_reports.mix_report(store())}
    assert sides["marketing"]["people_share"] == 0.6
    assert sides["marketing"]["opportunity_share"] == 0.5
    assert sides["marketing"]["won_share"] == 0.25
    assert sides["sales"]["opportunities"] == 1


def test_duckdb_over_the_exported_layout_gives_the_store_s_figures(store: NewUow, layout: Path) -> None:
    for by in (None, "lead_tool", "cohort", "campaign", "segment", "owner", "industry"):
        here = funnel_reports.funnel_report(store(), by=by).as_dict()
        there = funnel_reports.funnel_report(store(), by=by, engine="duckdb", files=layout).as_dict()
        assert {**here, "engine": "-"} == {**there, "engine": "-"}, by
        here = funnel_reports.velocity_report(store(), by=by).as_dict()
        there = funnel_reports.velocity_report(store(), by=by, engine="duckdb", files=layout).as_dict()
        assert {**here, "engine": "-"} == {**there, "engine": "-"}, by
    here = funnel_reports.calibration_report(store()).as_dict()
    there = funnel_reports.calibration_report(store(), engine="duckdb", files=layout).as_dict()
    assert {**here, "engine": "-"} == {**there, "engine": "-"}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"by": "shoe_size"}, "by"),
        ({"since": day(5), "until": day(1)}, "until"),
        ({"since": float("nan")}, "since"),
        ({"engine": "spark"}, "engine"),
        ({"engine": "duckdb"}, "parquet"),
    ],
)
def test_bad_report_parameters_name_the_field(store: NewUow, kwargs: dict, field: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        funnel_reports.funnel_report(store(), **kwargs)
    assert raised.value.errors[0].field == field


def test_duckdb_without_the_history_files_says_how_to_write_them(store: NewUow, tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed) as raised:
        funnel_reports.velocity_report(store(), engine="duckdb", files=tmp_path)
    assert "liidi export history" in str(raised.value)


def test_calibration_refuses_a_band_of_zero_or_infinity(store: NewUow) -> None:
    for band in (0.0, float("inf"), -5.0):
        with pytest.raises(ValidationFailed):
            funnel_reports.calibration_report(store(), band=band)
