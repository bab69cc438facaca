"""Read side: people and accounts with their events, paginated by id cursors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from liidi.domain.accounts import Account
from liidi.domain.bounds import MAX_INT64
from liidi.domain.emails import normalise_email
from liidi.domain.events import Event
from liidi.domain.people import Person
from liidi.errors import FieldError, NotFound, ValidationFailed
from liidi.services.attributes import attributes_of
from liidi.services.identity import live_person
from liidi.services.nurture_catalog import nurture_of_in
from liidi.services.unit_of_work import UnitOfWork

PERSON_FILTERS = frozenset(
    {"email", "account_id", "lifecycle_stage", "role", "seniority", "owner", "consent", "q"}
)
ACCOUNT_FILTERS = frozenset({"domain", "industry", "country", "tier", "owner", "min_employees", "q"})
MAX_PAGE = 500


@dataclass(frozen=True, slots=True)
class PersonView:
    """A person with what a rep needs to read them."""

    person: Person
    account: Account | None
    identities: list[tuple[str, str]]
    lifecycle: list[dict[str, Any]]
    merges: list[dict[str, Any]]
    events: list[Event]
    event_count: int
    merged_from: int | None = None
    attributes: list[dict[str, Any]] = field(default_factory=list)
    assignments: list[dict[str, Any]] = field(default_factory=list)
    nurture: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class AccountView:
    """An account with its people, recent events and deals."""

    account: Account
    people: list[Person]
    events: list[Event]
    opportunities: list[dict[str, Any]] = field(default_factory=list)


def _check_page(filters: dict[str, Any], allowed: frozenset[str], limit: int) -> dict[str, Any]:
    unknown = sorted(set(filters) - allowed)
    if unknown:
        raise ValidationFailed(
            [FieldError(unknown[0], filters[unknown[0]], f"unknown filter; use {sorted(allowed)}")]
        )
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationFailed([FieldError("limit", limit, f"must be between 1 and {MAX_PAGE}")])
    return {k: v for k, v in filters.items() if v is not None}


def list_people(uow: UnitOfWork, *, filters: dict[str, Any], after: int = 0, limit: int = 50) -> list[Person]:
    """People matching filters, in id order after a cursor."""
    clean = _check_page(filters, PERSON_FILTERS, limit)
    if "email" in clean:
        clean["email"] = normalise_email(str(clean["email"]))
    with uow:
        return uow.people.list(filters=clean, after=after, limit=limit)


def list_accounts(
    uow: UnitOfWork, *, filters: dict[str, Any], after: int = 0, limit: int = 50
) -> list[Account]:
    """Accounts matching filters, in id order after a cursor."""
    clean = _check_page(filters, ACCOUNT_FILTERS, limit)
    with uow:
        return uow.accounts.list(filters=clean, after=after, limit=limit)


def person_id_for_email(uow: UnitOfWork, email: str) -> int:
    """The person an e-mail belongs to."""
    with uow:
        found = uow.identities.person_for("email", normalise_email(email))
    if found is None:
        raise NotFound(f"no person with e-mail {email}")
    return found


def person_id_for(uow: UnitOfWork, ref: str) -> int:
    """The person an e-mail (anything with an @) or an id in the CRM names."""
    if "@" in ref:
        return person_id_for_email(uow, ref)
    with uow:
        found = uow.identities.person_for("external_id", ref)
    if found is None:
        raise NotFound(f"no person with e-mail or CRM id {ref}")
    return found


def account_id_for(uow: UnitOfWork, ref: str) -> int:
    """The account an id or a domain ('kivikoski.fi', 'www.kivikoski.fi', 'https://kivikoski.fi/') names."""
    text = ref.strip()
    if text.isdigit():
        if int(text) > MAX_INT64:
            raise NotFound(f"no account with id or domain {ref}")
        return int(text)
    domain = text.lower().removeprefix("https://").removeprefix("http://").removeprefix("www.").rstrip("/")
    with uow:
        found = uow.accounts.by_domain(domain)
    if found is None:
        raise NotFound(f"no account with id or domain {ref}")
    return found.id


def get_person(
    uow: UnitOfWork, *, person_id: int, events: int = 50, before: float | None = None
) -> PersonView:
    """A person (following merges to the survivor) with account, identities, history and recent events."""
    with uow:
        person = live_person(uow, person_id)
        live = person.id
        account = uow.accounts.get(person.account_id) if person.account_id else None
        return PersonView(
            person=person,
            account=account,
            identities=uow.identities.of_person(live),
            lifecycle=uow.lifecycle.history(live),
            merges=uow.merges.into(live),
            events=uow.events.for_person(live, before=before, limit=events),
            event_count=uow.events.count(person_id=live),
            merged_from=person_id if live != person_id else None,
            attributes=attributes_of(uow, "people", person.traits),
            assignments=uow.assignments.history(live),
            nurture=nurture_of_in(uow, live),
        )


def get_account(
    uow: UnitOfWork, *, account_id: int, events: int = 50, before: float | None = None
) -> AccountView:
    """An account with its people, recent events and opportunities."""
    with uow:
        account = uow.accounts.get(account_id)
        if account is None:
            raise NotFound(f"no account with id {account_id}")
        return AccountView(
            account=account,
            people=uow.people.list(filters={"account_id": account_id}, after=0, limit=MAX_PAGE),
            events=uow.events.for_account(account_id, before=before, limit=events),
            opportunities=uow.opportunities.for_account(account_id),
        )


def counts(uow: UnitOfWork) -> dict[str, int]:
    """How many people, accounts and events the store holds."""
    with uow:
        return {"people": uow.people.count(), "accounts": uow.accounts.count(), "events": uow.events.count()}
