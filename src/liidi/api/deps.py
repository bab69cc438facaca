"""Dependencies declared once: the unit of work, the settings and API-key checks."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from liidi.config import Settings
from liidi.services.keys import Scope, authenticate
from liidi.services.unit_of_work import UnitOfWork

KEY_CACHE_SECONDS = 30.0
_bearer = HTTPBearer(auto_error=False, description="An API key from `liidi keys create`.")


def get_uow(request: Request) -> UnitOfWork:
    """A fresh unit of work on the app's engine."""
    return UnitOfWork(request.app.state.engine)


def get_settings(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


def _check(request: Request, creds: HTTPAuthorizationCredentials | None, needs: Scope) -> Scope:
    presented = creds.credentials if creds else request.headers.get("x-api-key")
    cache: dict[tuple[str, Scope], float] = request.app.state.key_cache
    now = time.monotonic()
    if presented and cache.get((presented, needs), 0.0) > now:
        return needs
    scope = authenticate(get_uow(request), presented=presented, needs=needs)
    cache[(presented or "", needs)] = now + KEY_CACHE_SECONDS
    return scope


def ingest_key(
    request: Request, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Scope:
    """Any valid key (ingest or admin)."""
    return _check(request, creds, Scope.INGEST)


def admin_key(
    request: Request, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Scope:
    """An admin key."""
    return _check(request, creds, Scope.ADMIN)


Uow = Annotated[UnitOfWork, Depends(get_uow)]
AppSettings = Annotated[Settings, Depends(get_settings)]
IngestKey = Annotated[Scope, Depends(ingest_key)]
AdminKey = Annotated[Scope, Depends(admin_key)]
