"""Configuration documents (routing, sla, nurture, pacing): each version as loaded; the newest is active."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from liidi.errors import FieldError, ValidationFailed
from liidi.services.clock import resolve_now
from liidi.services.unit_of_work import UnitOfWork, run_in_transaction

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


def fingerprint(text: str) -> str:
    """The first 12 hex digits of the SHA-256 of a document's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def check_author(author: str) -> None:
    """Who made a change: some text, at most 254 characters, without NUL."""
    reason = None
    if "\x00" in author:
        reason = "must not contain the NUL character (\\u0000)"
    elif len(author) > MAX_AUTHOR:
        reason = f"must be at most {MAX_AUTHOR} characters, got {len(author)}"
    elif not author.strip():
        reason = "must not be empty"
    if reason:
        raise ValidationFailed([FieldError("author", author[:80], reason)], f"author: {reason}")


def store_text(
    uow: UnitOfWork, *, kind: str, text: str, author: str, now: float | None = None
) -> tuple[Document, bool]:
    """Put a checked document's text in force as a new version of its kind, in its own transaction; the
    same text again stores nothing (the document in force, and whether it was stored now)."""
    check_author(author)
    ts, stamp = resolve_now(now), fingerprint(text)

    def store(tx: UnitOfWork) -> tuple[Document, bool]:
        return store_document_in(tx, kind=kind, source=text, fingerprint=stamp, author=author, now=ts)

    return run_in_transaction(uow, store)


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
