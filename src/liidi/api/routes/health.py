"""Liveness and store counts (no key needed for liveness)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from liidi import __version__
from liidi.api.deps import AdminKey, KeyedRoute, Uow
from liidi.api.replies import HealthOut
from liidi.api.responses import READ
from liidi.services import queries

router = APIRouter(tags=["service"], route_class=KeyedRoute)


@router.get("/health", response_model=HealthOut)
def health() -> dict[str, Any]:
    """The server is up."""
    return {"status": "ok", "version": __version__}


@router.get("/v1/stats", responses=READ)
def stats(uow: Uow, _key: AdminKey) -> dict[str, int]:
    """How many people, accounts and events the store holds."""
    return queries.counts(uow)
