"""One JSON error body for every error reply: liidi errors, request validation, HTTP errors and crashes."""

from __future__ import annotations

import logging
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Match

from liidi.errors import (
    Conflict,
    Forbidden,
    InvalidTransition,
    LiidiError,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
    ValidationFailed,
)

log = logging.getLogger(__name__)

STATUS: list[tuple[type[LiidiError], int]] = [
    (ValidationFailed, 422),
    (NotFound, 404),
    (InvalidTransition, 409),
    (Conflict, 409),
    (Unauthorized, 401),
    (Forbidden, 403),
    (PayloadTooLarge, 413),
]
HTTP_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def status_for(error: LiidiError) -> int:
    """The HTTP status for a liidi error."""
    for kind, status in STATUS:
        if isinstance(error, kind):
            return status
    return 400


def error_body(error: LiidiError) -> dict[str, Any]:
    """The JSON body for a liidi error."""
    body: dict[str, Any] = {"code": error.code, "message": error.message}
    if isinstance(error, ValidationFailed):
        body["errors"] = [e.as_dict() | {"value": shown(e.value)} for e in error.errors]
    if isinstance(error, InvalidTransition):
        body["allowed"] = error.allowed
    return {"error": body}


def _from_pydantic(exc: RequestValidationError, method: str) -> dict[str, Any]:
    errors = []
    for item in exc.errors():
        loc = [part for part in item.get("loc", ()) if part != "body"]
        where = loc[0] if loc and loc[0] in ("query", "path", "header") else None
        loc = loc[1:] if where else loc
        index = next((p for p in loc if isinstance(p, int)), None)
        names = [str(p) for p in loc if not isinstance(p, int)]
        field = names[-1] if names else "body"
        entry: dict[str, Any] = {"field": field, "value": shown(item.get("input"))}
        entry["reason"] = item.get("msg", "invalid")
        if index is not None:
            entry["index"] = index
        errors.append(entry)
    first = errors[0] if errors else {"field": "body", "reason": "invalid"}
    refused = "request refused" if method in SAFE_METHODS else "request refused, nothing stored"
    message = f"{refused}: {first['field']}: {first['reason']}"
    return {"error": {"code": "validation_error", "message": message, "errors": errors}}


def shown(value: Any, depth: int = 0) -> Any:
    """A refused value as JSON can echo it: NaN and infinities as text, deep or odd values cut short."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dict | list) and depth >= 3:
        return "…"
    if isinstance(value, dict):
        return {str(k): shown(v, depth + 1) for k, v in list(value.items())[:20]}
    if isinstance(value, list | tuple):
        return [shown(v, depth + 1) for v in list(value)[:20]]
    return str(value)


def _from_http(request: Request, exc: HTTPException) -> tuple[int, dict[str, Any]]:
    """A Starlette or FastAPI HTTP error (unknown route, wrong method, unreadable body) in the one shape."""
    if isinstance(exc.__cause__, RecursionError):
        reason = "JSON nested too deeply to parse"
        body = {"code": "validation_error", "message": f"request refused: body: {reason}"}
        return 422, {"error": body | {"errors": [{"field": "body", "value": None, "reason": reason}]}}
    if exc.status_code == 400:
        reason = "the body is not valid JSON"
        body = {"code": "validation_error", "message": f"request refused: body: {reason}"}
        return 422, {"error": body | {"errors": [{"field": "body", "value": None, "reason": reason}]}}
    code = HTTP_CODES.get(exc.status_code, "http_error")
    if exc.status_code == 404:
        message = f"no such route: {request.method} {request.url.path}"
    elif exc.status_code == 405:
        allowed = _allowed_methods(request)
        exc.headers = {**(exc.headers or {}), "Allow": allowed}
        message = f"{request.method} is not allowed on {request.url.path}; allowed: {allowed}"
    else:
        message = str(exc.detail)
    return exc.status_code, {"error": {"code": code, "message": message}}


def _allowed_methods(request: Request) -> str:
    """Every method some route serves at this path (Starlette names only the first route's)."""
    allowed = []
    for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"):
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.routes):
            allowed.append(method)
    return ", ".join(allowed)


def install(app: FastAPI) -> None:
    """Register the handlers on an app."""

    @app.exception_handler(LiidiError)
    async def _liidi(_request: Request, exc: LiidiError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else None
        return JSONResponse(error_body(exc), status_code=status_for(exc), headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(_from_pydantic(exc, request.method), status_code=422)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        status, body = _from_http(request, exc)
        return JSONResponse(
            body, status_code=status, headers=exc.headers if status == exc.status_code else None
        )

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        message = "internal error; the request was not completed"
        return JSONResponse({"error": {"code": "internal_error", "message": message}}, status_code=500)
