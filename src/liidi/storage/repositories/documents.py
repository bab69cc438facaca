"""Configuration documents (routing, sla, nurture): every loaded version; the newest of a kind is active."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from liidi.storage.repositories.base import Repository
from liidi.storage.tables import config_documents


class DocumentRepository(Repository):
    """Rows of the config_documents table as dictionaries."""

    def add(self, values: dict[str, Any]) -> int:
        """Store a new version of a document kind."""
        return self._insert(config_documents, values)

    def next_version(self, kind: str) -> int:
        """The version number the next document of a kind gets."""
        stmt = select(func.max(config_documents.c.version)).where(config_documents.c.kind == kind)
        return int(self.conn.execute(stmt).scalar() or 0) + 1

    def active(self, kind: str) -> dict[str, Any] | None:
        """The newest version of a kind, which is the one in force."""
        d = config_documents.c
        stmt = select(config_documents).where(d.kind == kind).order_by(d.version.desc()).limit(1)
        row = self.conn.execute(stmt).first()
        return dict(row._mapping) if row else None

    def first_loaded(self, kind: str) -> float | None:
        """When the first version of a kind was loaded, or None when none was."""
        stmt = select(func.min(config_documents.c.created_ts)).where(config_documents.c.kind == kind)
        first = self.conn.execute(stmt).scalar()
        return float(first) if first is not None else None

    def versions(self, kind: str) -> list[dict[str, Any]]:
        """Every version of a kind, newest first, without their sources."""
        d = config_documents.c
        stmt = select(d.kind, d.version, d.fingerprint, d.author, d.created_ts).where(d.kind == kind)
        return [dict(r._mapping) for r in self.conn.execute(stmt.order_by(d.version.desc()))]
