"""The columnar backtest agrees with a person-step-at-a-time computation on randomised scores and outcomes."""

from __future__ import annotations

import random
from bisect import bisect_right

import numpy as np
import pytest

from liidi.analytics import backtest as bt
from liidi.engines.batch import StepScores

DAY = bt.DAY
T0 = 1_780_000_000.0
HORIZON = 30 * DAY
WINDOW = bt.Window(start=T0, end=T0 + 49 * DAY, every=7 * DAY, horizon=HORIZON)
STEPS = WINDOW.steps()
PEOPLE = range(1, 81)
SEEDS = [1, 2, 3, 4, 5]


def moment(rng: random.Random) -> float:
    """A time on a step, on a step's horizon end, just either side of them, or anywhere in the window."""
    ts = rng.choice(STEPS)
    return rng.choice(
        [ts, ts + HORIZON, ts + 0.5, ts + HORIZON + 0.5, ts - 0.5, ts + rng.uniform(-HORIZON, 2 * HORIZON)]
    )


def random_outcomes(rng: random.Random) -> bt.Outcomes:
    """People sharing ten accounts (some without one), deals with and without contact or account."""
    accounts: dict[int, int | None] = {pid: rng.choice([None, *range(100, 110)]) for pid in PEOPLE}
    stages = ["lead", "mql", "sql", "opportunity", "customer", "recycled", "disqualified"]
    changes = [(rng.choice(PEOPLE), moment(rng), rng.choice(stages)) for _ in range(60)]
    deals = []
    for i in range(40):
        created = moment(rng)
        won = rng.random() < 0.5
        closed = rng.choice([None, created + rng.choice([0.0, 7 * DAY, HORIZON]), moment(rng)])
        deals.append(
            bt.Deal(
                i,
                person_id=rng.choice([None, rng.choice(PEOPLE), 999]),
                account_id=rng.choice([None, *range(100, 110), 555]),
                won=won,
                created_ts=created,
                closed_ts=closed,
            )
        )
    touches = [(rng.choice(PEOPLE), moment(rng)) for _ in range(40)]
    until = T0 + 365 * DAY
    return bt.Outcomes(stage_changes=changes, deals=deals, touches=touches, accounts=accounts, until=until)


def random_scores(rng: random.Random) -> StepScores:
    """Everyone at every step with coarse scores (many ties) and now and then a verdict."""
    rows = [(i, pid) for i in range(len(STEPS)) for pid in PEOPLE]
    pick = [rng.random() for _ in rows]
    return StepScores(
        steps=tuple(STEPS),
        step=np.array([i for i, _ in rows], dtype=np.int32),
        person_id=np.array([pid for _, pid in rows], dtype=np.int64),
        score=np.array([float(rng.randrange(0, 12) * 5) for _ in rows]),
        mql=np.array([p < 0.05 for p in pick]),
        pql=np.array([0.05 <= p < 0.07 for p in pick]),
        hand_raiser=np.array([0.07 <= p < 0.1 for p in pick]),
    )


def scalar_first_flags(scores: StepScores) -> dict[int, bt.Flag]:
    flags: dict[int, bt.Flag] = {}
    for i in np.argsort(scores.step, kind="stable").tolist():
        pid = int(scores.person_id[i])
        if scores.qualified[i] and pid not in flags:
            flags[pid] = bt.Flag(pid, scores.steps[scores.step[i]], bool(scores.hand_raiser[i]))
    return flags


