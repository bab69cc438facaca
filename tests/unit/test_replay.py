"""Replays in one query on small, adversarial histories: every step as the reference, edges included."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liidi.domain.events import Event
from liidi.domain.scoring.spec import Cap
from liidi.engines.batch import ReferenceEngine, StepScores
from liidi.engines.compile import Steps, UnsupportedByDialect, compile_steps
from liidi.engines.replay import STEP_COLUMNS, regular_steps, replay_sql, scores_from_arrow, scores_from_rows
from liidi.engines.sql import DuckDBEngine, duckdb_tables
from tests.unit.test_compile import (
    EDGES,
    T0,
    _people,
    event_strategy,
    flat_tables,
    history,
    model,
    sqlite_tables,
)

SIX_HOURS = 6 * 3600
# EDGES with a rule cap period (1d) that divides its group's (3d), so that one query can replay it.
REPLAYABLE = replace(
    EDGES,
    engagement=tuple(
        replace(r, caps=(Cap(7, per=86400), Cap(11))) if r.name == "visit" else r for r in EDGES.engagement
    ),
)


def test_evenly_spaced_whole_seconds_are_steps_and_anything_else_is_not() -> None:
    assert regular_steps([10.0, 20.0, 30.0]) == Steps(10.0, 10, 3)
    assert regular_steps([5.0]) == Steps(5.0, 1, 1)
    assert regular_steps([10.0, 20.0, 31.0]) is None
    assert regular_steps([10.5, 20.5]) is None
    assert regular_steps([20.0, 10.0]) is None
    assert regular_steps([]) is None


def test_a_model_one_query_cannot_replay_is_refused_with_the_reason_and_left_to_single_steps() -> None:
    with pytest.raises(UnsupportedByDialect, match="not replayable in one query: cap periods of a group"):
        compile_steps(EDGES, "duckdb", Steps(T0, 86400, 3))
    assert replay_sql(EDGES, "duckdb", [T0, T0 + 86400]) is None
    assert replay_sql(REPLAYABLE, "duckdb", [T0, T0 + 86400]) is not None


def test_the_replay_sql_parses_in_every_dialect() -> None:
    import sqlglot

    for dialect, name in (
        ("sqlite", "sqlite"),
        ("postgres", "postgres"),
        ("duckdb", "duckdb"),
        ("spark", "spark"),
    ):
        sql = compile_steps(REPLAYABLE, dialect, Steps(T0, 86400, 4))
        assert sqlglot.parse_one(sql, read=name) is not None


def test_a_backtest_replay_returns_only_the_columns_a_backtest_reads_while_the_full_replay_returns_all() -> (
    None
):
    import sqlglot

    narrow = sqlglot.parse_one(replay_sql(REPLAYABLE, "duckdb", [T0, T0 + 86400]) or "", read="duckdb")
    full = sqlglot.parse_one(compile_steps(REPLAYABLE, "duckdb", Steps(T0, 86400, 2)), read="duckdb")
    assert [s.alias_or_name for s in narrow.selects] == list(STEP_COLUMNS)
    assert {"grade", "fit", "engagement", "as_of_ts"} <= {s.alias_or_name for s in full.selects}


def _sqlite(
    people: list[dict[str, Any]], events: list[dict[str, Any]], sql: str, moments: list[float]
) -> StepScores:
    cursor = sqlite_tables(people, events).execute(sql)
    return scores_from_rows(moments, [d[0] for d in cursor.description], cursor.fetchall())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    raw=st.lists(event_strategy, max_size=14),
    first=st.integers(0, 16),
    every=st.sampled_from([1, 2, 4]),
    count=st.integers(1, 6),
)
def test_sqlite_and_duckdb_replays_agree_with_the_reference_at_every_step(
    raw: list[tuple[Any, ...]], first: int, every: int, count: int
) -> None:
    steps = Steps(T0 + first * SIX_HOURS, every * SIX_HOURS, count)  # on the events' grid: every edge is hit
    events = history(raw)
    people = _people()
    reference = ReferenceEngine(people, {p: [e for e in events if e.person_id == p] for p in people})
    want = reference.score_many(REPLAYABLE, steps.moments())
    flat_people, flat_events = flat_tables(people, events)
    duck = DuckDBEngine(duckdb_tables(flat_people, flat_events))
    found = [
        scores_from_arrow(
            steps.moments(), duck.conn.sql(compile_steps(REPLAYABLE, "duckdb", steps)).to_arrow_table()
        ),
        _sqlite(flat_people, flat_events, compile_steps(REPLAYABLE, "sqlite", steps), steps.moments()),
    ]
    for got in found:
        assert len(got) == len(people) * count
        for index, moment in enumerate(steps.moments()):
            rows = {r.person_id: r for r in want[moment]}
            for i in (got.step == index).nonzero()[0]:
                row = rows[int(got.person_id[i])]
                assert (bool(got.mql[i]), bool(got.pql[i]), bool(got.hand_raiser[i])) == (
                    row.mql,
                    row.pql,
                    row.hand_raiser,
                ), (index, row)
                assert float(got.score[i]) == pytest.approx(row.score, rel=1e-9, abs=1e-9), (index, row)


CAPPED = model(
    r"""
    model: capped
    engagement:
      - {name: visit, when: {event: page_view}, points: 3, cap: {points: 7, per: 2d}}
    qualify:
      mql: engagement >= 7
    """
)


def test_a_newer_event_cuts_an_older_one_only_from_the_step_it_arrives_and_an_uncut_period_counts_whole() -> (
    None
):
    block = 10_359 * 172_800.0  # the start of one 2-day cap period
    hour = 3600.0
    events = [
        Event(f"v{n}", "page_view", block + h * hour, block, {}, person_id=who)
        for n, (who, h) in enumerate([(1, 1), (1, 7), (1, 13), (2, 1), (2, 7)])
    ]
    people = _people()
    steps = Steps(block + 2 * hour, 6 * 3600, 4)
    flat_people, flat_events = flat_tables(people, events)
    duck = DuckDBEngine(duckdb_tables(flat_people, flat_events))
    got = duck.score_steps(CAPPED, steps.moments())
    reference = ReferenceEngine(people, {p: [e for e in events if e.person_id == p] for p in people})
    want = reference.score_many(CAPPED, steps.moments())
    engagement = {(int(got.person_id[i]), int(got.step[i])): float(got.score[i]) for i in range(len(got))}
    assert [engagement[(1, k)] for k in range(4)] == [3.0, 6.0, 7.0, 7.0]
    assert [engagement[(2, k)] for k in range(4)] == [3.0, 6.0, 6.0, 6.0]
    for k, moment in enumerate(steps.moments()):
        assert {(r.person_id, r.score) for r in want[moment]} == {(p, engagement[(p, k)]) for p in people}
    assert got.qualified.tolist() == [
        bool(p == 1 and k >= 2) for p, k in zip(got.person_id, got.step, strict=True)
    ]


def test_a_duckdb_replay_leaves_the_callers_connection_keeping_insertion_order() -> None:
    people = _people()
    flat_people, flat_events = flat_tables(people, [])
    conn = duckdb_tables(flat_people, flat_events)
    found = DuckDBEngine(conn).score_steps(REPLAYABLE, [T0, T0 + 86400])
    assert len(found) == 2 * len(people)
    assert conn.execute("SELECT current_setting('preserve_insertion_order')").fetchone() == (True,)
