"""Translate liidi errors and request validation errors to JSON replies."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

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

STATUS: list[tuple[type[LiidiError], int]] = [
    (ValidationFailed, 422),
    (NotFound, 404),
    (InvalidTransition, 409),
    (Conflict, 409),
    (Unauthorized, 401),
    (Forbidden, 403),
    (PayloadTooLarge, 413),
]


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
        body["errors"] = [e.as_dict() for e in error.errors]
    if isinstance(error, InvalidTransition):
        body["allowed"] = error.allowed
    return {"error": body}


def _from_pydantic(exc: RequestValidationError) -> dict[str, Any]:
    errors = []
    for item in exc.errors():
        loc = [part for part in item.get("loc", ()) if part != "body"]
        index = next((p for p in loc if isinstance(p, int)), None)
        names = [str(p) for p in loc if not isinstance(p, int)]
        field = names[-1] if names else "body"
        value = item.get("input")
        entry: dict[str, Any] = {"field": field, "value": value if _jsonable(value) else str(value)}
        entry["reason"] = item.get("msg", "invalid")
        if index is not None:
            entry["index"] = index
        errors.append(entry)
    first = errors[0] if errors else {"field": "body", "reason": "invalid"}
    message = f"request refused, nothing stored: {first['field']}: {first['reason']}"
    return {"error": {"code": "validation_error", "message": message, "errors": errors}}


def _jsonable(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool | list | dict)


def install(app: FastAPI) -> None:
    """Register the handlers on an app."""

    @app.exception_handler(LiidiError)
    async def _liidi(_request: Request, exc: LiidiError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else None
        return JSONResponse(error_body(exc), status_code=status_for(exc), headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(_from_pydantic(exc), status_code=422)
