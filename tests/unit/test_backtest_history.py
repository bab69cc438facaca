"""Backtests over dated history: wins from moves to customer, arrivals, and the default window."""

from __future__ import annotations

import numpy as np
import pytest

from liidi.analytics import backtest as bt
from liidi.analytics.arrivals import arrived
from liidi.engines.batch import BatchRow, StepScores
from liidi.errors import ValidationFailed
from liidi.services.backtest_params import MAX_STEPS, check_params, default_window

DAY = bt.DAY
T0 = 1_780_000_000.0  # 2026-05-28T20:26:40Z
STEPS = [T0, T0 + 7 * DAY, T0 + 14 * DAY]


def outcomes(stages: list[tuple[int, float, str]]) -> bt.Outcomes:
    return bt.Outcomes(stage_changes=stages, deals=[], touches=[], accounts={}, until=T0 + 365 * DAY)


def test_a_move_to_customer_is_a_win_opened_at_the_latest_move_to_opportunity_before_it() -> None:
    changes = [
        (T0 + 20 * DAY, "opportunity"),
        (T0 + 2 * DAY, "opportunity"),
        (T0 + 10 * DAY, "recycled"),
        (T0 + 40 * DAY, "customer"),
        (T0 + 90 * DAY, "customer"),
    ]
    assert bt.wins(changes) == [(T0 + 20 * DAY, T0 + 40 * DAY), (T0 + 90 * DAY, T0 + 90 * DAY)]
    assert bt.wins([(T0, "sql"), (T0 + DAY, "disqualified")]) == []


def test_a_win_in_the_history_counts_only_when_its_opportunity_opened_after_the_step() -> None:
    history = outcomes(
        [
            (1, T0 + 3 * DAY, "opportunity"),
            (1, T0 + 20 * DAY, "customer"),
            (2, T0 - DAY, "opportunity"),
            (2, T0 + 20 * DAY, "customer"),
            (3, T0 + 5 * DAY, "customer"),
        ]
    )
    assert history.reached(1, T0, 30 * DAY) == {"sql", "opportunity", "won"}
    assert history.reached(1, T0, 10 * DAY) == {"sql", "opportunity"}
    assert "won" not in history.reached(2, T0, 30 * DAY)
    assert "won" in history.reached(3, T0, 30 * DAY)
    ids, at = np.array([1, 1, 2, 3]), np.array([T0, T0 + 4 * DAY, T0, T0])
    assert history.reached_many(ids, at, 30 * DAY, "won").tolist() == [True, False, False, True]


def test_nobody_is_scored_at_a_step_before_they_arrived() -> None:
    rows = {
        ts: [BatchRow(pid, 60.0, "A", 0.0, 60.0, True, False, False, ()) for pid in (1, 2, 3)] for ts in STEPS
    }
    scores = StepScores.from_rows(rows)
    kept = arrived(scores, {1: T0 - 99 * DAY, 2: T0 + 7 * DAY, 3: T0 + 7 * DAY + 1})
    assert list(zip(kept.step.tolist(), kept.person_id.tolist(), strict=True)) == [
        (0, 1),
        (1, 1),
        (1, 2),
        (2, 1),
        (2, 2),
        (2, 3),
    ]
    assert bt.first_flags(kept) == {
        1: bt.Flag(1, STEPS[0], False),
        2: bt.Flag(2, STEPS[1], False),
        3: bt.Flag(3, STEPS[2], False),
    }
    assert arrived(scores, {}) is scores
    assert len(arrived(scores, {9: T0 + 99 * DAY})) == 9
    far = arrived(scores, {2: T0 + DAY, 10**12: T0})  # ids too sparse for a lookup array
    assert (len(far), far.person_id[:2].tolist()) == (8, [1, 3])


def test_the_default_window_runs_from_the_first_arrival_to_the_last_step_the_history_covers() -> None:
    first, last = 1451606400.0 + 3600, 1483228800.0 + 7200  # 2016-01-01T01:00Z, 2017-01-01T02:00Z
    start, end = default_window((first, last), start=None, end=None, every=7 * DAY, horizon=90 * DAY)
    assert (start, end) == (1451606400.0, 1483228800.0 - 90 * DAY)
    assert default_window((first, first + DAY), start=None, end=None, every=7 * DAY, horizon=90 * DAY) == (
        1451606400.0,
        1451606400.0,
    )
    given = default_window((first, last), start=1460000000.0, end=None, every=7 * DAY, horizon=90 * DAY)
    assert given == (1460000000.0, 1483228800.0 - 90 * DAY)


def test_a_default_window_over_a_long_history_keeps_the_latest_steps() -> None:
    first, last = 0.0, 20 * 365 * DAY
    start, end = default_window((first, last), start=None, end=None, every=7 * DAY, horizon=DAY)
    assert end == last - DAY and start == end - (MAX_STEPS - 1) * 7 * DAY
    assert bt.Window(start, end, 7 * DAY, DAY).steps()[-1] == end


def test_a_missing_window_without_a_store_to_take_it_from_names_the_field() -> None:
    with pytest.raises(ValidationFailed) as caught:
        check_params(end="2026-01-01")
    assert [(e.field, e.value) for e in caught.value.errors] == [("from", None)]
    assert "no history" in caught.value.errors[0].reason
