"""Backtest report benchmark: `summarise` on synthetic step scores, the part of a backtest after scoring.

Run: `python bench/backtest_report.py [--people 1000000] [--steps 26] [--deals 50000]`. Everyone is scored
at every weekly step (gamma-distributed scores, about 0.2 % MQLs); a tenth of the people have a stage
change, deals belong to contacts and accounts of ten people on average. Prints the seconds for a first
`summarise` (which also builds the outcome columns) and for a second one on the same outcomes.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from liidi.analytics import backtest as bt
from liidi.engines.batch import StepScores

T0 = 1_780_000_000.0
DAY = bt.DAY


def outcomes(rng: np.random.Generator, people: int, deals: int) -> bt.Outcomes:
    """Stage changes, deals and touches spread over a year around the window."""
    accounts = people // 10 or 1
    account = [
        int(a) if w else None
        for a, w in zip(rng.integers(0, accounts, people), rng.random(people) < 0.9, strict=True)
    ]
    changes, touches = people // 10, people // 5
    stages = rng.choice(["sql", "opportunity", "customer", "mql"], changes).tolist()
    created = moments(rng, deals)
    closed = created + rng.uniform(0, 120 * DAY, deals)
    won = (rng.random(deals) < 0.3).tolist()
    contacts, deal_accounts = (
        rng.integers(1, people + 1, deals).tolist(),
        rng.integers(0, accounts, deals).tolist(),
    )
    return bt.Outcomes(
        stage_changes=zip(someone(rng, people, changes), moments(rng, changes).tolist(), stages, strict=True),
        deals=[
            bt.Deal(i, contacts[i], deal_accounts[i], won[i], created[i], closed[i] if won[i] else None)
            for i in range(deals)
        ],
        touches=zip(someone(rng, people, touches), moments(rng, touches).tolist(), strict=True),
        accounts=dict(enumerate(account, start=1)),
        until=T0 + 300 * DAY,
    )


def moments(rng: np.random.Generator, n: int) -> np.ndarray:
    """Whole seconds from a month before the window to 300 days after its start."""
    return rng.uniform(T0 - 30 * DAY, T0 + 300 * DAY, n).round()


def someone(rng: np.random.Generator, people: int, n: int) -> list[int]:
    """Random person ids."""
    return rng.integers(1, people + 1, n).tolist()


def step_scores(rng: np.random.Generator, people: int, steps: int) -> StepScores:
    """Everyone at every step, ordered by step then person."""
    step = np.repeat(np.arange(steps, dtype=np.int32), people)
    score = np.tile(rng.gamma(1.0, 15.0, people), steps) + rng.normal(0.0, 5.0, people * steps)
    score = np.round(score + 0.3 * step, 1)
    return StepScores(
        steps=tuple(T0 + i * 7 * DAY for i in range(steps)),
        step=step,
        person_id=np.tile(np.arange(1, people + 1, dtype=np.int64), steps),
        score=score,
        mql=score > 110.0,
        pql=np.zeros(people * steps, dtype=bool),
        hand_raiser=rng.random(people * steps) < 0.0005,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--steps", type=int, default=26)
    parser.add_argument("--deals", type=int, default=50_000)
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    scores, history = step_scores(rng, args.people, args.steps), outcomes(rng, args.people, args.deals)
    window = bt.Window(T0, T0 + (args.steps - 1) * 7 * DAY, 7 * DAY, 90 * DAY)
    print(f"{len(scores):,} person-steps ({args.people:,} people × {args.steps} steps), {args.deals:,} deals")
    for run in ("first", "second"):
        began = time.perf_counter()
        result = bt.summarise(scores, history, window, capacity=100.0)
        totals = result["totals"]
        print(
            f"summarise, {run}: {time.perf_counter() - began:.2f} s "
            f"({totals['mqls']:,} MQLs, {totals['hand_raisers']:,} hand-raisers)"
        )


if __name__ == "__main__":
    main()
