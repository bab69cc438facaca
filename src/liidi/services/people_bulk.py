"""Many people at once (CSV import, `POST /v1/people`), matched by CRM id, then e-mail, written in bulk.

Locks are taken in the order every writer uses: accounts (domains, then CRM ids, then names), then
identities in (kind, value) order, then the people already stored, in id order. A writer that loses a race
for an identity runs again whole (`ChangedMeanwhile`), and then finds the other writer's person.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from liidi.domain.intake import PersonFields, PersonKey, parse_person_fields, parse_person_key
from liidi.domain.messages import PersonCreated
from liidi.errors import FieldError, ValidationFailed
from liidi.services.attributes import typed_traits_in
from liidi.services.identity import live_person_id, lock_people_in, person_values, work_domain
from liidi.services.people_accounts import accounts_in
from liidi.services.unit_of_work import ChangedMeanwhile, UnitOfWork

EMAIL_KIND, EXTERNAL_KIND = "email", "external_id"
CheckedPerson = tuple[PersonKey, PersonFields]
NEW_PERSON: dict[str, Any] = {
    "email": None,
    "first_name": None,
    "last_name": None,
    "title": None,
    "role": "other",
    "seniority": "unknown",
    "account_id": None,
    "consent": "unknown",
    "lead_tool": None,
    "channel": None,
    "direction": None,
    "sourced_by": None,
    "lifecycle_stage": "lead",
    "owner": None,
    "traits": {},
}


@dataclass(frozen=True, slots=True)
class Upserted:
    """What the upsert did with one record."""

    person_id: int
    created: bool
    changed: bool


@dataclass(slots=True, eq=False)
class _Slot:
    """One person the records name: stored (`person_id`) or new, with the records that name them."""

    person_id: int | None
    rows: list[int] = field(default_factory=list)
    email: str | None = None
    external_id: str | None = None


def check_people(records: Sequence[Mapping[str, Any]]) -> list[CheckedPerson]:
    """Check person records; ValidationFailed lists every problem with its record index."""
    checked: list[CheckedPerson] = []
    errors: list[FieldError] = []
    for index, raw in enumerate(records):
        found: list[Any] = []
        for parse in (parse_person_key, parse_person_fields):
            try:
                found.append(parse(raw, index=index))
            except ValidationFailed as failed:
                errors.extend(failed.errors)
        if len(found) == 2:
            checked.append((found[0], found[1]))
    if errors:
        raise ValidationFailed(errors, f"no people stored: {errors[0].one_line()}")
    return checked


def upsert_people_in(
    uow: UnitOfWork, checked: Sequence[CheckedPerson], now: float, *, traits_typed: bool = False
) -> list[Upserted]:
    """Create or update checked people inside the caller's unit of work; one result per record, in order.

    A record is matched by its external id, then its e-mail; two records naming the same person update
    them in record order. With `traits_typed`, trait values were already coerced column by column.
    """
    traits = [
        dict(f.traits)
        if traits_typed or not f.traits
        else typed_traits_in(uow, "people", f.traits, now, index=i)
        for i, (_, f) in enumerate(checked)
    ]
    slots, of_row, claims = _plan(uow, checked)
    new = [s for s in slots if s.person_id is None]
    stored = [s for s in slots if s.person_id is not None]
    domains = {
        s.email: d for s in new if s.email and not _names_account(s, checked) if (d := work_domain(s.email))
    }
    accounts, by_domain = accounts_in(uow, [f for _, f in checked], set(domains.values()), now)
    defaults = {email: by_domain[d] for email, d in domains.items()}
    _create(uow, new, checked, traits, accounts, defaults, now)
    _claim(uow, claims, slots, now)
    lock_people_in(uow, {s.person_id for s in stored if s.person_id is not None})
    changed = _update(uow, stored, checked, traits, accounts, now)
    first = {s.rows[0] for s in new}
    return [
        Upserted(_pid(slots[of_row[i]]), i in first, id(slots[of_row[i]]) in changed)
        for i in range(len(checked))
    ]


def _pid(slot: _Slot) -> int:
    assert slot.person_id is not None
    return slot.person_id


def _names_account(slot: _Slot, checked: Sequence[CheckedPerson]) -> bool:
    return any(checked[i][1].names_account for i in slot.rows)


def _keys(key: PersonKey) -> list[tuple[str, str]]:
    """A record's identities in lookup order: CRM id first, then e-mail."""
    found = [(EXTERNAL_KIND, key.external_id)] if key.external_id else []
    return found + ([(EMAIL_KIND, key.email)] if key.email else [])


def _stored_people(uow: UnitOfWork, checked: Sequence[CheckedPerson]) -> dict[tuple[str, str], int]:
    """The live person of each identity the records name that is already stored (merges followed)."""
    found: dict[tuple[str, str], int] = {}
    for kind in (EXTERNAL_KIND, EMAIL_KIND):
        values = {v for key, _ in checked for k, v in _keys(key) if k == kind}
        found |= {(kind, v): pid for v, pid in uow.identities.people_for(kind, values).items()}
    merged = uow.people.merged_into_many(set(found.values()))
    return {ident: (live_person_id(uow, pid) if pid in merged else pid) for ident, pid in found.items()}


