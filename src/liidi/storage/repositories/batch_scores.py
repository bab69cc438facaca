"""Batch scores: everyone's score under one model as of one moment, written by a full rescoring."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select

from liidi.storage.repositories.base import Repository
from liidi.storage.tables import batch_scores


class BatchScoreRepository(Repository):
    """Rows of the batch_scores table, keyed by person, model and as-of moment."""

    def clear(self, model: str, as_of: float) -> int:
        """Delete the model's rows as of this moment; how many there were."""
        where = (batch_scores.c.model == model) & (batch_scores.c.as_of_ts == as_of)
        return self.conn.execute(delete(batch_scores).where(where)).rowcount

    def add_many(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert rows with every batch_scores column in one statement."""
        if rows:
            self.conn.execute(insert(batch_scores), list(rows))

    def count(self, model: str, as_of: float) -> int:
        """How many rows the model has as of this moment."""
        where = (batch_scores.c.model == model) & (batch_scores.c.as_of_ts == as_of)
        stmt = select(func.count()).select_from(batch_scores).where(where)
        return int(self.conn.execute(stmt).scalar_one())
