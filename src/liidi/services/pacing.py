"""Pacing use cases: load and show plan.yaml (the `pacing` document), notes per week, the weekly review."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from liidi.analytics.pacing import PacingReport, pacing_report
from liidi.domain.pacing import (
    DIMENSIONS,
    MAX_WEEKS,
    METRICS,
    PacingPlan,
    Week,
    WeekNote,
    check_note,
    parse_week,
    week_of,
)
from liidi.domain.pacing_load import load_plan_text
from liidi.errors import FieldError, NotFound, ValidationFailed
from liidi.services.clock import resolve_now
from liidi.services.documents import Document, active_document_in, check_author, store_text
from liidi.services.unit_of_work import UnitOfWork, run_in_transaction

KIND = "pacing"
MAX_AUTHOR = 254
NOTHING_LOADED = "no pacing plan is loaded: `liidi pacing load FILE` or PUT /v1/pacing/plan"
_PARSED: dict[str, PacingPlan] = {}


@dataclass(frozen=True, slots=True)
class LoadedPlan:
    """The plan in force: the stored version and its content; `created` when stored just now."""

    document: Document
    plan: PacingPlan
    created: bool = False


def load_plan(
    uow: UnitOfWork, *, text: str, source_name: str, author: str, now: float | None = None
) -> LoadedPlan:
    """Check a plan and put it in force; the same text again stores nothing new."""
    plan = load_plan_text(text, source_name)
    doc, created = store_text(uow, kind=KIND, text=text, author=author, now=now)
    return LoadedPlan(doc, plan, created)


def show_plan(uow: UnitOfWork) -> LoadedPlan:
    """The plan in force; NotFound when none was loaded."""
    with uow:
        doc = active_document_in(uow, KIND)
    if doc is None:
        raise NotFound(NOTHING_LOADED)
    return LoadedPlan(doc, active_plan_of(doc))


def active_plan_of(doc: Document) -> PacingPlan:
    """A stored plan's content, parsed once per process and fingerprint."""
    if doc.fingerprint not in _PARSED:
        _PARSED[doc.fingerprint] = load_plan_text(doc.source, doc.label)
    return _PARSED[doc.fingerprint]


def save_note(
    uow: UnitOfWork,
    *,
    week: object,
    done: str | None,
    next_: str | None,
    author: str,
    now: float | None = None,
) -> dict[str, Any]:
    """Store what was done in a week and what is next (a part left out keeps its stored text)."""
    note: WeekNote = check_note(week, done, next_)
    check_author(author)
    values = {
        "week": note.week.label,
        "done": note.done,
        "next": note.next,
        "author": author,
        "updated_ts": resolve_now(now),
    }

    def save(tx: UnitOfWork) -> dict[str, Any]:
        tx.week_notes.save(values)
        stored = tx.week_notes.get(note.week.label)
        assert stored is not None
        return stored

    return run_in_transaction(uow, save)


def report(
    uow: UnitOfWork,
    *,
    weeks: int = 8,
    by: str | None = None,
    until: object = None,
    now: float | None = None,
    engine: str | None = None,
    files: Path | None = None,
) -> PacingReport:
    """The last `weeks` ISO weeks up to and including `until` (default: this week), against the plan;
    counted by the store's database or by DuckDB over a layout directory (`engine`, `files`)."""
    from liidi.analytics.pacing_counts import weekly_counts, weekly_statements
    from liidi.analytics.report_query import run_report
    from liidi.services.report_source import report_source  # sqlglot and the engines: only when counting

    ts = resolve_now(now)
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= MAX_WEEKS:
        raise _invalid("weeks", weeks, f"must be a whole number from 1 to {MAX_WEEKS}")
    if by is not None and by not in DIMENSIONS:
        raise _invalid("by", by, f"must be one of {', '.join(DIMENSIONS)}")
    last = _last_week(until, ts)
    shown = [last.shifted(-i) for i in range(weeks - 1, -1, -1)]
    source, name = report_source(uow, engine, files)
    statements = weekly_statements(METRICS, shown[0].start, last.end, by)
    counts = weekly_counts(METRICS, run_report(source, name, statements))
    with uow:
        notes = uow.week_notes.of_weeks([w.label for w in shown])
        doc = active_document_in(uow, KIND)
    plan = active_plan_of(doc) if doc else None
    split = counts if by else None
    version = doc.version if doc else None
    return pacing_report(shown, counts, split, by=by, plan=plan, notes=notes, now=ts, plan_version=version)


def _last_week(until: object, now: float) -> Week:
    """The newest week shown: the given ISO week, or the week of `now`."""
    return week_of(now) if until is None else parse_week(until, "until")


def _invalid(field: str, value: object, reason: str) -> ValidationFailed:
    shown = value[:40] if isinstance(value, str) else value
    return ValidationFailed([FieldError(field, shown, reason)], f"{field} {shown}: {reason}")
