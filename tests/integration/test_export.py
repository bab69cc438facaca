"""Exporting the batch layout to Parquet gives exactly the rows of the store's views."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from sqlalchemy import Engine

from liidi.demo.generator import generate
from liidi.engines.export import export_layout, parquet_path
from liidi.engines.layout import EVENT_COLUMNS, EVENTS, EXTERNAL_KIND, PEOPLE, PEOPLE_COLUMNS, store_views
from liidi.services import history
from liidi.services.demo import load_demo
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import person_with_ids

END = datetime(2026, 11, 1, tzinfo=UTC)


def _view_rows(engine: Engine, relation: str, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        for statement in store_views(engine.dialect.name):
            conn.exec_driver_sql(statement)
        rows = conn.exec_driver_sql(f"SELECT {', '.join(columns)} FROM {relation}").all()
        conn.rollback()
    return sorted((dict(zip(columns, row, strict=True)) for row in rows), key=_key)


def _key(row: dict[str, Any]) -> tuple[Any, ...]:
    return row["person_id"], row.get("event_id") or ""


def _parquet_rows(directory: Path, relation: str) -> list[dict[str, Any]]:
    return sorted(pq.read_table(parquet_path(directory, relation)).to_pylist(), key=_key)


def test_exported_parquet_rows_equal_the_store_views(
    new_uow: Callable[[], UnitOfWork], engine: Engine, tmp_path: Path
) -> None:
    load_demo(new_uow(), dataset=generate(accounts=30, months=2, seed=3, end=END), now=END.timestamp())
    seen: dict[str, int] = {}
    written = export_layout(
        engine, tmp_path, chunk=97, progress=lambda r, n, total: seen.__setitem__(r, seen.get(r, 0) + n)
    )
    people = _view_rows(engine, PEOPLE, PEOPLE_COLUMNS)
    events = _view_rows(engine, EVENTS, EVENT_COLUMNS)
    assert len(people) > 20 and len(events) > 100
    assert _parquet_rows(tmp_path, PEOPLE) == people
    assert _parquet_rows(tmp_path, EVENTS) == events
    assert written == seen == {PEOPLE: len(people), EVENTS: len(events)}


def test_exported_files_have_the_layout_columns_and_types_even_when_empty(
    engine: Engine, tmp_path: Path
) -> None:
    export_layout(engine, tmp_path)
    people = pq.read_schema(parquet_path(tmp_path, PEOPLE))
    events = pq.read_schema(parquet_path(tmp_path, EVENTS))
    assert tuple(people.names) == PEOPLE_COLUMNS and tuple(events.names) == EVENT_COLUMNS
    assert str(events.field("ts").type) == "double" and str(events.field("properties").type) == "string"
    assert pq.read_metadata(parquet_path(tmp_path, EVENTS)).num_rows == 0


def test_an_export_can_run_again_on_the_same_connections_and_leaves_the_store_writable(
    new_uow: Callable[[], UnitOfWork], engine: Engine, tmp_path: Path
) -> None:
    load_demo(new_uow(), dataset=generate(accounts=5, months=1, seed=2, end=END), now=END.timestamp())
    first = export_layout(engine, tmp_path / "a", relations=[PEOPLE])
    second = export_layout(engine, tmp_path / "b", relations=[PEOPLE])
    assert first == second and first[PEOPLE] > 0
    with new_uow() as uow:
        uow.conn.exec_driver_sql("UPDATE people SET title = 'CIO' WHERE id = 1")
        uow.commit()
    assert not (tmp_path / "a" / "people_flat.parquet.partial").exists()


def test_people_flat_carries_each_persons_first_external_id_of_the_kind_history_imports_use(
    new_uow: Callable[[], UnitOfWork], engine: Engine, tmp_path: Path
) -> None:
    both = person_with_ids(new_uow, email="both@firma.fi", external_ids=("crm-1", "crm-0"))
    only = person_with_ids(new_uow, external_ids=("crm-2",))
    mail = person_with_ids(new_uow, email="mail@firma.fi")
    with new_uow() as uow:
        uow.identities.add("anonymous", "crm-3", mail, END.timestamp())  # another kind is not an external id
        uow.commit()
    export_layout(engine, tmp_path, relations=[PEOPLE])
    found = {r["person_id"]: (r["email"], r["external_id"]) for r in _parquet_rows(tmp_path, PEOPLE)}
    assert found == {both: ("both@firma.fi", "crm-1"), only: (None, "crm-2"), mail: ("mail@firma.fi", None)}
    assert EXTERNAL_KIND == history.EXTERNAL_KIND
