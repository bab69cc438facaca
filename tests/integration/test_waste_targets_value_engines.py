"""The waste, target-account and marketing-value reports on the store and on DuckDB over its exported
layout, which must give the same figures: on the hand-counted market (tests/report_fixture.py) and on a
generated one (bench/analytics_synth.py)."""

from __future__ import annotations

import sys
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import Engine

from liidi.errors import ValidationFailed
from liidi.services import targets, waste_report
from liidi.services.export import REPORT_RELATIONS, export_store
from tests.report_fixture import DAY, ICP, T, build
from tests.routing_support import NewUow

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from analytics_synth import END, tables, write  # noqa: E402


def export(store: NewUow, directory: Path) -> Path:
    """The store's report relations as Parquet files in `directory`."""
    export_store(store, directory=directory, relations=REPORT_RELATIONS)
    return directory


@pytest.fixture
def store(engine: Engine, new_uow: NewUow) -> NewUow:
    """The hand-counted store, with the ICP in force."""
    build(engine)
    targets.load_icp(new_uow(), text=ICP, source_name="icp.yaml", author="test", now=T)
    return new_uow


def same_everywhere(store: NewUow, layout: Path, moments: list[float]) -> None:
    """Each report, for periods and moments around the data, is the same on the store and on DuckDB."""
    duck = {"engine": "duckdb", "files": layout}
    for since, until in [(None, None), *pairwise(moments)]:
        kwargs = {"since": since, "until": until}
        now = until or moments[-1]
        here = waste_report.waste(store(), **kwargs, now=now).as_dict()
        assert here == waste_report.waste(store(), **kwargs, now=now, **duck).as_dict(), kwargs
        for lookback in (1, 60, 180):
            here = waste_report.value(store(), **kwargs, lookback_days=lookback).as_dict()
            there = waste_report.value(store(), **kwargs, lookback_days=lookback, **duck).as_dict()
            assert here == there, (kwargs, lookback)
    for as_of in moments:
        for months in (1, 12):
            here = targets.report(store(), as_of=as_of, months=months).as_dict()
            assert here == targets.report(store(), as_of=as_of, months=months, **duck).as_dict(), as_of


def test_duckdb_over_the_exported_layout_gives_the_store_s_reports(store: NewUow, tmp_path: Path) -> None:
    layout = export(store, tmp_path / "layout")
    same_everywhere(store, layout, [T - 200 * DAY, T, T + 5 * DAY, T + 10 * DAY, T + 30 * DAY, T + 101 * DAY])
    report = waste_report.waste(
        store(), since=T, until=T + 30 * DAY, now=T + 40 * DAY, engine="duckdb", files=layout
    )
    assert (report.handed_over, report.won_value) == (4, 20000.0)


def test_duckdb_gives_the_store_s_reports_on_a_generated_market(
    engine: Engine, new_uow: NewUow, tmp_path: Path
) -> None:
    write(engine, tables(people=1500, seed=5, events_per_person=6))
    targets.load_icp(new_uow(), text=ICP, source_name="icp.yaml", author="test", now=END)
    layout = export(new_uow, tmp_path / "layout")
    same_everywhere(new_uow, layout, [END - 300 * DAY, END - 120 * DAY, END - 30 * DAY, END])


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"engine": "spark"}, "engine"),
        ({"engine": "duckdb"}, "parquet"),
        ({"since": float("nan")}, "since"),
        ({"until": float("inf")}, "until"),
    ],
)
def test_bad_report_parameters_name_the_field(store: NewUow, kwargs: dict, field: str) -> None:
    for run in (waste_report.waste, waste_report.value):
        with pytest.raises(ValidationFailed) as raised:
            run(store(), **kwargs)
        assert raised.value.errors[0].field == field


def test_duckdb_without_the_new_layout_files_says_how_to_write_them(store: NewUow, tmp_path: Path) -> None:
    for run in (waste_report.waste, waste_report.value, targets.report):
        with pytest.raises(ValidationFailed) as raised:
            run(store(), engine="duckdb", files=tmp_path)
        assert "liidi export history" in str(raised.value)
