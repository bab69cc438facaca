"""Use cases on accounts: upsert by domain or CRM id."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from liidi.domain.accounts import name_from_domain
from liidi.domain.intake import parse_account_fields
from liidi.errors import FieldError, ValidationFailed
from liidi.services import scoring
from liidi.services.attributes import typed_traits_in
from liidi.services.clock import resolve_now
from liidi.services.unit_of_work import UnitOfWork, run_in_transaction


@dataclass(frozen=True, slots=True)
class UpsertResult:
    """The account written and whether it was new."""

    account_id: int
    created: bool
    changed: bool = False
    """True when a known account's stored attributes differ after the call (its people are rescored)."""


def upsert_accounts(
    uow: UnitOfWork, *, records: list[Mapping[str, Any]], now: float | None = None
) -> list[UpsertResult]:
    """Create or update accounts matched by external_id, then domain; any invalid record refuses them all."""
    checked = check_accounts(records)
    ts = resolve_now(now)
    return run_in_transaction(uow, lambda tx: _upsert_all_in(tx, checked, ts))


def _upsert_all_in(uow: UnitOfWork, checked: list[dict[str, Any]], now: float) -> list[UpsertResult]:
    """Upsert in domain order (the order every writer adds accounts in); results in input order."""
    order = sorted(range(len(checked)), key=lambda i: str(checked[i].get("domain") or ""))
    results = {index: upsert_account_in(uow, checked[index], now) for index in order}
    rescore_accounts_in(uow, list(results.values()), now)
    return [results[index] for index in range(len(checked))]


def rescore_accounts_in(uow: UnitOfWork, results: Sequence[UpsertResult], now: float) -> None:
    """Rebuild, in one pass, the scores of the people of every account whose attributes changed.

    The accounts were written first; their people are locked (in id order) before their score states,
    the order every writer takes.
    """
    people = uow.people.live_ids_of_accounts({r.account_id for r in results if r.changed})
    scoring.score_in(uow, new_events={}, rebuild=people, now=now)


def check_accounts(records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Check account records; ValidationFailed lists every problem with its record index."""
    checked: list[dict[str, Any]] = []
    errors: list[FieldError] = []
    for index, raw in enumerate(records):
        try:
            checked.append(parse_account_fields(raw, index=index))
        except ValidationFailed as failed:
            errors.extend(failed.errors)
    if errors:
        raise ValidationFailed(errors, f"no accounts stored: {errors[0].one_line()}")
    return checked


def upsert_account_in(uow: UnitOfWork, values: dict[str, Any], now: float) -> UpsertResult:
    """Create or update one checked account; only values that differ from the stored ones are written.

    Its people are not rescored here: the caller gathers the results and calls `rescore_accounts_in`.
    """
    if values.get("traits"):
        values = {**values, "traits": typed_traits_in(uow, "accounts", values["traits"], now)}
    found = None
    if values.get("external_id"):
        found = uow.accounts.by_external_id(values["external_id"])
    if found is None and values.get("domain"):
        found = uow.accounts.by_domain(values["domain"])
    if found is None:
        if not values.get("name") and values.get("domain"):
            values = {**values, "name": name_from_domain(values["domain"])}
        return UpsertResult(uow.accounts.add(values, now), True)
    if "traits" in values:
        values = {**values, "traits": {**found.traits, **values["traits"]}}
    current = uow.accounts.columns(found.id)
    changed = {k: v for k, v in values.items() if v is not None and current.get(k) != v}
    uow.accounts.update(found.id, changed, now)
    return UpsertResult(found.id, False, bool(changed))
