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
from tests.builders import person_with_ids, publish

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
    """A demo market, and two people known only by their CRM id; how many people there are."""
    load_demo(
        UnitOfWork(engine), dataset=generate(accounts=30, months=3, seed=4, end=END), now=END.timestamp()
    )
    for crm_id in ("00Q5g00000AbCdE", "00Q5g00000FgHiJ"):
        person_with_ids(lambda: UnitOfWork(engine), external_ids=(crm_id,), seniority="director")
    with engine.connect() as conn:
        return int(
            conn.execute(text("SELECT count(*) FROM people WHERE merged_into_id IS NULL")).scalar_one()
        )


def _stored(engine: Engine) -> dict[int, tuple[object, ...]]:
    sql = "SELECT person_id, model_version, grade, score, mql, pql, hand_raiser, signals, email, external_id"
    with engine.connect() as conn:
        rows = conn.execute(text(sql + " FROM batch_scores WHERE as_of_ts = :t"), {"t": AS_OF_TS}).all()
    return {
        r[0]: (r[1], r[2], round(r[3], 6), bool(r[4]), bool(r[5]), bool(r[6]), _list(r[7]), r[8], r[9])
        for r in rows
    }


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
    named = [by_store[pid][7:] for pid in sorted(by_store)]
    assert all(email for email, _ in named[:-2])  # the demo's people have e-mails, the last two do not
    assert named[-2:] == [
        (None, "00Q5g00000AbCdE"),
        (None, "00Q5g00000FgHiJ"),
    ]


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
    assert table.column_names[:3] == ["person_id", "email", "external_id"]
    named = [(r["email"], r["external_id"]) for r in table.select(["email", "external_id"]).to_pylist()]
    assert (None, "00Q5g00000AbCdE") in named and sum(1 for e, _ in named if e) == people - 2
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


def test_an_export_from_before_external_ids_is_refused_naming_the_missing_column(
    cli: CliRunner, engine: Engine, tmp_path: Path
) -> None:
    _market(engine)
    code, out = run(cli, "export", "events", "--parquet", str(tmp_path / "old"))
    assert code == 0, out
    people_file = tmp_path / "old" / "people_flat.parquet"
    pq.write_table(pq.read_table(people_file).drop_columns(["external_id"]), people_file)
    old = str(tmp_path / "old")
    code, out = run(cli, "score", "--model", str(EXAMPLE), "--source", old, "--as-of", AS_OF)
    assert code == 65 and "Traceback" not in out
    assert "people_flat.parquet: no column external_id" in out
    assert "export it again with: liidi export events --parquet DIR" in out
