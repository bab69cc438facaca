"""Batch scores are written through their repository: a rescoring replaces one model's rows at one moment."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from liidi.domain.scoring import load_model_text
from liidi.engines.batch import BatchRow
from liidi.services.batch import ChosenModel, save_rows
from liidi.services.unit_of_work import UnitOfWork

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "scoring.yaml"


def rows(*scores: float) -> list[BatchRow]:
    return [
        BatchRow(pid, 10.0, "B", score - 10.0, score, score > 50, False, False, ("demo",))
        for pid, score in enumerate(scores, 1)
    ]


def test_a_rescoring_replaces_only_its_own_model_and_moment(new_uow: Callable[[], UnitOfWork]) -> None:
    model = load_model_text(EXAMPLE.read_text(encoding="utf-8"), "scoring.yaml")
    core, other = ChosenModel("core", "core@v1", model), ChosenModel("other", "other@v1", model)
    save_rows(new_uow(), rows=rows(10, 20, 30), chosen=core, as_of=100.0, scored_ts=1.0)
    save_rows(new_uow(), rows=rows(40), chosen=core, as_of=200.0, scored_ts=1.0)
    save_rows(new_uow(), rows=rows(50, 60), chosen=other, as_of=100.0, scored_ts=1.0)
    written = save_rows(new_uow(), rows=rows(70, 80), chosen=core, as_of=100.0, scored_ts=2.0)
    with new_uow() as uow:
        counts = [
            uow.batch_scores.count(m, t) for m, t in (("core", 100.0), ("core", 200.0), ("other", 100.0))
        ]
        assert written == 2 and counts == [2, 1, 2]
        assert uow.batch_scores.clear("core", 100.0) == 2 and uow.batch_scores.count("core", 100.0) == 0
