"""Identity resolution: one person per e-mail (R1), account matching by domain, anonymous stitching (R2)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError

from liidi.domain.accounts import name_from_domain
from liidi.domain.emails import email_domain, is_free_mail
from liidi.domain.intake import PersonFields
from liidi.domain.messages import PersonCreated
from liidi.domain.people import Person, role_from_title, seniority_from_title
from liidi.errors import FieldError, NotFound, ValidationFailed
from liidi.services.unit_of_work import UnitOfWork


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
    domain = email_domain(email)
    if is_free_mail(domain):
        return None
    return ensure_account(uow, domain, now)


def ensure_account(uow: UnitOfWork, domain: str, now: float) -> int:
    """The id of the account with this domain, creating a provisional one if needed (safe under races)."""
    found = uow.accounts.by_domain(domain)
    if found is not None:
        return found.id
    try:
        with uow.conn.begin_nested():
            return uow.accounts.add({"domain": domain, "name": name_from_domain(domain)}, now)
    except IntegrityError:
        again = uow.accounts.by_domain(domain)
        if again is None:
            raise
        return again.id


def explicit_account(uow: UnitOfWork, fields: PersonFields, now: float) -> int | None:
    """The account named explicitly in the input, which wins over the e-mail domain."""
    if fields.account_id is not None:
        if uow.accounts.get(fields.account_id) is None:
            raise ValidationFailed([FieldError("account_id", fields.account_id, "no account with this id")])
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


def ensure_person(uow: UnitOfWork, email: str, now: float, fields: PersonFields | None = None) -> Resolved:
    """The person with this e-mail, created with its account if new (safe when two writers race)."""
    existing = uow.identities.person_for("email", email)
    if existing is not None:
        return Resolved(live_person_id(uow, existing), False)
    fields = fields or PersonFields(values={})
    account_id = explicit_account(uow, fields, now) or account_for_email(uow, email, now)
    values = {**person_values(fields), "email": email, "account_id": account_id}
    if fields.traits:
        values["traits"] = dict(fields.traits)
    values.setdefault("lifecycle_stage", "lead")
    try:
        with uow.conn.begin_nested():
            person_id = uow.people.add(values, now)
            uow.identities.add("email", email, person_id, now)
    except IntegrityError:
        again = uow.identities.person_for("email", email)
        if again is None:
            raise
        return Resolved(live_person_id(uow, again), False)
    uow.outbox.add(PersonCreated(person_id=person_id, email=email), now)
    return Resolved(person_id, True)


def update_person(uow: UnitOfWork, person_id: int, fields: PersonFields, now: float) -> None:
    """Apply checked attributes to a person; a named account re-files the person and their events."""
    values = person_values(fields)
    account_id = explicit_account(uow, fields, now)
    if account_id is not None:
        values["account_id"] = account_id
        uow.events.set_account(person_id, account_id)
    if fields.traits:
        current = uow.people.get(person_id)
        values["traits"] = {**(current.traits if current else {}), **fields.traits}
    uow.people.update(person_id, {k: v for k, v in values.items() if v is not None}, now)


def stitch_anonymous(uow: UnitOfWork, anonymous_id: str, person_id: int, now: float) -> int:
    """Tie an anonymous id to a person and give them its history; returns how many events moved."""
    owner = uow.identities.person_for("anonymous", anonymous_id)
    if owner is None:
        try:
            with uow.conn.begin_nested():
                uow.identities.add("anonymous", anonymous_id, person_id, now)
        except IntegrityError:
            owner = uow.identities.person_for("anonymous", anonymous_id)
    if owner is not None and owner != person_id:
        # A shared browser: later visits belong to the newest person; earlier history stays where it is.
        uow.identities.repoint("anonymous", anonymous_id, person_id)
    account_id = uow.people.account_ids({person_id}).get(person_id)
    return uow.events.attach_anonymous(anonymous_id, person_id, account_id)


def merged_traits(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    """Traits of a merge survivor: its own values win, the other's fill the gaps."""
    return {**b, **a}
