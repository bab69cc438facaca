"""The planner's measures and a plan's actuals on DuckDB over the exported layout equal the store's."""

from __future__ import annotations

from pathlib import Path

import pytest

from liidi.errors import ValidationFailed
from liidi.services import planning
from liidi.services.export import REPORT_RELATIONS, export_store
from liidi.services.history import import_deals, import_history
from liidi.services.people import identify
from tests.builders import NOW
from tests.integration.test_planning_pandas import SINCE, UNTIL, generate
from tests.planning_support import NewUow, load_history


def _layout(new_uow: NewUow, tmp_path: Path) -> Path:
    export_store(new_uow, directory=tmp_path / "layout", relations=REPORT_RELATIONS)
    return tmp_path / "layout"


def test_duckdb_over_the_export_measures_the_store_s_hand_computed_plan(
    new_uow: NewUow, tmp_path: Path
) -> None:
    load_history(new_uow)
    for period in ("2026-02", "2026-03"):
        planning.make_plan(new_uow(), revenue=60000, period=period, save=True, now=NOW)
    layout = _layout(new_uow, tmp_path)
    here = planning.make_plan(new_uow(), revenue=60000, period="2026-12", now=NOW).as_dict()
    there = planning.make_plan(new_uow(), revenue=60000, period="2026-12", now=NOW, files=layout).as_dict()
    assert here == there
    for period in ("2026-02", "2026-03"):
        shown = planning.show_plan(new_uow(), period, now=NOW)
        assert shown == planning.show_plan(new_uow(), period, now=NOW, engine="duckdb", files=layout)


def test_duckdb_over_the_export_measures_the_store_s_generated_history(
    new_uow: NewUow, tmp_path: Path
) -> None:
    changes, deals = generate(7, people=240)
    for email in sorted({c["email"] for c in changes}):
        identify(new_uow(), email=email, now=NOW)
    import_history(new_uow(), records=changes, now=NOW)
    import_deals(new_uow(), records=deals, now=NOW)
    layout = _layout(new_uow, tmp_path)
    here = planning.make_plan(new_uow(), revenue=100000, since=SINCE, until=UNTIL, now=NOW).as_dict()
    there = planning.make_plan(
        new_uow(), revenue=100000, since=SINCE, until=UNTIL, now=NOW, engine="duckdb", files=layout
    ).as_dict()
    assert here == there
    assert here["rates"]["contact_to_meeting"]["trials"] > 50


@pytest.mark.parametrize(
    ("kwargs", "field"), [({"engine": "spark"}, "engine"), ({"engine": "duckdb"}, "parquet")]
)
def test_a_bad_engine_for_the_planner_names_the_field(new_uow: NewUow, kwargs: dict, field: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        planning.make_plan(new_uow(), revenue=1000, now=NOW, **kwargs)
    assert raised.value.errors[0].field == field
    with pytest.raises(ValidationFailed) as raised:
        planning.show_plan(new_uow(), "2026-03", now=NOW, **kwargs)
    assert raised.value.errors[0].field == field
