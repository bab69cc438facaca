"""SLA use cases: check and load sla.yaml as the `sla` configuration document, and show the one in force."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from liidi.domain.sla import SlaPolicies
from liidi.domain.sla_load import load_sla_text
from liidi.errors import FieldError, NotFound, ValidationFailed
from liidi.services.clock import resolve_now
from liidi.services.documents import Document, active_document_in, store_document_in
from liidi.services.unit_of_work import UnitOfWork, run_in_transaction

KIND = "sla"
MAX_AUTHOR = 254
NOTHING_LOADED = "no SLA document is loaded: `liidi sla load FILE` or PUT /v1/sla"
_PARSED: dict[str, SlaPolicies] = {}


@dataclass(frozen=True, slots=True)
class LoadedSla:
    """The SLA document in force: the stored version and its policies; `created` when stored just now."""

    document: Document
    policies: SlaPolicies
    created: bool = False


@dataclass(frozen=True, slots=True)
class ActiveSla:
    """The SLA policies in force, parsed, the version of the document they come from, and since when an
    SLA has been in force (the first version's loading)."""

    policies: SlaPolicies
    version: int
    since: float


def fingerprint(text: str) -> str:
    """The first 12 hex digits of the SHA-256 of the document's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def load_sla(
    uow: UnitOfWork, *, text: str, source_name: str, author: str, now: float | None = None
) -> LoadedSla:
    """Check an SLA document and put it in force for hand-overs from now on; the same text again stores
    nothing new. Clocks already running keep the deadline they started with."""
    policies = load_sla_text(text, source_name)
    _check_author(author)
    ts = resolve_now(now)

    def store(tx: UnitOfWork) -> tuple[Document, bool]:
        return store_document_in(
            tx, kind=KIND, source=text, fingerprint=fingerprint(text), author=author, now=ts
        )

    doc, created = run_in_transaction(uow, store)
    return LoadedSla(doc, policies, created)


def show_sla(uow: UnitOfWork) -> LoadedSla:
    """The SLA document in force; NotFound when none was loaded."""
    with uow:
        doc = active_document_in(uow, KIND)
    if doc is None:
        raise NotFound(NOTHING_LOADED)
    return LoadedSla(doc, load_sla_text(doc.source, doc.label))


def active_sla_in(uow: UnitOfWork) -> ActiveSla | None:
    """The SLA policies in force (parsed once per process and version), or None when none is loaded."""
    doc = active_document_in(uow, KIND)
    if doc is None:
        return None
    if doc.fingerprint not in _PARSED:
        _PARSED[doc.fingerprint] = load_sla_text(doc.source, doc.label)
    since = uow.documents.first_loaded(KIND)
    return ActiveSla(_PARSED[doc.fingerprint], doc.version, doc.created_ts if since is None else since)


def _check_author(author: str) -> None:
    reason = None
    if "\x00" in author:
        reason = "must not contain the NUL character (\\u0000)"
    elif len(author) > MAX_AUTHOR:
        reason = f"must be at most {MAX_AUTHOR} characters, got {len(author)}"
    elif not author.strip():
        reason = "must not be empty"
    if reason:
        raise ValidationFailed([FieldError("author", author[:80], reason)], f"author: {reason}")
