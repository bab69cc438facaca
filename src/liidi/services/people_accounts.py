"""The accounts people records name: by id, domain, CRM id or name; never invented from a CRM id."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from liidi.domain.intake import PersonFields
from liidi.errors import FieldError, ValidationFailed
from liidi.services.identity import ensure_accounts_in
from liidi.services.unit_of_work import UnitOfWork


def accounts_in(
    uow: UnitOfWork, fields: Sequence[PersonFields], domains: set[str], now: float
) -> tuple[list[int | None], dict[str, int]]:
    """The account each record names (None if it names none), and the ids of `domains` too.

    Accounts named by domain or CRM id are created when missing; by name, the first account of that name,
    else a new one. They are made and held in one order: domains, CRM ids, then names.
    """
    _check_ids(uow, fields)
    by_domain = ensure_accounts_in(uow, {f.account_domain for f in fields if f.account_domain} | domains, now)
    by_external = _ensure_keyed(
        uow,
        "external_id",
        {f.account_external_id: f.account_name for f in fields if f.account_external_id},
        now,
    )
    names = {f.account_name: f.account_name for f in fields if f.account_name and not f.account_external_id}
    by_name = _ensure_keyed(uow, "name", names, now)
    found: list[int | None] = []
    for f in fields:
        if f.account_id is not None:
            found.append(f.account_id)
        elif f.account_domain:
            found.append(by_domain[f.account_domain])
        elif f.account_external_id:
            found.append(by_external[f.account_external_id])
        else:
            found.append(by_name[f.account_name] if f.account_name else None)
    return found, by_domain


def _check_ids(uow: UnitOfWork, fields: Sequence[PersonFields]) -> None:
    """Every account id a record names must exist; they are held like the others."""
    ids = {f.account_id for f in fields if f.account_id is not None}
    known = set(uow.accounts.get_many(ids)) if ids else set()
    errors = [
        FieldError("account_id", f.account_id, "no account with this id", index)
        for index, f in enumerate(fields)
        if f.account_id is not None and f.account_id not in known
    ]
    if errors:
        raise ValidationFailed(errors, f"no people stored: {errors[0].one_line()}")
    uow.accounts.share(ids)


def _ensure_keyed(uow: UnitOfWork, key: str, wanted: Mapping[str, str | None], now: float) -> dict[str, int]:
    """Account ids by CRM id or name, the missing ones created (named by `wanted`'s values) and held."""
    if not wanted:
        return {}
    if key == "name":
        uow.locks.hold("account_name", set(wanted))
    found = uow.accounts.ids_by(key, set(wanted))
    missing = [{key: k, "name": wanted[k] or k} for k in sorted(set(wanted) - found.keys())]
    if missing:
        uow.accounts.add_keyed(key, missing, now)
        found |= uow.accounts.ids_by(key, {row[key] for row in missing})
    uow.accounts.share(set(found.values()))
    return found
