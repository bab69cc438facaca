"""Identity resolution: one person per e-mail (R1), account matching by domain, anonymous stitching (R2)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from liidi.domain.accounts import name_from_domain
from liidi.domain.emails import email_domain, is_free_mail
from liidi.domain.intake import PersonFields
from liidi.domain.messages import PersonCreated
from liidi.domain.people import Person, role_from_title, seniority_from_title
from liidi.errors import FieldError, NotFound, ValidationFailed
from liidi.services.attributes import typed_traits_in
from liidi.services.unit_of_work import ChangedMeanwhile, UnitOfWork


@dataclass(frozen=True, slots=True)
class Resolved:
    """The person an identity resolved to, and whether it was created just now."""

    person_id: int
    created: bool


def live_person_id(uow: UnitOfWork, person_id: int) -> int:
    """Follow merges to the surviving person; NotFound if there is no such person."""
    seen = 0
    current = person_id
    while (survivor := uow.people.merged_into(current)) is not None and seen < 50:
        current, seen = survivor, seen + 1
    if seen == 0 and not uow.people.exists(person_id):
        raise NotFound(f"no person with id {person_id}")
    return current


def live_person(uow: UnitOfWork, person_id: int) -> Person:
    """The surviving person behind an id (merges followed); NotFound if there is none."""
    person = uow.people.get(live_person_id(uow, person_id))
    if person is None:
        raise NotFound(f"no person with id {person_id}")
    return person


def account_for_email(uow: UnitOfWork, email: str, now: float) -> int | None:
    """The account a work address belongs to, created on first sight; None for free-mail addresses."""
    domain = work_domain(email)
    return ensure_account(uow, domain, now) if domain else None


def work_domain(email: str) -> str | None:
    """The domain of a work address; None for free-mail addresses."""
    domain = email_domain(email)
    return None if is_free_mail(domain) else domain


def ensure_account(uow: UnitOfWork, domain: str, now: float) -> int:
    """The id of the account with this domain, creating a provisional one if needed (safe under races)."""
    return ensure_accounts_in(uow, {domain}, now)[domain]


def ensure_accounts_in(uow: UnitOfWork, domains: set[str], now: float) -> dict[str, int]:
    """Account ids by domain, the missing ones created in domain order (safe under concurrent writers).

    They are held (in domain order) until the transaction ends, as people are about to be filed under them.
    """
    found = uow.accounts.ids_by_domain(domains)
    missing = domains - found.keys()
    if missing:
        uow.accounts.add_missing([{"domain": d, "name": name_from_domain(d)} for d in missing], now)
        found |= uow.accounts.ids_by_domain(missing)
    uow.accounts.share(set(found.values()))
    return found


def explicit_account(uow: UnitOfWork, fields: PersonFields, now: float) -> int | None:
    """The account named explicitly in the input, which wins over the e-mail domain."""
    if fields.account_id is not None:
        if uow.accounts.get(fields.account_id) is None:
            raise ValidationFailed([FieldError("account_id", fields.account_id, "no account with this id")])
        uow.accounts.share({fields.account_id})
        return fields.account_id
    if fields.account_domain:
        return ensure_account(uow, fields.account_domain, now)
    return None


def person_values(fields: PersonFields) -> dict[str, Any]:
    """Column values for a person from checked fields, deriving role and seniority from the title."""
    values = dict(fields.values)
    if "title" in values:
        values["role"] = role_from_title(values["title"]).value
        values["seniority"] = seniority_from_title(values["title"]).value
    return values


def ensure_person(
    uow: UnitOfWork,
    email: str,
    now: float,
    fields: PersonFields | None = None,
    *,
    account_id: int | None = None,
) -> Resolved:
    """The person with this e-mail, created with its account if new (safe when two writers race).

    `account_id` is the account named explicitly in the input, already resolved by the caller.
    """
    existing = uow.identities.person_for("email", email)
    if existing is not None:
        return Resolved(live_person_id(uow, existing), False)
    fields = fields or PersonFields(values={})
    if account_id is None:
        account_id = explicit_account(uow, fields, now) or account_for_email(uow, email, now)
    values = {**person_values(fields), "account_id": account_id}
    if fields.traits:
        values["traits"] = typed_traits_in(uow, "people", fields.traits, now)
    return create_person_in(uow, email, values, now)


def ensure_people_in(uow: UnitOfWork, emails: set[str], now: float) -> tuple[dict[str, int], int]:
    """The person of each e-mail and how many were created: accounts first, then people, each in order."""
    found = uow.identities.people_for("email", emails)
    new = sorted(emails - found.keys())
    accounts = ensure_accounts_in(uow, {d for e in new if (d := work_domain(e))}, now)
    created = 0
    for email in new:
        domain = work_domain(email)
        resolved = create_person_in(uow, email, {"account_id": accounts.get(domain or "")}, now)
        found[email] = resolved.person_id
        created += int(resolved.created)
    return found, created


def create_person_in(uow: UnitOfWork, email: str, values: dict[str, Any], now: float) -> Resolved:
    """Add a person with this e-mail; if another writer added the e-mail first, their person instead."""
    values = {**values, "email": email}
    values.setdefault("lifecycle_stage", "lead")
    person_id = uow.people.add(values, now)
    if not uow.identities.claim("email", email, person_id, now):
        uow.people.delete_new(person_id)
        other = uow.identities.person_for("email", email)
        if other is None:
            raise ChangedMeanwhile(f"the person with e-mail {email} was removed while this request ran")
        return Resolved(live_person_id(uow, other), False)
    uow.outbox.add(PersonCreated(person_id=person_id, email=email), now)
    return Resolved(person_id, True)


def lock_people_in(uow: UnitOfWork, person_ids: set[int]) -> None:
    """Lock these people in id order before anything is written for them; each must still be live."""
    merged = {pid: into for pid, into in uow.people.lock(person_ids).items() if into is not None}
    if merged:
        pid, into = min(merged.items())
        raise ChangedMeanwhile(f"person {pid} was merged into person {into} while this request ran")


def update_person(
    uow: UnitOfWork, person_id: int, fields: PersonFields, now: float, *, account_id: int | None = None
) -> bool:
    """Apply checked attributes to a person; a named account re-files the person and their events.

    `account_id` is the explicitly named account, already resolved; without it, it is resolved here.
    Only values that differ from the stored ones are written; True when any did (the person's fit may
    have changed, so their score needs rebuilding).
    """
    values = person_values(fields)
    if account_id is None:
        account_id = explicit_account(uow, fields, now)
    if account_id is not None:
        values["account_id"] = account_id
        uow.events.set_account(person_id, account_id)
    current = uow.people.columns(person_id)
    if fields.traits:
        typed = typed_traits_in(uow, "people", fields.traits, now)
        values["traits"] = {**(current.get("traits") or {}), **typed}
    changed = {k: v for k, v in values.items() if v is not None and current.get(k) != v}
    uow.people.update(person_id, changed, now)
    return bool(changed)


def stitch_anonymous(uow: UnitOfWork, anonymous_id: str, person_id: int, now: float) -> int:
    """Tie an anonymous id to a person and give them its history; returns how many events moved.

    The caller holds the lock on the anonymous id (`uow.locks.hold("anonymous", ...)`) and on the person.
    """
    owner = uow.identities.person_for("anonymous", anonymous_id)
    if owner is None and not uow.identities.claim("anonymous", anonymous_id, person_id, now):
        owner = uow.identities.person_for("anonymous", anonymous_id)
    if owner is not None and owner != person_id:
        # A shared browser: later visits belong to the newest person; earlier history stays where it is.
        uow.identities.repoint("anonymous", anonymous_id, person_id)
    account_id = uow.people.account_ids({person_id}).get(person_id)
    return uow.events.attach_anonymous(anonymous_id, person_id, account_id)


def merged_traits(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    """Traits of a merge survivor: its own values win, the other's fill the gaps."""
    return {**b, **a}
