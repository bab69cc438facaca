"""Lifecycle routes: move a person by hand and read their stage history (admin key)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import Field

from liidi.api.deps import AdminKey, KeyedRoute, Uow
from liidi.api.params import PersonId
from liidi.api.replies import LifecycleOut, TransitionOut
from liidi.api.responses import WRITE
from liidi.api.schemas import Strict
from liidi.domain.lifecycle import Stage
from liidi.services import lifecycle

router = APIRouter(prefix="/v1/people", tags=["lifecycle"], responses=WRITE, route_class=KeyedRoute)


class TransitionIn(Strict):
    """A manual stage change."""

    to: Stage = Field(..., description="The stage to move to.")
    reason: str | None = Field(None, description="Required reason code when recycling or disqualifying.")
    actor: str = Field("api", description="Who made the change, e.g. the rep's e-mail.")


@router.post("/{person_id:int}/transition", response_model=TransitionOut)
def post_transition(person_id: PersonId, body: TransitionIn, uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """Move a person to another stage; a disallowed move answers 409 with the allowed ones."""
    done = lifecycle.transition(
        uow, person_id=person_id, to=body.to.value, actor=body.actor, reason=body.reason
    )
    return {
        "person_id": done.person_id,
        "from": done.from_stage,
        "to": done.to_stage,
        "actor": done.actor,
        "reason": done.reason,
        "occurred_ts": done.occurred_ts,
    }


@router.get("/{person_id:int}/lifecycle", response_model=LifecycleOut)
def get_lifecycle(person_id: PersonId, uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """A person's stage, allowed next moves, recycle count and full history."""
    return lifecycle.history(uow, person_id=person_id)
