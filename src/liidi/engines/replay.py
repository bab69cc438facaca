"""Replays: everyone at every step of a backtest, from one query where the steps allow it.

`regular_steps` recognises steps the one-query replay can take (whole seconds, evenly spaced);
`scores_from_arrow` turns its result into StepScores. Engines fall back to one query per step for
anything else (uneven steps, or what `compile_steps` refuses).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]

from liidi.domain.scoring.spec import ScoringModel
from liidi.engines.batch import StepScores
from liidi.engines.compile import Steps, UnsupportedByDialect, compile_steps

STEP_COLUMNS = ("k", "person_id", "score", "mql", "pql", "hand_raiser")


def regular_steps(moments: Sequence[float]) -> Steps | None:
    """The steps as start + k * every in whole seconds, or None when they are not."""
    if not moments or any(not float(m).is_integer() for m in moments):
        return None
    every = int(moments[1] - moments[0]) if len(moments) > 1 else 1
    steps = Steps(float(moments[0]), every, len(moments))
    return steps if every > 0 and steps.moments() == [float(m) for m in moments] else None


def replay_sql(model: ScoringModel, dialect: str, moments: Sequence[float]) -> str | None:
    """The one-query replay of these steps, or None when it cannot be written exactly."""
    steps = regular_steps(moments)
    if steps is None:
        return None
    try:
        return compile_steps(model, dialect, steps, ordered=False, columns=STEP_COLUMNS)
    except UnsupportedByDialect as error:
        if "not replayable" in error.message:
            return None
        raise


def scores_from_arrow(moments: Sequence[float], result: pa.Table) -> StepScores:
    """StepScores from a replay's result (k, person_id, score, mql, pql, hand_raiser columns)."""

    def column(name: str, dtype: type) -> np.ndarray:
        return np.asarray(result.column(name).to_numpy(zero_copy_only=False)).astype(dtype)

    return StepScores(
        steps=tuple(float(m) for m in moments),
        step=column("k", np.int32),
        person_id=column("person_id", np.int64),
        score=column("score", np.float64),
        mql=column("mql", bool),
        pql=column("pql", bool),
        hand_raiser=column("hand_raiser", bool),
    )


def scores_from_rows(
    moments: Sequence[float], columns: Sequence[str], rows: Sequence[Sequence[object]]
) -> StepScores:
    """StepScores from a replay's rows fetched through a DB-API cursor."""
    table = pa.table({name: [row[i] for row in rows] for i, name in enumerate(columns)})
    return scores_from_arrow(moments, table)
