"""Scoring model versions: drafts, the published version per model name, and retired ones."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update

from liidi.storage.repositories.base import Repository
from liidi.storage.tables import scoring_models


class ModelRepository(Repository):
    """Rows of the scoring_models table as dictionaries."""

    def add(self, values: dict[str, Any]) -> int:
        """Store a new version."""
        return self._insert(scoring_models, values)

    def lock(self, name: str) -> None:
        """Hold the rows of a model until the transaction ends, so two publishes cannot interleave."""
        self.conn.execute(select(scoring_models.c.id).where(scoring_models.c.name == name).with_for_update())

    def next_version(self, name: str) -> int:
        """The version number the next draft of a model gets."""
        stmt = select(func.max(scoring_models.c.version)).where(scoring_models.c.name == name)
        return int(self.conn.execute(stmt).scalar() or 0) + 1

    def get(self, name: str, version: int) -> dict[str, Any] | None:
        """One version of a model."""
        stmt = select(scoring_models).where(
            scoring_models.c.name == name, scoring_models.c.version == version
        )
        row = self.conn.execute(stmt).first()
        return dict(row._mapping) if row else None

    def published(self) -> list[dict[str, Any]]:
        """The published version of every model, by name."""
        stmt = select(scoring_models).where(scoring_models.c.status == "published")
        return [dict(r._mapping) for r in self.conn.execute(stmt.order_by(scoring_models.c.name))]

    def list(self, name: str | None = None) -> list[dict[str, Any]]:
        """Every version, newest first within each model."""
        stmt = select(scoring_models)
        if name:
            stmt = stmt.where(scoring_models.c.name == name)
        stmt = stmt.order_by(scoring_models.c.name, scoring_models.c.version.desc())
        return [dict(r._mapping) for r in self.conn.execute(stmt)]

    def set_status(self, name: str, version: int, status: str, now: float | None = None) -> None:
        """Change a version's status (draft, published, retired)."""
        values: dict[str, Any] = {"status": status}
        if status == "published":
            values["published_ts"] = now
        stmt = update(scoring_models).where(
            scoring_models.c.name == name, scoring_models.c.version == version
        )
        self.conn.execute(stmt.values(**values))

    def retire_published(self, name: str) -> None:
        """Retire the currently published version of a model, if any."""
        stmt = update(scoring_models).where(
            scoring_models.c.name == name, scoring_models.c.status == "published"
        )
        self.conn.execute(stmt.values(status="retired"))
