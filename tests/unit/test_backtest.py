"""Backtest metrics on hand-made step scores and outcomes: steps, flags, precision, recall, days, lift."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from liidi.analytics import backtest as bt
from liidi.domain.scoring import RuleScore, ScoreCard
from liidi.engines.batch import BatchRow, StepScores

DAY = bt.DAY
T0 = 1_780_000_000.0
WINDOW = bt.Window(start=T0, end=T0 + 21 * DAY, every=7 * DAY, horizon=30 * DAY)
STEPS = WINDOW.steps()


def row(pid: int, *, score: float = 0.0, mql: bool = False, hand: bool = False) -> BatchRow:
    return BatchRow(pid, 0.0, None, score, score, mql, False, hand, ())


def steps_of(*per_step: Iterable[BatchRow]) -> StepScores:
    return StepScores.from_rows({ts: list(rows) for ts, rows in zip(STEPS, per_step, strict=True)})


def outcomes(
    *,
    stages: Iterable[tuple[int, float, str]] = (),
    deals: Iterable[bt.Deal] = (),
    touches: Iterable[tuple[int, float]] = (),
    accounts: dict[int, int | None] | None = None,
) -> bt.Outcomes:
    return bt.Outcomes(
        stage_changes=stages, deals=deals, touches=touches, accounts=accounts or {}, until=T0 + 365 * DAY
    )


def test_steps_run_from_the_start_every_period_and_never_past_the_end() -> None:
    assert STEPS == [T0, T0 + 7 * DAY, T0 + 14 * DAY, T0 + 21 * DAY]
    assert bt.Window(T0, T0 + 20 * DAY, 7 * DAY, DAY).steps() == [T0, T0 + 7 * DAY, T0 + 14 * DAY]
    assert bt.Window(T0, T0, 7 * DAY, DAY).steps() == [T0]


def test_a_person_is_flagged_once_at_the_first_step_they_qualify() -> None:
    rows = steps_of(
        [row(1), row(2)], [row(1, mql=True), row(2)], [row(1), row(2, hand=True)], [row(1, mql=True)]
    )
    flags = bt.first_flags(rows)
    assert flags == {1: bt.Flag(1, STEPS[1], False), 2: bt.Flag(2, STEPS[2], True)}


def test_hand_raisers_are_counted_apart_from_mqls_per_step_and_per_week() -> None:
    rows = steps_of([row(1, mql=True)], [row(2, mql=True), row(3, mql=True)], [row(4, hand=True)], [])
    result = bt.summarise(rows, outcomes(), WINDOW)
    assert [(s["mqls"], s["hand_raisers"]) for s in result["per_step"]] == [(1, 0), (2, 0), (0, 1), (0, 0)]
    totals = result["totals"]
    assert (totals["mqls"], totals["hand_raisers"], totals["opening_mqls"]) == (3, 1, 1)
    assert totals["mqls_per_week"] == pytest.approx(2 / 3) and totals[
        "hand_raisers_per_week"
    ] == pytest.approx(1 / 3)


def test_capacity_counts_the_steps_where_sales_got_more_leads_than_they_can_take() -> None:
    rows = steps_of(
        [row(9, mql=True)], [row(1, mql=True), row(2, mql=True), row(3, hand=True)], [row(4, mql=True)], []
    )
    use = bt.summarise(rows, outcomes(), WINDOW, capacity=2)["capacity"]
    assert use == {
        "per_week": 2,
        "leads_per_week": pytest.approx(4 / 3),
        "utilisation": pytest.approx(2 / 3),
        "steps_over": 1,
        "excess_leads": 1.0,
    }


def test_precision_counts_only_outcomes_after_the_mql_step_and_within_the_horizon() -> None:
    flags = [bt.Flag(pid, T0, False) for pid in (1, 2, 3, 4)]
    history = outcomes(
        stages=[
            (1, T0 + 5 * DAY, "sql"),
            (2, T0 - DAY, "sql"),
            (3, T0 + 31 * DAY, "sql"),
            (4, T0 + 9 * DAY, "opportunity"),
        ]
    )
    found = bt.precision(flags, history, 30 * DAY)
    assert found["flagged"] == 4
    assert found["sql"] == {"count": 2, "share": 0.5}
    assert found["opportunity"] == {"count": 1, "share": 0.25}


def test_a_won_deal_of_the_persons_account_counts_only_when_opened_after_the_mql_step() -> None:
    later = bt.Deal(1, person_id=7, account_id=50, won=True, created_ts=T0 + 3 * DAY, closed_ts=T0 + 20 * DAY)
    earlier = bt.Deal(2, person_id=8, account_id=60, won=True, created_ts=T0 - DAY, closed_ts=T0 + 20 * DAY)
    history = outcomes(deals=[later, earlier], accounts={1: 50, 2: 60, 7: 50, 8: 60})
    assert history.reached(1, T0, 30 * DAY) == {"opportunity", "won"}
    assert history.reached(2, T0, 30 * DAY) == frozenset()
    assert history.reached(1, T0, 10 * DAY) == {"opportunity"}


def test_recall_counts_deals_flagged_before_they_opened_by_anyone_at_the_account() -> None:
    deals = [
        bt.Deal(1, person_id=10, account_id=100, won=True, created_ts=T0 + 10 * DAY, closed_ts=T0 + 40 * DAY),
        bt.Deal(2, person_id=20, account_id=200, won=False, created_ts=T0 + 10 * DAY, closed_ts=None),
        bt.Deal(3, person_id=30, account_id=300, won=True, created_ts=T0 + 3 * DAY, closed_ts=T0 + 9 * DAY),
    ]
    history = outcomes(deals=deals, accounts={11: 100, 20: 200, 30: 300})
    flags = {
        11: bt.Flag(11, T0 + 7 * DAY, False),
        20: bt.Flag(20, T0 + 7 * DAY, True),
        30: bt.Flag(30, T0 + 7 * DAY, False),
    }
    found = bt.recall(flags, history, WINDOW)
    assert found["opportunity"] == {
        "total": 3,
        "flagged": 1,
        "share": pytest.approx(1 / 3),
        "flagged_with_hand_raisers": 2,
        "share_with_hand_raisers": pytest.approx(2 / 3),
    }
    assert (found["won"]["total"], found["won"]["flagged"]) == (2, 1)


def test_days_gained_is_the_median_time_to_the_first_touch_after_the_mql_step() -> None:
    flags = [bt.Flag(pid, T0, False) for pid in (1, 2, 3, 4)]
    touches = [(1, T0 + 2 * DAY), (1, T0 + 9 * DAY), (2, T0 + 10 * DAY), (3, T0 + 40 * DAY), (4, T0 - DAY)]
    found = bt.days_gained(flags, outcomes(touches=touches), 30 * DAY)
    assert found["median"] == pytest.approx(6.0)
    assert (found["touched"], found["untouched"], found["already_touched"]) == (2, 2, 1)


def test_days_gained_is_empty_when_nobody_was_touched() -> None:
    found = bt.days_gained([bt.Flag(1, T0, False)], outcomes(), 30 * DAY)
    assert found == {
        "median": None,
        "p25": None,
        "p75": None,
        "touched": 0,
        "untouched": 1,
        "already_touched": 0,
    }


def test_lift_shows_the_top_score_band_converting_above_the_base_rate() -> None:
    people = range(1, 11)
    rows = steps_of([row(pid, score=10.0 * pid) for pid in people], [], [], [])
    history = outcomes(stages=[(9, T0 + DAY, "opportunity"), (10, T0 + DAY, "opportunity")])
    found = bt.lift(rows, history, 30 * DAY, "opportunity")
    assert found["base_rate"] == pytest.approx(0.2)
    top = found["bands"][-1]
    assert (top["band"], top["min_score"], top["max_score"], top["rate"], top["lift"]) == (
        5,
        90.0,
        100.0,
        1.0,
        5.0,
    )
    assert all(band["lift"] == 0 for band in found["bands"][:-1])


def test_equal_scores_fall_into_one_band() -> None:
    rows = steps_of([row(pid, score=5.0) for pid in range(10)], [], [], [])
    assert [b["person_steps"] for b in bt.lift(rows, outcomes(), 30 * DAY, "sql")["bands"]] == [10]


def test_overlap_and_sample_split_and_spread_the_flagged_people() -> None:
    a = {pid: bt.Flag(pid, T0, False) for pid in (1, 2, 3)}
    b = {pid: bt.Flag(pid, T0, False) for pid in (2, 3, 4)}
    assert bt.overlap(a, b) == {"both": [2, 3], "only_first": [1], "only_second": [4]}
    assert bt.sample(list(range(100)), 4) == [0, 25, 50, 75]
    assert bt.sample([5, 6], 4) == [5, 6]


def card(rules: dict[str, float]) -> ScoreCard:
    scores = tuple(RuleScore(name, "engagement", pts, pts, 1, False, "") for name, pts in rules.items())
    total = sum(rules.values())
    return ScoreCard(
        "m", 1, T0, 0.0, None, total, total, scores, (), (), True, False, False, None, None, (), None, ()
    )


def test_rule_contributions_rank_the_flagging_models_rules_beside_the_other_models() -> None:
    pairs = [(card({"binge": 20, "visit": 4}), card({"visit": 6})), (card({"binge": 10}), card({"visit": 2}))]
    found = bt.rule_contributions(pairs)
    assert found == [
        {"rule": "binge", "kind": "engagement", "people": 2, "mean_points": 15.0, "other_mean_points": None},
        {"rule": "visit", "kind": "engagement", "people": 1, "mean_points": 2.0, "other_mean_points": 4.0},
    ]