def scalar_lift(scores: StepScores, outcomes: bt.Outcomes, outcome: str) -> dict[str, object]:
    pairs = [
        (float(s), outcome in outcomes.reached(int(p), scores.steps[k], HORIZON))
        for k, p, s in zip(scores.step, scores.person_id, scores.score, strict=True)
    ]
    base = bt.share(sum(hit for _, hit in pairs), len(pairs))
    ordered = sorted(s for s, _ in pairs)
    edges = [ordered[len(ordered) * k // bt.BANDS] for k in range(1, bt.BANDS)]
    bands: dict[int, list[tuple[float, bool]]] = {}
    for pair in pairs:
        bands.setdefault(bisect_right(edges, pair[0]), []).append(pair)
    rows = []
    for i in sorted(bands):
        hits = sum(hit for _, hit in bands[i])
        rate = bt.share(hits, len(bands[i]))
        rows.append(
            {
                "band": i + 1,
                "min_score": min(s for s, _ in bands[i]),
                "max_score": max(s for s, _ in bands[i]),
                "person_steps": len(bands[i]),
                "positives": hits,
                "rate": rate,
                "lift": rate / base if rate is not None and base else None,
            }
        )
    return {"outcome": outcome, "base_rate": base, "bands": rows}


@pytest.mark.parametrize("seed", SEEDS)
def test_reached_many_says_what_reached_says_for_every_person_step(seed: int) -> None:
    rng = random.Random(seed)
    outcomes = random_outcomes(rng)
    queries = [(pid, ts) for ts in STEPS for pid in [*PEOPLE, 999, 12345]]
    queries += [(rng.choice(PEOPLE), moment(rng)) for _ in range(300)]
    rng.shuffle(queries)
    ids = np.array([pid for pid, _ in queries], dtype=np.int64)
    at = np.array([ts for _, ts in queries])
    for horizon in (HORIZON, 7 * DAY, 0.5):
        for name in bt.OUTCOMES:
            want = [name in outcomes.reached(pid, ts, horizon) for pid, ts in queries]
            assert outcomes.reached_many(ids, at, horizon, name).tolist() == want, (name, horizon)


def test_reached_many_counts_a_deal_at_its_creation_and_a_win_closed_exactly_at_the_horizon() -> None:
    deal = bt.Deal(1, person_id=None, account_id=7, won=True, created_ts=T0 + HORIZON, closed_ts=T0 + HORIZON)
    outcomes = bt.Outcomes(stage_changes=[], deals=[deal], touches=[], accounts={3: 7}, until=T0 + 99 * DAY)
    ids, at = np.array([3, 3, 4]), np.array([T0, T0 + HORIZON, T0])
    assert outcomes.reached_many(ids, at, HORIZON, "won").tolist() == [True, False, False]
    assert outcomes.reached_many(ids, at, HORIZON, "opportunity").tolist() == [True, False, False]
    assert outcomes.reached_many(ids[:0], at[:0], HORIZON, "sql").tolist() == []
    with pytest.raises(ValueError, match="unknown outcome"):
        outcomes.reached_many(ids, at, HORIZON, "customer")


@pytest.mark.parametrize("seed", SEEDS)
def test_summarise_on_columns_matches_a_person_step_at_a_time_computation(seed: int) -> None:
    rng = random.Random(seed)
    outcomes, scores = random_outcomes(rng), random_scores(rng)
    flags = scalar_first_flags(scores)
    assert bt.first_flags(scores) == flags and list(bt.first_flags(scores)) == list(flags)
    result = bt.summarise(scores, outcomes, WINDOW, capacity=3)
    assert result["lift"] == scalar_lift(scores, outcomes, bt.HEADLINE)
    for name in bt.OUTCOMES:
        assert bt.lift(scores, outcomes, HORIZON, name) == scalar_lift(scores, outcomes, name)
    mqls = [f for f in flags.values() if not f.hand_raiser]
    for name in bt.OUTCOMES:
        count = sum(name in outcomes.reached(f.person_id, f.ts, HORIZON) for f in mqls)
        assert result["precision"][name]["count"] == count
    assert [s["mqls"] for s in result["per_step"]] == [sum(f.ts == ts for f in mqls) for ts in STEPS]


def test_first_flags_follow_the_steps_even_when_the_rows_are_not_in_step_order() -> None:
    scores = StepScores(
        steps=(T0, T0 + 7 * DAY),
        step=np.array([1, 1, 0, 0], dtype=np.int32),
        person_id=np.array([1, 2, 1, 2], dtype=np.int64),
        score=np.zeros(4),
        mql=np.array([True, True, False, True]),
        pql=np.zeros(4, dtype=bool),
        hand_raiser=np.array([False, False, True, False]),
    )
    assert bt.first_flags(scores) == {1: bt.Flag(1, T0, True), 2: bt.Flag(2, T0, False)}


def test_no_person_steps_give_no_flags_and_no_lift_bands() -> None:
    scores = StepScores.from_rows({T0: []})
    outcomes = bt.Outcomes(stage_changes=[], deals=[], touches=[], accounts={}, until=T0)
    assert bt.first_flags(scores) == {}
    assert bt.lift(scores, outcomes, HORIZON, "opportunity") == {
        "outcome": "opportunity",
        "base_rate": None,
        "bands": [],
    }
