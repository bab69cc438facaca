"""The waste report on the hand-counted store (tests/report_fixture.py) and on DuckDB over its exported
layout, which must give the same figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from liidi.errors import ValidationFailed
from liidi.services import waste_report
from liidi.services.export import REPORT_RELATIONS, export_store
from tests.report_fixture import DAY, T, build
from tests.routing_support import NewUow


@pytest.fixture
def store(engine: Engine, new_uow: NewUow) -> NewUow:
    """The hand-counted store."""
    build(engine)
    return new_uow


@pytest.fixture
def layout(store: NewUow, tmp_path: Path) -> Path:
    """The store's report relations as Parquet files."""
    export_store(store, directory=tmp_path / "layout", relations=REPORT_RELATIONS)
    return tmp_path / "layout"


def test_duckdb_over_the_exported_layout_gives_the_store_s_waste(store: NewUow, layout: Path) -> None:
    periods = [
        {"since": T, "until": T + 30 * DAY, "now": T + 40 * DAY},
        {"since": None, "until": None, "now": T + 40 * DAY},
        {"since": T + 100 * DAY, "until": T + 101 * DAY, "now": T + 200 * DAY},
        {"since": T + 5 * DAY, "until": None, "now": T + 2 * DAY},
    ]
    for period in periods:
        here = waste_report.waste(store(), **period).as_dict()
        there = waste_report.waste(store(), **period, engine="duckdb", files=layout).as_dict()
        assert here == there, period
        assert here["measures"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"engine": "spark"}, "engine"),
        ({"engine": "duckdb"}, "parquet"),
        ({"since": float("nan")}, "since"),
        ({"until": float("inf")}, "until"),
    ],
)
def test_bad_waste_parameters_name_the_field(store: NewUow, kwargs: dict, field: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        waste_report.waste(store(), **kwargs)
    assert raised.value.errors[0].field == field


def test_duckdb_without_the_clock_and_merge_files_says_how_to_write_them(
    store: NewUow, tmp_path: Path
) -> None:
    with pytest.raises(ValidationFailed) as raised:
        waste_report.waste(store(), engine="duckdb", files=tmp_path)
    assert "liidi export history" in str(raised.value)
