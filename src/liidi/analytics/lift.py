"""Lift by score band: an outcome's rate per score quantile band over every person-step, as columns."""

from __future__ import annotations

from typing import Any

import numpy as np

from liidi.analytics.outcomes import BANDS, Outcomes, share
from liidi.engines.batch import StepScores


def lift(scores: StepScores, outcomes: Outcomes, horizon: float, outcome: str) -> dict[str, Any]:
    """An outcome's rate per score quantile band (every person at every step) over its base rate."""
    at = np.asarray(scores.steps, dtype=np.float64)[scores.step]
    hits = outcomes.reached_many(scores.person_id, at, horizon, outcome)
    base = share(int(np.count_nonzero(hits)), len(scores))
    ordered = np.sort(scores.score)
    edges = band_edges(ordered)
    # Band i ends before the first score at or above edge i (bisect_right: an edge opens the band above).
    ends = [*np.searchsorted(ordered, edges, side="left").tolist(), len(ordered)]
    positives = np.bincount(np.searchsorted(edges, scores.score[hits], side="right"), minlength=BANDS)
    bands = [
        _band(i, ordered[start:end], int(positives[i]), base)
        for i, (start, end) in enumerate(zip([0, *ends[:-1]], ends, strict=True))
        if end > start
    ]
    return {"outcome": outcome, "base_rate": base, "bands": bands}


def band_edges(ordered: np.ndarray) -> np.ndarray:
    """The score at each band's lower edge past the first: ordered[n * k // BANDS] for k = 1 … BANDS - 1.

    A score equal to an edge falls into the band above it, so equal scores stay in one band.
    """
    n = int(ordered.shape[0])
    return ordered[[n * k // BANDS for k in range(1, BANDS)]] if n else np.empty(0, dtype=np.float64)


def _band(index: int, scores: np.ndarray, hits: int, base: float | None) -> dict[str, Any]:
    """One score band's range, size, outcome rate and lift (`scores` sorted)."""
    rate = share(hits, int(scores.shape[0]))
    return {
        "band": index + 1,
        "min_score": float(scores[0]),
        "max_score": float(scores[-1]),
        "person_steps": int(scores.shape[0]),
        "positives": hits,
        "rate": rate,
        "lift": rate / base if rate is not None and base else None,
    }
