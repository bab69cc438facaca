"""`liidi export` end to end: the batch layout written from the store as Parquet files."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
from sqlalchemy import Engine
from typer.testing import CliRunner

from liidi.cli import app
from tests.e2e.test_score_cli import _market


def test_export_events_writes_both_relations_and_names_each_file(
    cli: CliRunner, engine: Engine, tmp_path: Path
) -> None:
    people, out = _market(engine), tmp_path / "out"
    result = cli.invoke(app, ["export", "events", "--parquet", str(out), "--chunk", "500"])
    assert result.exit_code == 0, result.output
    people_file, events_file = out / "people_flat.parquet", out / "events_flat.parquet"
    assert pq.read_table(people_file).num_rows == people
    events = pq.read_table(events_file).num_rows
    assert events > people
    assert f"{people} rows → {people_file}" in result.output
    assert f"{events} rows → {events_file}" in result.output


def test_export_people_writes_people_only(cli: CliRunner, engine: Engine, tmp_path: Path) -> None:
    people, out = _market(engine), tmp_path / "out"
    result = cli.invoke(app, ["export", "people", "--parquet", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["people_flat.parquet"]
    assert pq.read_table(out / "people_flat.parquet").num_rows == people
