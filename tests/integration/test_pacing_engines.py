"""The weekly review on DuckDB over the exported layout gives the store's figures; bad engines named."""

from __future__ import annotations

from pathlib import Path

import pytest

from liidi.errors import ValidationFailed
from liidi.services import pacing
from liidi.services.export import REPORT_RELATIONS, export_store
from tests.integration.test_pacing_pandas import WEEKS, _generate, _store
from tests.pacing_support import NOW, NewUow, seed_weeks


def _layout(new_uow: NewUow, tmp_path: Path) -> Path:
    export_store(new_uow, directory=tmp_path / "layout", relations=REPORT_RELATIONS)
    return tmp_path / "layout"


def test_duckdb_over_the_export_gives_the_store_s_hand_counted_weeks(new_uow: NewUow, tmp_path: Path) -> None:
    seed_weeks(new_uow)
    layout = _layout(new_uow, tmp_path)
    for by in (None, "channel", "lead_tool", "direction", "sourced_by"):
        here = pacing.report(new_uow(), weeks=3, by=by, now=NOW).as_dict()
        there = pacing.report(new_uow(), weeks=3, by=by, now=NOW, engine="duckdb", files=layout).as_dict()
        assert here == there, by


def test_duckdb_over_the_export_gives_the_store_s_generated_weeks(new_uow: NewUow, tmp_path: Path) -> None:
    _store(new_uow, *_generate(3))
    layout = _layout(new_uow, tmp_path)
    here = pacing.report(new_uow(), weeks=WEEKS, by="channel", now=NOW).as_dict()
    there = pacing.report(new_uow(), weeks=WEEKS, by="channel", now=NOW, files=layout).as_dict()
    assert here == there
    assert sum(w["total"]["leads"]["actual"] for w in there["weeks"]) > 100


@pytest.mark.parametrize(
    ("kwargs", "field"), [({"engine": "spark"}, "engine"), ({"engine": "duckdb"}, "parquet")]
)
def test_a_bad_engine_for_the_weekly_review_names_the_field(
    new_uow: NewUow, kwargs: dict, field: str
) -> None:
    with pytest.raises(ValidationFailed) as raised:
        pacing.report(new_uow(), now=NOW, **kwargs)
    assert raised.value.errors[0].field == field


def test_duckdb_without_the_layout_files_says_how_to_write_them(new_uow: NewUow, tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed) as raised:
        pacing.report(new_uow(), now=NOW, engine="duckdb", files=tmp_path)
    assert "liidi export history" in str(raised.value)


def test_a_layout_file_that_is_not_the_layout_is_refused_naming_it(new_uow: NewUow, tmp_path: Path) -> None:
    seed_weeks(new_uow)
    layout = _layout(new_uow, tmp_path)
    (layout / "stages_flat.parquet").write_bytes(b"not parquet")
    with pytest.raises(ValidationFailed) as raised:
        pacing.report(new_uow(), now=NOW, files=layout)
    assert raised.value.errors[0].field == "parquet"
    assert "stages_flat.parquet" in str(raised.value)
    copy = (layout / "touches_flat.parquet").read_bytes()
    (layout / "stages_flat.parquet").write_bytes(copy)
    with pytest.raises(ValidationFailed) as raised:
        pacing.report(new_uow(), now=NOW, files=layout)
    assert "cannot be read as the layout" in str(raised.value)
