"""Account routes: list, get, events, upsert (admin key)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from liidi.api.deps import AdminKey, KeyedRoute, Uow
from liidi.api.params import AccountId, After, Count, Events, Limit, TierFilter, value_of
from liidi.api.replies import AccountDetail, AccountsPage, AccountsUpserted
from liidi.api.responses import WRITE
from liidi.api.schemas import AccountsUpsert, account_out, event_out, page, person_out
from liidi.services import accounts, queries

router = APIRouter(prefix="/v1/accounts", tags=["accounts"], responses=WRITE, route_class=KeyedRoute)


@router.get("", response_model=AccountsPage)
def list_accounts(
    uow: Uow,
    _key: AdminKey,
    domain: str | None = None,
    industry: str | None = None,
    country: str | None = None,
    tier: TierFilter = None,
    owner: str | None = None,
    min_employees: Count = None,
    q: str | None = Query(None, description="Search in names and domains."),
    after: After = 0,
    limit: Limit = 50,
) -> dict[str, Any]:
    """Accounts matching the filters, in id order; follow `next_after` for the next page."""
    filters = {"domain": domain, "industry": industry, "country": country, "tier": value_of(tier)}
    filters["owner"] = owner
    filters |= {"min_employees": min_employees, "q": q}
    found = queries.list_accounts(uow, filters=filters, after=after, limit=limit)
    return page([account_out(a) for a in found], limit)


@router.post("", response_model=AccountsUpserted)
def upsert_accounts(body: AccountsUpsert, uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """Create or update accounts matched by external_id, then domain; all or nothing."""
    results = accounts.upsert_accounts(uow, records=body.records())
    return {"items": [{"account_id": r.account_id, "created": r.created} for r in results]}


@router.get("/{account_id:int}", response_model=AccountDetail)
def get_account(account_id: AccountId, uow: Uow, _key: AdminKey, events: Events = 20) -> dict[str, Any]:
    """An account with its people, recent events and opportunities."""
    view = queries.get_account(uow, account_id=account_id, events=events)
    return {
        **account_out(view.account),
        "people": [person_out(p) for p in view.people],
        "opportunities": view.opportunities,
        "recent_events": [event_out(e) for e in view.events],
    }
