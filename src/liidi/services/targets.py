"""Target accounts: the ICP document (kind `icp`), the Most Wanted list (accounts.tier) and the report."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from liidi.analytics.report_query import run_report
from liidi.analytics.targets import TargetsReport, targets_report, targets_sql
from liidi.domain.accounts import Tier
from liidi.domain.icp import Icp, load_icp_text
from liidi.domain.most_wanted import Target, check_targets
from liidi.engines.layout import PEOPLE
from liidi.engines.layout_history import TARGET_RELATIONS
from liidi.errors import FieldError, NotFound, ValidationFailed
from liidi.services.accounts import UpsertResult, rescore_accounts_in, upsert_account_in
from liidi.services.clock import resolve_now
from liidi.services.documents import Document, active_document_in, store_text
from liidi.services.report_source import report_source
from liidi.services.unit_of_work import UnitOfWork, run_in_transaction

KIND = "icp"
NOTHING_LOADED = "no ICP is loaded: `liidi targets load FILE` or PUT /v1/targets/icp"
MAX_MONTHS = 120


@dataclass(frozen=True, slots=True)
class LoadedIcp:
    """The ICP in force: the stored version and its content; `created` when stored just now."""

    document: Document
    icp: Icp
    created: bool = False


@dataclass(frozen=True, slots=True)
class ListImport:
    """What a Most Wanted import did: accounts listed, created, whose tier changed, and taken off."""

    listed: int
    created: int
    changed: int
    removed: int

    def as_dict(self) -> dict[str, int]:
        return {
            "listed": self.listed,
            "created": self.created,
            "changed": self.changed,
            "removed": self.removed,
        }


def load_icp(
    uow: UnitOfWork, *, text: str, source_name: str, author: str, now: float | None = None
) -> LoadedIcp:
    """Check an ICP document and put it in force; the same text again stores nothing new."""
    icp = load_icp_text(text, source_name)
    doc, created = store_text(uow, kind=KIND, text=text, author=author, now=now)
    return LoadedIcp(doc, icp, created)


def show_icp(uow: UnitOfWork) -> LoadedIcp:
    """The ICP in force; NotFound when none was loaded."""
    with uow:
        doc = active_document_in(uow, KIND)
    if doc is None:
        raise NotFound(NOTHING_LOADED)
    return LoadedIcp(doc, load_icp_text(doc.source, doc.label))


def import_most_wanted(
    uow: UnitOfWork, *, rows: Sequence[Mapping[str, Any]], replace: bool = False, now: float | None = None
) -> ListImport:
    """Set the tier of every listed account (a domain not known yet becomes a new account); with `replace`,
    accounts on the list before but not now go back to tier none. Their people are rescored. All or none."""
    targets = check_targets(rows)
    ts = resolve_now(now)
    return run_in_transaction(uow, lambda tx: _import_in(tx, targets, replace, ts))


def _import_in(uow: UnitOfWork, targets: list[Target], replace: bool, now: float) -> ListImport:
    missing = sorted(
        {t.account_id for t in targets if t.account_id is not None}
        - uow.accounts.get_many({t.account_id for t in targets if t.account_id is not None}).keys()
    )
    if missing:
        errors = [
            FieldError(f"line {t.line}: account_id", t.account_id, "no such account")
            for t in targets
            if t.account_id in missing
        ]
        raise ValidationFailed(errors, f"Most Wanted list not imported: {errors[0].one_line()}")
    results: list[UpsertResult] = []
    by_domain = sorted((t for t in targets if t.domain is not None), key=lambda t: str(t.domain))
    for t in by_domain:
        results.append(upsert_account_in(uow, {"domain": t.domain, "tier": t.tier}, now))
    for t in sorted((t for t in targets if t.account_id is not None), key=lambda t: t.account_id or 0):
        changed = uow.accounts.columns(t.account_id or 0).get("tier") != t.tier
        uow.accounts.update(t.account_id or 0, {"tier": t.tier} if changed else {}, now)
        results.append(UpsertResult(t.account_id or 0, False, changed))
    removed: list[UpsertResult] = []
    if replace:
        for account_id in sorted(uow.accounts.tiered_ids() - {r.account_id for r in results}):
            uow.accounts.update(account_id, {"tier": Tier.NONE.value}, now)
            removed.append(UpsertResult(account_id, False, True))
    rescore_accounts_in(uow, [*results, *removed], now)
    created = sum(1 for r in results if r.created)
    changed = sum(1 for r in results if r.changed)
    return ListImport(len({r.account_id for r in results}), created, changed, len(removed))


def active_icp_in(uow: UnitOfWork) -> Icp | None:
    """The ICP in force, if one was loaded."""
    doc = active_document_in(uow, KIND)
    return load_icp_text(doc.source, doc.label) if doc is not None else None


def report(
    uow: UnitOfWork,
    *,
    as_of: float | None = None,
    months: int = 12,
    engine: str | None = None,
    files: Path | None = None,
) -> TargetsReport:
    """Coverage of the target accounts in the ICP's window ending at `as_of` (default now); on the store,
    or by DuckDB over a layout directory."""
    if isinstance(months, bool) or not 1 <= months <= MAX_MONTHS:
        reason = f"must be a whole number from 1 to {MAX_MONTHS}"
        raise ValidationFailed([FieldError("months", months, reason)], f"months {months}: {reason}")
    ts = resolve_now(as_of)
    if not math.isfinite(ts):
        raise ValidationFailed(
            [FieldError("as_of", ts, "must be a finite moment")], f"as_of {ts}: not finite"
        )
    with uow:
        icp = active_icp_in(uow)
    if icp is None:
        raise NotFound(NOTHING_LOADED)
    source, name = report_source(uow, engine, files, (PEOPLE, *TARGET_RELATIONS))
    results = run_report(source, name, targets_sql(icp, as_of=ts, months=months))
    return targets_report(results, icp, as_of=ts)
