"""Who existed when: a backtest counts a person only from their arrival, never at a step before it.

A person's arrival is their first moment in the store: when they were created (`created_at` of an import,
or when liidi first saw them), their first event, or their first recorded stage change, whichever is
earliest. Earlier events count because a person loaded with last year's events was known then even if
the row was written today. Batch engines score everyone at every step; the steps before a person's
arrival are dropped here, the same way for every engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np

from liidi.engines.batch import StepScores


def arrived(scores: StepScores, arrivals: Mapping[int, float]) -> StepScores:
    """Only the person-steps at or after each person's arrival (a person without one is kept throughout)."""
    at = np.asarray(scores.steps, dtype=np.float64)[scores.step]
    keep = at >= arrival_of(scores.person_id, arrivals)
    if bool(np.all(keep)):
        return scores
    return replace(
        scores,
        step=np.compress(keep, scores.step),
        person_id=np.compress(keep, scores.person_id),
        score=np.compress(keep, scores.score),
        mql=np.compress(keep, scores.mql),
        pql=np.compress(keep, scores.pql),
        hand_raiser=np.compress(keep, scores.hand_raiser),
    )


def arrival_of(person_ids: np.ndarray, arrivals: Mapping[int, float]) -> np.ndarray:
    """Each person's arrival time, or minus infinity for a person without one."""
    ids = np.fromiter(arrivals.keys(), dtype=np.int64, count=len(arrivals))
    times = np.fromiter(arrivals.values(), dtype=np.float64, count=len(arrivals))
    top = int(max(ids.max(initial=0), person_ids.max(initial=0)))
    low = int(min(ids.min(initial=0), person_ids.min(initial=0)))
    if low < 0 or top > 4 * (ids.shape[0] + person_ids.shape[0]):
        return _sparse(person_ids, ids, times)
    dense = np.full(top + 1, -np.inf)  # small ids: look each up by index
    dense[ids] = times
    found: np.ndarray = dense[person_ids]
    return found


def _sparse(person_ids: np.ndarray, ids: np.ndarray, times: np.ndarray) -> np.ndarray:
    """arrival_of by binary search, for ids too large or sparse to index an array with."""
    if not ids.shape[0]:
        return np.full(person_ids.shape[0], -np.inf)
    order = np.argsort(ids, kind="stable")
    ids, times = ids[order], times[order]
    at = np.minimum(np.searchsorted(ids, person_ids), ids.shape[0] - 1)
    result: np.ndarray = np.where(ids[at] == person_ids, times[at], -np.inf)
    return result
