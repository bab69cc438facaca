"""The documented error replies: one JSON body for every status, declared on every route."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class FieldProblem(BaseModel):
    """One reason a request was refused."""

    field: str = Field(
        ..., description="The field, parameter or header at fault ('body' for the whole body)."
    )
    value: Any = Field(None, description="The refused value, cut short when long.")
    reason: str
    index: int | None = Field(None, description="The item of a list (e.g. the event) the problem is in.")


class ErrorDetail(BaseModel):
    """What went wrong."""

    code: str = Field(..., description="validation_error, spec_error, unauthorized, forbidden, not_found, …")
    message: str = Field(..., description="One line for people.")
    errors: list[FieldProblem] | None = Field(None, description="Every problem of a refused input.")
    allowed: list[str] | None = Field(None, description="On invalid_transition: the stages allowed next.")


class ErrorOut(BaseModel):
    """The one error body of every error reply."""

    error: ErrorDetail


def _reply(description: str) -> dict[str, Any]:
    return {"model": ErrorOut, "description": description}


UNAUTHORIZED = {401: _reply("No key, or an unknown or revoked key.")}
FORBIDDEN = {403: _reply("The key's scope does not allow this call.")}
NOT_FOUND = {404: _reply("No such person, account, model, job or route.")}
CONFLICT = {409: _reply("The call contradicts the current state.")}
TOO_LARGE = {413: _reply("The body is over the size limit.")}
INVALID = {422: _reply("A parameter or the body was refused; `errors` names each field.")}

READ: dict[int | str, dict[str, Any]] = {**UNAUTHORIZED, **FORBIDDEN, **NOT_FOUND, **INVALID}
WRITE: dict[int | str, dict[str, Any]] = {**READ, **CONFLICT, **TOO_LARGE}


def as_json(responses: dict[int | str, dict[str, Any]]) -> dict[int | str, dict[str, Any]]:
    """The same error replies for a route whose success is not JSON (a PNG, an HTML page)."""
    ref = {"schema": {"$ref": "#/components/schemas/ErrorOut"}}
    return {
        status: {"description": reply["description"], "content": {"application/json": ref}}
        for status, reply in responses.items()
    }
