"""Loading the past (admin key): dated stage changes and deals from a CRM, in batches of up to 1,000."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import Field, StrictFloat, StrictInt, StrictStr

from liidi.api.deps import AdminKey, KeyedRoute, Uow
from liidi.api.replies import DealsLoaded, HistoryLoaded
from liidi.api.responses import WRITE
from liidi.api.schemas import Strict
from liidi.domain.bounds import MAX_INT64
from liidi.domain.lifecycle import Stage
from liidi.services import history

router = APIRouter(prefix="/v1", tags=["history"], responses=WRITE, route_class=KeyedRoute)
BATCH = 1000
Text = str | None
Moment = StrictStr | StrictFloat | StrictInt
When = Moment | None
Number = StrictFloat | StrictInt | None


class DatedChangeIn(Strict):
    """A stage change that happened at a known moment; it names its person by one of three ids."""

    email: Text = Field(None, max_length=254)
    external_id: Text = Field(None, max_length=200, description="The person's id in the CRM.")
    person_id: StrictInt | None = Field(None, ge=1, le=MAX_INT64)
    to: Stage = Field(..., description="The stage moved to; stages may be skipped when loading the past.")
    occurred_at: Moment = Field(..., description="ISO 8601 time or epoch seconds; not in the future.")
    actor: Text = Field(None, max_length=254, description="Who made the change; default 'import'.")
    reason: Text = Field(None, max_length=200)
    amount: Number = Field(None, description="e.g. the value of a won deal.")


class HistoryBatch(Strict):
    """Dated stage changes; all or nothing, and a change already stored is skipped."""

    changes: list[DatedChangeIn] = Field(..., min_length=1, max_length=BATCH)


class DealIn(Strict):
    """An opportunity, matched by its CRM id; person and account are optional."""

    external_id: str = Field(..., min_length=1, max_length=200)
    name: Text = Field(None, max_length=300)
    email: Text = Field(None, max_length=254, description="The person's e-mail.")
    person_external_id: Text = Field(None, max_length=200)
    account_domain: Text = Field(None, max_length=253)
    account_external_id: Text = Field(None, max_length=200)
    account_name: Text = Field(None, max_length=300)
    amount: Number = None
    currency: Text = Field(None, max_length=3, description="Three letters; default EUR.")
    stage: Text = Field(None, max_length=50, description="open, won or lost (Won, Closed Lost, … accepted).")
    created_at: When = Field(None, description="ISO 8601 time or epoch seconds; default now.")
    closed_at: When = None
    lost_reason: Text = Field(None, max_length=100)
    owner: Text = Field(None, max_length=254)


class DealsBatch(Strict):
    """Deals to create or update; all or nothing."""

    deals: list[DealIn] = Field(..., min_length=1, max_length=BATCH)


@router.post("/history", response_model=HistoryLoaded)
def post_history(body: HistoryBatch, uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """Store dated stage changes; a person's stage becomes that of their latest change by time."""
    records = [c.model_dump(mode="json", exclude_none=True) for c in body.changes]
    done = history.import_history(uow, records=records)
    return {"records": done.records, "created": done.created, "already_stored": done.already_stored}


@router.post("/deals", response_model=DealsLoaded)
def post_deals(body: DealsBatch, uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """Create or update opportunities by external_id; deals sent again unchanged are counted as such."""
    records = [d.model_dump(mode="json", exclude_none=True) for d in body.deals]
    done = history.import_deals(uow, records=records)
    return {
        "records": done.records,
        "created": done.created,
        "updated": done.updated,
        "unchanged": done.unchanged,
    }
