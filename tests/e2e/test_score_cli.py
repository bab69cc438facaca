"""`liidi score` end to end: DuckDB and the store's own engine rescore everyone into batch_scores."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from liidi.cli import app
from liidi.demo.generator import generate
from liidi.services.demo import load_demo
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import publish

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "scoring.yaml"
END = datetime(2026, 11, 1, tzinfo=UTC)
AS_OF = "2026-10-15T00:00:00Z"
AS_OF_TS = datetime(2026, 10, 15, tzinfo=UTC).timestamp()


def run(cli: CliRunner, *args: str) -> tuple[int, str]:
    result = cli.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _market(engine: Engine) -> int:
    load_demo(
        UnitOfWork(engine), dataset=generate(accounts=30, months=3, seed=4, end=END), now=END.timestamp()
    )
    with engine.connect() as conn:
        return int(
            conn.execute(text("SELECT count(*) FROM people WHERE merged_into_id IS NULL")).scalar_one()
        )


def _stored(engine: Engine) -> dict[int, tuple[object, ...]]:
    sql = "SELECT person_id, model_version, grade, score, mql, pql, hand_raiser, signals FROM batch_scores"
    with engine.connect() as conn:
        rows = conn.execute(text(sql + " WHERE as_of_ts = :t"), {"t": AS_OF_TS}).all()
    return {r[0]: (r[1], r[2], round(r[3], 6), bool(r[4]), bool(r[5]), bool(r[6]), _list(r[7])) for r in rows}


def _list(value: object) -> list[str]:
    return json.loads(value) if isinstance(value, str) else list(value)  # type: ignore[call-overload]


def test_duckdb_and_the_store_engine_write_the_same_batch_scores(
    cli: CliRunner, engine: Engine, db_url: str
) -> None:
    people = _market(engine)
    publish(lambda: UnitOfWork(engine), EXAMPLE.read_text(encoding="utf-8"))
    code, out = run(cli, "score", "--model", "core-services", "--engine", "duckdb", "--as-of", AS_OF)
    assert code == 0 and f"scored {people} people with core-services@v1" in out
    by_duckdb = _stored(engine)
    store_engine = "sqlite" if db_url.startswith("sqlite") else "postgres"
    code, out = run(cli, "score", "--model", "core-services", "--engine", store_engine, "--as-of", AS_OF)
    assert code == 0 and f"on {store_engine}" in out
    by_store = _stored(engine)
    assert len(by_store) == people and by_store == by_duckdb
    assert any(row[3] or row[5] for row in by_store.values())


def test_a_model_file_scored_to_parquet_leaves_the_store_untouched(
    cli: CliRunner, engine: Engine, tmp_path: Path
) -> None:
    people = _market(engine)
    code, out = run(
        cli, "score", "--model", str(EXAMPLE), "--as-of", str(AS_OF_TS), "--out", str(tmp_path / "out")
    )
    assert code == 0, out
    table = pq.read_table(tmp_path / "out" / "batch_scores.parquet")
    assert table.num_rows == people and set(table.column("as_of_ts").to_pylist()) == {AS_OF_TS}
    assert table.column("model_version").to_pylist()[0].startswith("core-services@")
    assert _stored(engine) == {}


def test_an_unknown_engine_is_a_one_line_error(cli: CliRunner) -> None:
    code, out = run(cli, "score", "--model", "core-services", "--engine", "oracle", "--as-of", AS_OF)
    assert code == 65
    assert out.strip().splitlines() == [
        "error: unknown engine 'oracle'; use one of sqlite, postgres, duckdb, spark"
    ]


def test_an_unpublished_model_name_is_not_found(cli: CliRunner) -> None:
    code, out = run(cli, "score", "--model", "nobody", "--engine", "duckdb", "--as-of", AS_OF)
    assert code == 66 and "no published scoring model 'nobody'" in out


def test_a_source_without_the_parquet_layout_is_not_found(cli: CliRunner, tmp_path: Path) -> None:
    code, out = run(cli, "score", "--model", str(EXAMPLE), "--source", str(tmp_path), "--as-of", AS_OF)
    assert code == 66 and "liidi export events --parquet" in out
