"""The benchmark's pandas baseline scores the whole example model as the compiled SQL does."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from liidi.domain.scoring import load_model_text
from liidi.engines.sql import DuckDBEngine

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from batch_pandas import load_events, load_people, score_people  # noqa: E402
from batch_synth import generate  # noqa: E402

END = 1_793_491_200.0
MODEL = load_model_text((ROOT / "examples" / "scoring.yaml").read_text(encoding="utf-8"), "scoring.yaml")


@pytest.mark.parametrize("days_before", [0, 40])
def test_the_pandas_baseline_gives_every_person_the_duckdb_scores_verdicts_and_signals(
    tmp_path: Path, days_before: int
) -> None:
    generate(tmp_path, people=3_000, events=40_000, end=END)
    as_of = END - 3600 - days_before * 86400
    want = DuckDBEngine(tmp_path).score_many(MODEL, [as_of])[as_of]
    got = score_people(MODEL, load_people(tmp_path), load_events(tmp_path, as_of), as_of)
    assert got["person_id"].tolist() == [r.person_id for r in want]
    for column in ("fit", "engagement", "score"):
        assert np.allclose(got[column], [getattr(r, column) for r in want], rtol=1e-9, atol=1e-9), column
    for column in ("grade", "mql", "pql", "hand_raiser"):
        assert got[column].tolist() == [getattr(r, column) for r in want], column
    flags = [c for c in got.columns if c.startswith(("signal__", "product__"))]
    active = [tuple(sorted(c.split("__", 1)[1] for c in flags if row[c])) for _, row in got.iterrows()]
    assert active == [r.signals for r in want]
    assert sum(r.mql or r.pql or r.hand_raiser for r in want) > 0
