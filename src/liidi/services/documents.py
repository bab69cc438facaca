"""Configuration documents (routing, sla, nurture, pacing): each version as loaded; the newest is active."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from liidi.services.unit_of_work import UnitOfWork

KINDS: tuple[str, ...] = ("routing", "sla", "nurture", "icp", "pacing")
MAX_AUTHOR = 254


@dataclass(frozen=True, slots=True)
class Document:
    """One stored version of a configuration document."""

    kind: str
    version: int
    fingerprint: str
    author: str
    created_ts: float
    source: str = field(default="", repr=False)

    @property
    def label(self) -> str:
        """'routing@v3'."""
        return f"{self.kind}@v{self.version}"


def store_document_in(
    uow: UnitOfWork, *, kind: str, source: str, fingerprint: str, author: str, now: float
) -> tuple[Document, bool]:
    """Store a new active version of a kind, unless the active one has the same fingerprint.

    Returns the active document and whether it was stored now. Two writers loading at once are
    serialised by a lock on the kind, so versions never collide.
    """
    uow.locks.hold("config", {kind})
    active = uow.documents.active(kind)
    if active is not None and active["fingerprint"] == fingerprint:
        return document(active), False
    values = {
        "kind": kind,
        "version": uow.documents.next_version(kind),
        "source": source,
        "fingerprint": fingerprint,
        "author": author[:MAX_AUTHOR],
        "created_ts": now,
    }
    uow.documents.add(values)
    return document(values), True


def active_document_in(uow: UnitOfWork, kind: str) -> Document | None:
    """The version of a kind in force, if any was loaded."""
    row = uow.documents.active(kind)
    return document(row) if row is not None else None


def document(row: dict[str, Any]) -> Document:
    """A stored row as a Document."""
    return Document(
        row["kind"], row["version"], row["fingerprint"], row["author"], row["created_ts"], row["source"]
    )
