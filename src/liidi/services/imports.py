"""Bulk imports (CSV and the demo): every record checked first, then all stored in one transaction,
run again whole if a concurrent writer deadlocks it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from liidi.domain.intake import parse_events
from liidi.services.accounts import check_accounts, rescore_accounts_in, upsert_account_in
from liidi.services.attributes import ColumnType, type_columns_in
from liidi.services.clock import resolve_now
from liidi.services.ingest import store_events_in
from liidi.services.people import rescore_changed_in
from liidi.services.people_bulk import Upserted, check_people, upsert_people_in
from liidi.services.unit_of_work import UnitOfWork, run_in_transaction

CHUNK = 500
PEOPLE_CHUNK = 2000
Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did."""

    records: int
    created: int
    updated_or_duplicate: int
    columns: tuple[ColumnType, ...] = ()
    unchanged: int | None = None
    """Of the records not new, how many left everything as it was (people imports count it)."""


def _noop(_advance: int) -> None:
    return None


def _retried(
    uow: UnitOfWork, work: Callable[[UnitOfWork, Progress], ImportResult], progress: Progress
) -> ImportResult:
    """Run an import in one transaction, again whole after a deadlock, with the progress shown rewound."""
    shown = 0

    def step(n: int) -> None:
        nonlocal shown
        shown += n
        progress(n)

    def attempt(tx: UnitOfWork) -> ImportResult:
        nonlocal shown
        if shown:
            progress(-shown)
            shown = 0
        return work(tx, step)

    return run_in_transaction(uow, attempt)


def import_events(
    uow: UnitOfWork,
    *,
    records: Sequence[Mapping[str, Any]],
    now: float | None = None,
    future_tolerance: float = 300.0,
    progress: Progress = _noop,
) -> ImportResult:
    """Import events of any number; all are checked before any is stored, duplicates are skipped."""
    ts = resolve_now(now)
    commands = parse_events(records, now=ts, tolerance=future_tolerance)

    def work(tx: UnitOfWork, step: Progress) -> ImportResult:
        stored = 0
        for start in range(0, len(commands), CHUNK):
            chunk = commands[start : start + CHUNK]
            stored += store_events_in(tx, chunk, ts).stored
            step(len(chunk))
        return ImportResult(len(commands), stored, len(commands) - stored)

    return _retried(uow, work, progress)


def import_people(
    uow: UnitOfWork,
    *,
    records: Sequence[Mapping[str, Any]],
    now: float | None = None,
    progress: Progress = _noop,
    declared: Mapping[str, str] | None = None,
) -> ImportResult:
    """Create or update people matched by external id, then e-mail; all are checked before any is stored.

    Trait columns are typed first (stored, `declared` or inferred type), see `type_columns_in`."""
    ts = resolve_now(now)
    checked = check_people(list(records))

    def work(tx: UnitOfWork, step: Progress) -> ImportResult:
        rows = [dict(fields.traits) for _, fields in checked]
        columns = type_columns_in(tx, "people", rows, ts, declared=declared or {})
        typed = [(key, replace(f, traits=t)) for (key, f), t in zip(checked, rows, strict=True)]
        results: list[Upserted] = []
        for start in range(0, len(typed), PEOPLE_CHUNK):
            chunk = typed[start : start + PEOPLE_CHUNK]
            results.extend(upsert_people_in(tx, chunk, ts, traits_typed=True))
            step(len(chunk))
        rescore_changed_in(tx, results, ts)
        created = sum(r.created for r in results)
        unchanged = sum(not r.created and not r.changed for r in results)
        return ImportResult(len(checked), created, len(checked) - created, tuple(columns), unchanged)

    return _retried(uow, work, progress)


def import_accounts(
    uow: UnitOfWork,
    *,
    records: Sequence[Mapping[str, Any]],
    now: float | None = None,
    progress: Progress = _noop,
    declared: Mapping[str, str] | None = None,
) -> ImportResult:
    """Create or update accounts; all are checked before any is stored; trait columns typed first."""
    ts = resolve_now(now)
    checked = check_accounts(list(records))

    def work(tx: UnitOfWork, step: Progress) -> ImportResult:
        rows = [dict(values.get("traits") or {}) for values in checked]
        columns = type_columns_in(tx, "accounts", rows, ts, declared=declared or {})
        typed = [{**v, "traits": t} if "traits" in v else v for v, t in zip(checked, rows, strict=True)]
        results = []
        for values in sorted(typed, key=lambda v: str(v.get("domain") or "")):  # the order of all writers
            results.append(upsert_account_in(tx, values, ts))
            step(1)
        rescore_accounts_in(tx, results, ts)
        created = sum(r.created for r in results)
        return ImportResult(len(checked), created, len(checked) - created, tuple(columns))

    return _retried(uow, work, progress)
