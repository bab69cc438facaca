"""Dependencies declared once: the unit of work, the settings and API-key checks."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from starlette.concurrency import run_in_threadpool

from liidi.config import Settings
from liidi.services.keys import Scope, authenticate, require
from liidi.services.unit_of_work import UnitOfWork

_bearer = HTTPBearer(auto_error=False, description="An API key from `liidi keys create`.")


def get_uow(request: Request) -> UnitOfWork:
    """A fresh unit of work on the app's engine."""
    return UnitOfWork(request.app.state.engine)


def get_settings(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


def presented_key(request: Request) -> str | None:
    """The key sent as `Authorization: Bearer <key>` or `X-API-Key: <key>`."""
    scheme, credentials = get_authorization_scheme_param(request.headers.get("authorization"))
    if scheme.lower() == "bearer" and credentials:
        return credentials
    return request.headers.get("x-api-key")


def check_key(request: Request, needs: Scope) -> Scope:
    """The scope of the request's key, looked up once per request (a revoked key fails at once)."""
    known: Scope | None = getattr(request.state, "key_scope", None)
    if known is None:
        known = authenticate(get_uow(request), presented=presented_key(request), needs=needs)
        request.state.key_scope = known
    return require(known, needs)


def ingest_key(
    request: Request, _creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Scope:
    """Any valid key (ingest or admin)."""
    return check_key(request, Scope.INGEST)


def admin_key(
    request: Request, _creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Scope:
    """An admin key."""
    return check_key(request, Scope.ADMIN)


class KeyedRoute(APIRoute):
    """A route that checks its API key before reading the body: 401 and 403 come before 422."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The normal handler, preceded by the key check when the route asks for a key."""
        handler = super().get_route_handler()
        needs = _needs(self.dependant)
        if needs is None:
            return handler

        async def keyed(request: Request) -> Response:
            await run_in_threadpool(check_key, request, needs)
            return await handler(request)

        return keyed


def _needs(dependant: Dependant) -> Scope | None:
    """The strongest scope a route's dependencies ask for, or None for a route without a key."""
    found = {admin_key: Scope.ADMIN, ingest_key: Scope.INGEST}
    scopes = {found[d.call] for d in _flat(dependant) if d.call in found}
    return Scope.ADMIN if Scope.ADMIN in scopes else next(iter(scopes), None)


def _flat(dependant: Dependant) -> list[Dependant]:
    return [dependant, *(d for sub in dependant.dependencies for d in _flat(sub))]


Uow = Annotated[UnitOfWork, Depends(get_uow)]
AppSettings = Annotated[Settings, Depends(get_settings)]
IngestKey = Annotated[Scope, Depends(ingest_key)]
AdminKey = Annotated[Scope, Depends(admin_key)]
