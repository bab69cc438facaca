"""SLA use cases: check and load sla.yaml as the `sla` configuration document, and show the one in force."""

from __future__ import annotations

from dataclasses import dataclass

from liidi.domain.sla import SlaPolicies
from liidi.domain.sla_load import load_sla_text
from liidi.errors import NotFound
from liidi.services.documents import Document, active_document_in, store_text
from liidi.services.unit_of_work import UnitOfWork

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


def load_sla(
    uow: UnitOfWork, *, text: str, source_name: str, author: str, now: float | None = None
) -> LoadedSla:
    """Check an SLA document and put it in force for hand-overs from now on; the same text again stores
    nothing new. Clocks already running keep the deadline they started with."""
    policies = load_sla_text(text, source_name)
    doc, created = store_text(uow, kind=KIND, text=text, author=author, now=now)
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
