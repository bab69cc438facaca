"""Batch scores are written through their repository: a rescoring replaces one model's rows at one moment."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from sqlalchemy import Engine, text

from liidi.domain.scoring import load_model_text
from liidi.engines.batch import BatchRow
from liidi.services.batch import (
    ChosenModel,
    SparkOptions,
    choose_model,
    open_engine,
    rescore_batch,
    save_rows,
)
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import NOW, person_with_ids

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "scoring.yaml"


def rows(*scores: float) -> list[BatchRow]:
    return [
        BatchRow(pid, 10.0, "B", score - 10.0, score, score > 50, False, False, ("demo",))
        for pid, score in enumerate(scores, 1)
    ]


def test_a_rescoring_replaces_only_its_own_model_and_moment(new_uow: Callable[[], UnitOfWork]) -> None:
    model = load_model_text(EXAMPLE.read_text(encoding="utf-8"), "scoring.yaml")
    core, other = ChosenModel("core", "core@v1", model), ChosenModel("other", "other@v1", model)
    save_rows(new_uow(), rows=rows(10, 20, 30), chosen=core, as_of=100.0, scored_ts=1.0)
    save_rows(new_uow(), rows=rows(40), chosen=core, as_of=200.0, scored_ts=1.0)
    save_rows(new_uow(), rows=rows(50, 60), chosen=other, as_of=100.0, scored_ts=1.0)
    written = save_rows(new_uow(), rows=rows(70, 80), chosen=core, as_of=100.0, scored_ts=2.0)
    with new_uow() as uow:
        counts = [
            uow.batch_scores.count(m, t) for m, t in (("core", 100.0), ("core", 200.0), ("other", 100.0))
        ]
        assert written == 2 and counts == [2, 1, 2]
        assert uow.batch_scores.clear("core", 100.0) == 2 and uow.batch_scores.count("core", 100.0) == 0


NAMED = {  # how each person is known → (e-mail, external id) every batch row of theirs must carry
    "e-mail only": ("only.mail@firma.fi", None),
    "both": ("both@firma.fi", "7927b2df-1"),
    "external id only": (None, "660737c5-3"),
}


def _people_known_three_ways(new_uow: Callable[[], UnitOfWork]) -> dict[int, str]:
    """One person per way of being known; the second person has a later external id that rows ignore."""
    return {
        person_with_ids(new_uow, email="only.mail@firma.fi", role="decision_maker"): "e-mail only",
        person_with_ids(new_uow, email="both@firma.fi", external_ids=("7927b2df-1", "7927b2df-2")): "both",
        person_with_ids(new_uow, external_ids=("660737c5-3",), seniority="director"): "external id only",
    }


@pytest.mark.parametrize("engine_name", ["store", "duckdb"])
def test_stored_batch_rows_carry_each_persons_email_and_external_id(
    new_uow: Callable[[], UnitOfWork], engine: Engine, engine_name: str
) -> None:
    people = _people_known_three_ways(new_uow)
    chosen = choose_model(new_uow(), ref="scoring.yaml", text=EXAMPLE.read_text(encoding="utf-8"))
    store = {"sqlite": "sqlite", "postgresql": "postgres"}[engine.dialect.name]
    name = store if engine_name == "store" else engine_name
    done = rescore_batch(new_uow, chosen=chosen, engine=name, as_of=NOW, now=NOW)
    sql = "SELECT person_id, email, external_id FROM batch_scores WHERE model = :m AND as_of_ts = :t"
    with engine.connect() as conn:
        stored = conn.execute(text(sql), {"m": chosen.name, "t": NOW}).all()
    assert done.people == len(stored) == 3
    assert {people[pid]: (email, external) for pid, email, external in stored} == NAMED


def test_the_reference_engine_names_people_as_the_batch_engines_do(
    new_uow: Callable[[], UnitOfWork],
) -> None:
    people = _people_known_three_ways(new_uow)
    model = load_model_text(EXAMPLE.read_text(encoding="utf-8"), "scoring.yaml")
    with open_engine(new_uow, "reference", source=None, spark=SparkOptions()) as reference:
        rows = reference.score_many(model, [NOW])[NOW]
    assert {people[r.person_id]: (r.email, r.external_id) for r in rows} == NAMED


def test_batch_rows_written_to_parquet_carry_each_persons_email_and_external_id(
    new_uow: Callable[[], UnitOfWork], tmp_path: Path
) -> None:
    people = _people_known_three_ways(new_uow)
    chosen = choose_model(new_uow(), ref="scoring.yaml", text=EXAMPLE.read_text(encoding="utf-8"))
    done = rescore_batch(new_uow, chosen=chosen, engine="duckdb", as_of=NOW, out=tmp_path, now=NOW)
    table = pq.read_table(tmp_path / "batch_scores.parquet")
    assert done.written_to == str(tmp_path / "batch_scores.parquet")
    assert table.schema.field("email").type == pa.string() == table.schema.field("external_id").type
    found = {people[r["person_id"]]: (r["email"], r["external_id"]) for r in table.to_pylist()}
    assert found == NAMED
    with new_uow() as uow:
        assert uow.batch_scores.count(chosen.name, NOW) == 0
