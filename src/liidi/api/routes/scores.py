"""Score routes: a person's explained score cards and the hot-lead list (admin key)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Query

from liidi.api.deps import AdminKey, KeyedRoute, Uow
from liidi.api.params import (
    AccountId,
    AsOf,
    GradeFilter,
    Limit,
    PersonId,
    StageFilter,
    as_of_moment,
    value_of,
)
from liidi.api.replies import LeadsOut, RollupOut, ScoreOut
from liidi.api.responses import WRITE
from liidi.api.schemas import account_out, person_out
from liidi.domain.events import from_epoch
from liidi.domain.scoring import ScoreCard
from liidi.services import lead_sla, leads, routing

router = APIRouter(prefix="/v1", tags=["scoring"], responses=WRITE, route_class=KeyedRoute)


def card_out(card: ScoreCard) -> dict[str, Any]:
    """A score card as JSON, times also in ISO 8601."""
    data = asdict(card)
    data["as_of"] = from_epoch(card.as_of_ts).isoformat()
    data["qualified_at"] = from_epoch(card.qualified_at_ts).isoformat() if card.qualified_at_ts else None
    data["qualified"] = card.is_qualified
    return data


@router.get("/people/{person_id:int}/score", response_model=ScoreOut)
def get_score(person_id: PersonId, uow: Uow, _key: AdminKey, as_of: AsOf = None) -> dict[str, Any]:
    """The person's score card under every published model: points per rule, signals, verdict, explanation."""
    cards = leads.person_cards(uow, person_id=person_id, as_of=as_of_moment(as_of))
    return {"person_id": person_id, "cards": [card_out(c) for c in cards]}


@router.get("/leads", response_model=LeadsOut)
def get_leads(
    uow: Uow,
    _key: AdminKey,
    hot: bool = Query(
        True,
        description="Only open leads that qualify now (hand-raiser, PQL or MQL): no customers, no "
        "disqualified people and nobody already in an open opportunity unless with_open_deals.",
    ),
    with_open_deals: bool = Query(False, description="With hot: also people already in an open opportunity."),
    model: str | None = Query(None, description="Model name; default the first published."),
    grade: GradeFilter = None,
    stage: StageFilter = None,
    theme: str | None = None,
    owner: str | None = Query(
        None,
        description="A rep's own list: with hot, their open leads whether or not they qualify today.",
        max_length=254,
    ),
    waiting: bool = Query(
        False,
        description="With owner: only leads whose response SLA still waits, oldest breach first, then "
        "open ones by due time.",
    ),
    limit: Limit = 50,
) -> dict[str, Any]:
    """Leads by score as of now, with grade, themes, buying stage, why (the top points, as explained) and,
    for leads handed over, the response SLA: status, due time and business time waited."""
    filters = {"grade": value_of(grade), "stage": value_of(stage), "theme": theme, "owner": owner}
    found = leads.hot_leads(
        uow,
        model=model,
        hot=hot,
        filters=filters,
        limit=limit,
        with_open_deals=with_open_deals,
        waiting=waiting,
    )
    return {
        "items": [
            {
                "person": person_out(lead.person),
                "account": account_out(lead.account) if lead.account else None,
                "score": lead.card.score,
                "grade": lead.card.grade,
                "qualified": lead.card.is_qualified,
                "qualified_by": lead.card.qualified_by,
                "themes": [t.theme for t in lead.card.themes],
                "buying_stage": lead.card.buying_stage,
                "why": [asdict(reason) | {"text": reason.text} for reason in lead.why],
                "assignment": routing.assignment_item(lead.assignment),
                "sla": lead_sla.sla_item(lead.sla),
            }
            for lead in found
        ]
    }


@router.get("/accounts/{account_id:int}/score", response_model=RollupOut)
def get_account_score(
    account_id: AccountId,
    uow: Uow,
    _key: AdminKey,
    model: str | None = None,
    top_k: int = Query(3, ge=1, le=50),
) -> dict[str, Any]:
    """Account roll-up: sum, maximum and top-k of its people's scores, and buying-group roles engaged."""
    return asdict(leads.account_rollup(uow, account_id=account_id, model=model, top_k=top_k))
