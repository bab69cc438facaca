"""A whole replay in one query scores everyone at every step exactly as the reference evaluator."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import Engine

from liidi.demo.generator import generate
from liidi.domain.scoring import ScoringModel, load_model_text
from liidi.engines.batch import BatchRow, ReferenceEngine, StepScores
from liidi.engines.compile import Steps, UnsupportedByDialect, compile_steps
from liidi.engines.replay import replay_sql
from liidi.engines.sql import DuckDBEngine, PostgresEngine, SqliteEngine, duckdb_tables, store_rows
from liidi.services.demo import load_demo
from liidi.services.unit_of_work import UnitOfWork
from tests.integration.test_batch_parity import END, EVERYTHING, ROOT, _reference, _same, _spice

DAY = 86400.0
# Weekly like a backtest, daily across the spiced edges at END - 20 d, half-daily across END - 75.5 d.
REPLAYS = [
    Steps(END - 8 * 7 * DAY, 7 * 86400, 9),
    Steps(END - 25 * DAY, 86400, 26),
    Steps(END - 80 * DAY, 43200, 10),
]
# EVERYTHING with group caps a replay can take: periods that divide each other, no lifetime group cap.
REPLAYABLE = EVERYTHING.replace(
    "cap: {points: 4, per: 7d, total: 9}", "cap: {points: 4, per: 10d, total: 9}"
).replace("quiz: {cap: {points: 10}}", "quiz: {cap: {points: 10, per: 15d}}")


def _problems(found: StepScores, expected: dict[float, list[BatchRow]], label: str) -> list[str]:
    """Every person-step whose score or verdicts differ from the reference's row."""
    problems = []
    for index, moment in enumerate(found.steps):
        at = found.step == index
        want = {r.person_id: r for r in expected[moment]}
        got = {
            int(pid): (float(score), bool(mql), bool(pql), bool(raised))
            for pid, score, mql, pql, raised in zip(
                found.person_id[at],
                found.score[at],
                found.mql[at],
                found.pql[at],
                found.hand_raiser[at],
                strict=True,
            )
        }
        if got.keys() != want.keys():
            problems.append(f"{label} step {index}: {len(got)} people, expected {len(want)}")
            continue
        for pid, row in want.items():
            score, mql, pql, raised = got[pid]
            mine = replace(row, engagement=score - row.fit, score=score, mql=mql, pql=pql, hand_raiser=raised)
            if not _same(mine, row):
                problems.append(f"{label} step {index} ({moment}):\n  {got[pid]}\n  {row}")
    return problems


def _models() -> list[ScoringModel]:
    example = load_model_text((ROOT / "examples" / "scoring.yaml").read_text(encoding="utf-8"))
    return [example, load_model_text(REPLAYABLE)]


def test_replays_in_one_query_score_every_step_as_the_reference_on_the_store_and_duckdb(
    new_uow: Callable[[], UnitOfWork], engine: Engine
) -> None:
    dataset = generate(accounts=150, months=6, seed=11, end=datetime.fromtimestamp(END, UTC))
    load_demo(new_uow(), dataset=dataset, now=END)
    _spice(new_uow)
    reference: ReferenceEngine = _reference(new_uow)
    store = SqliteEngine(engine) if engine.dialect.name == "sqlite" else PostgresEngine(engine)
    duck = DuckDBEngine(duckdb_tables(*store_rows(engine)))
    for model in _models():
        for steps in REPLAYS:
            assert replay_sql(model, "duckdb", steps.moments()) is not None  # really one query
            expected = reference.score_many(model, steps.moments())
            assert any(r.qualified for rows in expected.values() for r in rows)
            # the store engines take the weekly replay; DuckDB every shape
            for batch in (store, duck) if steps is REPLAYS[0] else (duck,):
                started = time.perf_counter()
                found = batch.score_steps(model, steps.moments())
                seconds = time.perf_counter() - started
                print(f"{model.name} on {batch.name}, {steps.count} steps: {seconds:.2f} s")
                problems = _problems(found, expected, f"{model.name} on {batch.name}")
                assert not problems, "\n".join(problems[:10]) + f"\n({len(problems)} in all)"


def test_what_one_query_cannot_replay_exactly_is_scored_step_by_step_with_the_same_result(
    new_uow: Callable[[], UnitOfWork], engine: Engine
) -> None:
    dataset = generate(accounts=40, months=4, seed=5, end=datetime.fromtimestamp(END, UTC))
    load_demo(new_uow(), dataset=dataset, now=END)
    _spice(new_uow)
    model = load_model_text(EVERYTHING)  # a lifetime group cap and periods of 7 and 30 days in one group
    try:
        compile_steps(model, "duckdb", REPLAYS[0])
    except UnsupportedByDialect as error:
        assert "not replayable in one query" in error.message
        assert "group" in error.message
    else:
        raise AssertionError("the replay compiler took a lifetime group cap")
    uneven = [END - 10 * DAY, END - 3 * DAY, END]
    assert replay_sql(model, "duckdb", uneven) is None
    duck = DuckDBEngine(duckdb_tables(*store_rows(engine)))
    expected = _reference(new_uow).score_many(model, REPLAYS[0].moments())
    assert not _problems(duck.score_steps(model, REPLAYS[0].moments()), expected, "fallback")
