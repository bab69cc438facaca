"""Nurture use cases: check and load nurture.yaml, run a round of nurture, report results per track."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from liidi.analytics.nurture import TrackResult, track_results
from liidi.domain.nurture import NurtureCatalog
from liidi.domain.nurture_load import fingerprint, load_nurture_text
from liidi.errors import FieldError, NotFound, ValidationFailed
from liidi.services.clock import resolve_now
from liidi.services.documents import MAX_AUTHOR, Document, store_document_in
from liidi.services.nurture_catalog import KIND, active_nurture_in, nurture_of_in
from liidi.services.nurture_enrol import EXIT_BATCH, exit_leaving_in, scan_in
from liidi.services.nurture_steps import RUN_BATCH, run_due_in
from liidi.services.scoring import published_models
from liidi.services.unit_of_work import UnitOfWork, run_in_transaction

__all__ = ["check_nurture", "load_nurture", "nurture_of_in", "nurture_report", "show_nurture", "tick"]


@dataclass(frozen=True, slots=True)
class LoadedNurture:
    """The nurture document in force, its tracks, and whether this load stored it."""

    document: Document
    catalog: NurtureCatalog
    created: bool = False


@dataclass(frozen=True, slots=True)
class Tick:
    """What one round of nurture did."""

    exited: int
    enrolled: int
    performed: int


@dataclass(frozen=True, slots=True)
class NurtureReport:
    """Results per track under the nurture file in force, for people enrolled from `since` to `until`."""

    model: str
    document: str
    since: float | None
    until: float | None
    results: list[TrackResult]


def check_nurture(text: str, source_name: str) -> NurtureCatalog:
    """A nurture file's YAML checked on its own (without the store); SpecError lists every problem."""
    return load_nurture_text(text, source_name)


def load_nurture(
    uow: UnitOfWork, *, text: str, source_name: str, author: str, now: float | None = None
) -> LoadedNurture:
    """Check a nurture file against the published models and put it in force (unchanged: nothing stored)."""
    if not author.strip() or len(author) > MAX_AUTHOR:
        reason = f"must be 1 to {MAX_AUTHOR} characters"
        raise ValidationFailed([FieldError("author", author[:40], reason)], f"author: {reason}")
    ts = resolve_now(now)

    def store(tx: UnitOfWork) -> LoadedNurture:
        known = {
            pub.name: pub.model.buying_stage.order if pub.model.buying_stage else ()
            for pub in published_models(tx)
        }
        catalog = load_nurture_text(text, source_name, known)
        stamp = fingerprint(catalog)
        document, created = store_document_in(
            tx, kind=KIND, source=text, fingerprint=stamp, author=author, now=ts
        )
        return LoadedNurture(document, catalog, created)

    return run_in_transaction(uow, store)


def show_nurture(uow: UnitOfWork) -> LoadedNurture:
    """The nurture file in force; NotFound when none was loaded."""
    with uow:
        active = active_nurture_in(uow)
    if active is None:
        raise NotFound("no nurture file is loaded yet: `liidi nurture load FILE` (see docs/nurture.md)")
    return LoadedNurture(active.document, active.catalog)


def tick(new_uow: Callable[[], UnitOfWork], now: float | None = None) -> Tick:
    """One round of nurture: exit who must leave, enrol who is not ready yet, then perform the due steps.

    Each batch is its own transaction; several workers may run rounds at once (on PostgreSQL they skip
    each other's rows), and every step is performed once.
    """
    ts = resolve_now(now)
    exited = _drain(lambda: run_in_transaction(new_uow(), partial(exit_leaving_in, now=ts)), EXIT_BATCH)
    return Tick(exited, _enrol_all(new_uow, ts), _perform_all(new_uow, ts))


def _enrol_all(new_uow: Callable[[], UnitOfWork], now: float) -> int:
    """Scan everyone once, a batch of people per transaction; how many were enrolled."""
    enrolled, after = 0, 0
    while True:
        batch = run_in_transaction(new_uow(), partial(scan_in, now=now, after=after))
        enrolled += batch.enrolled
        if batch.next_after is None:
            return enrolled
        after = batch.next_after


def _perform_all(new_uow: Callable[[], UnitOfWork], now: float) -> int:
    """Perform every step due, a batch of enrolments per transaction; how many were performed."""
    performed = 0
    while True:
        ran = run_in_transaction(new_uow(), partial(run_due_in, now=now))
        performed += ran.performed
        if ran.claimed < RUN_BATCH:
            return performed


def _drain(batch: Callable[[], int], size: int) -> int:
    """Run batches until one comes back smaller than `size`; the total."""
    total = 0
    while (done := batch()) > 0:
        total += done
        if done < size:
            break
    return total


def nurture_report(
    uow: UnitOfWork, *, since: float | None = None, until: float | None = None
) -> NurtureReport:
    """Per track: enrolled, active, completed, progressed a stage, qualified, unsubscribed, median days."""
    if since is not None and until is not None and until <= since:
        raise ValidationFailed(
            [FieldError("until", until, "must be after since")], "until must be after since"
        )
    with uow:
        active = active_nurture_in(uow)
        if active is None:
            raise NotFound("no nurture file is loaded yet: `liidi nurture load FILE` (see docs/nurture.md)")
        model = active.catalog.model
        pub = next((p for p in published_models(uow) if p.name == model), None)
        rows = uow.nurture.outcomes(model, since, until)
    order = pub.model.buying_stage.order if pub and pub.model.buying_stage else ()
    results = track_results(rows, order, [t.name for t in active.catalog.tracks])
    return NurtureReport(model, active.document.label, since, until, results)