def _plan(
    uow: UnitOfWork, checked: Sequence[CheckedPerson]
) -> tuple[list[_Slot], list[int], list[tuple[str, str, int]]]:
    """Which person each record names (slot index per record) and the identities to add (by slot)."""
    stored = _stored_people(uow, checked)
    slots: list[_Slot] = []
    by_person: dict[int, int] = {}
    by_key: dict[tuple[str, str], int] = {}
    of_row: list[int] = []
    claims: list[tuple[str, str, int]] = []
    errors: list[FieldError] = []
    for index, (key, _) in enumerate(checked):
        named = {}
        for ident in _keys(key):
            if ident in by_key:
                named[ident] = by_key[ident]
            elif ident in stored:
                named[ident] = by_person.setdefault(stored[ident], len(slots))
                if named[ident] == len(slots):
                    slots.append(_Slot(stored[ident]))
        if len(set(named.values())) > 1:
            errors.append(_conflict(key, index, stored))
            of_row.append(0)
            continue
        slot = next(iter(named.values()), None)
        if slot is None:
            slot = len(slots)
            slots.append(_Slot(None))
        slots[slot].rows.append(index)
        slots[slot].email = slots[slot].email or key.email
        slots[slot].external_id = slots[slot].external_id or key.external_id
        for ident in _keys(key):
            if ident not in by_key and ident not in stored:
                claims.append((*ident, slot))
            by_key.setdefault(ident, slot)
        of_row.append(slot)
    if errors:
        raise ValidationFailed(errors, f"no people stored: {errors[0].one_line()}")
    return slots, of_row, claims


def _conflict(key: PersonKey, index: int, stored: Mapping[tuple[str, str], int]) -> FieldError:
    by_id, by_email = (
        stored.get((EXTERNAL_KIND, key.external_id or "")),
        stored.get((EMAIL_KIND, key.email or "")),
    )
    if by_id is not None and by_email is not None:
        reason = f"belongs to person {by_email}, but external_id {key.external_id} to person {by_id}"
    else:
        reason = f"names another person than external_id {key.external_id} in an earlier record"
    return FieldError("email", key.email, reason, index)


def _values_of(
    slot: _Slot,
    checked: Sequence[CheckedPerson],
    traits: list[dict[str, Any]],
    accounts: list[int | None],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Column values and traits of a slot's records, later records winning; blank values left out."""
    values: dict[str, Any] = {}
    merged: dict[str, Any] = {}
    for i in slot.rows:
        values |= {k: v for k, v in person_values(checked[i][1]).items() if v is not None}
        merged |= traits[i]
        if accounts[i] is not None:
            values["account_id"] = accounts[i]
    return values, merged


def _create(
    uow: UnitOfWork,
    new: list[_Slot],
    checked: Sequence[CheckedPerson],
    traits: list[dict[str, Any]],
    accounts: list[int | None],
    defaults: Mapping[str, int],
    now: float,
) -> None:
    """Insert the new people in record order and announce each."""
    rows = []
    for slot in new:
        values, merged = _values_of(slot, checked, traits, accounts)
        if "account_id" not in values and slot.email:
            values["account_id"] = defaults.get(slot.email)
        rows.append({**NEW_PERSON, "created_ts": now, **values, "email": slot.email, "traits": merged})
    for slot, person_id in zip(new, uow.people.add_many(rows, now), strict=True):
        slot.person_id = person_id
    messages = [PersonCreated(person_id=_pid(s), email=s.email, external_id=s.external_id) for s in new]
    uow.outbox.add_many(list(messages), now)


def _claim(uow: UnitOfWork, claims: list[tuple[str, str, int]], slots: list[_Slot], now: float) -> None:
    """Add the new identities; one another writer added meanwhile makes the whole upsert run again."""
    wanted = [(kind, value, _pid(slots[s])) for kind, value, s in claims]
    lost = {(k, v) for k, v, _ in wanted} - uow.identities.claim_many(wanted, now)
    if lost:
        kind, value = min(lost)
        raise ChangedMeanwhile(f"{kind} {value} was given to a person by another writer meanwhile")


def _update(
    uow: UnitOfWork,
    stored: list[_Slot],
    checked: Sequence[CheckedPerson],
    traits: list[dict[str, Any]],
    accounts: list[int | None],
    now: float,
) -> set[int]:
    """Write what differs for the people already stored; the ids (of slots) of those that changed."""
    current = uow.people.columns_many({_pid(s) for s in stored})
    changed: set[int] = set()
    writes: dict[int, dict[str, Any]] = {}
    for slot in stored:
        values, merged = _values_of(slot, checked, traits, accounts)
        row = current.get(_pid(slot), {})
        if merged:
            values["traits"] = {**(row.get("traits") or {}), **merged}
        if slot.email and not row.get("email"):
            values["email"] = slot.email
        diff = {k: v for k, v in values.items() if row.get(k) != v}
        if "account_id" in diff:
            uow.events.set_account(_pid(slot), diff["account_id"])
        if diff:
            writes[_pid(slot)] = diff
            changed.add(id(slot))
    uow.people.update_many(writes, now)
    return changed
