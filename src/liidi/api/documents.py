"""The body of a PUT of a configuration document (routing, SLA, nurture): JSON {source, …} or the YAML."""

from __future__ import annotations

import json
from typing import Any, Protocol, TypeVar

from fastapi import Request
from pydantic import Field, ValidationError
from starlette.concurrency import run_in_threadpool

from liidi.api.schemas import Strict
from liidi.errors import FieldError, ValidationFailed
from liidi.services.documents import Document
from liidi.services.unit_of_work import UnitOfWork

T_co = TypeVar("T_co", covariant=True)

YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain")
MAX_SOURCE = 1_000_000


class DocumentIn(Strict):
    """A configuration document's YAML to put in force (or send the YAML itself as an application/yaml
    body)."""

    source: str = Field(..., min_length=1, max_length=MAX_SOURCE, description="The document's YAML.")
    source_name: str | None = Field(None, max_length=200, description="A file name to show in problems.")
    author: str = Field("api", min_length=1, max_length=254, description="Who made the change.")


def request_body(source_help: str) -> dict[str, Any]:
    """OpenAPI `requestBody` of a document PUT: the JSON form, or the YAML text itself."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": DocumentIn.model_json_schema()},
                "application/yaml": {
                    "schema": {"type": "string", "minLength": 1, "description": source_help}
                },
            },
        }
    }


def document_body(content_type: str, raw: bytes) -> DocumentIn:
    """The document of a PUT: JSON {source, …}, or YAML text; ValidationFailed naming what is wrong."""
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            return DocumentIn.model_validate(json.loads(raw))
        except (ValueError, UnicodeDecodeError, RecursionError) as error:
            raise _refused(error) from None
    if kind and kind not in YAML_TYPES:
        reason = f"send application/json or application/yaml, not {kind}"
        raise ValidationFailed([FieldError("content-type", kind, reason)], f"request refused: {reason}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        reason = f"the YAML is not UTF-8 text (byte {error.start})"
        raise ValidationFailed([FieldError("body", None, reason)], f"request refused: {reason}") from None
    if not text.strip() or "\x00" in text:
        reason = "must not be empty" if not text.strip() else "must not contain the NUL character (\\u0000)"
        raise ValidationFailed([FieldError("body", None, reason)], f"request refused: body: {reason}")
    return DocumentIn(source=text)


def _refused(error: Exception) -> ValidationFailed:
    """A JSON body that does not parse or does not fit DocumentIn, naming the field, value and reason."""
    first = error.errors()[0] if isinstance(error, ValidationError) else None
    field = str(first["loc"][-1]) if first and first["loc"] else "body"
    reason = first["msg"] if first else f"not valid JSON: {str(error)[:200]}"
    value = first.get("input") if first else None
    value = (
        value[:200] if isinstance(value, str) else value if isinstance(value, int | float | None) else None
    )
    return ValidationFailed([FieldError(field, value, reason)], f"request refused: {field}: {reason}")


class Loader(Protocol[T_co]):
    """A service that checks a document's text and puts it in force."""

    def __call__(self, uow: UnitOfWork, *, text: str, source_name: str, author: str) -> T_co: ...


async def load_from_request(request: Request, uow: UnitOfWork, load: Loader[T_co]) -> T_co:
    """Read a PUT's document (JSON or YAML body) and load it with the service, off the event loop."""
    body = document_body(request.headers.get("content-type", ""), await request.body())
    name = body.source_name or "body"
    return await run_in_threadpool(lambda: load(uow, text=body.source, source_name=name, author=body.author))


def document_fields(doc: Document, created: bool, source: bool) -> dict[str, Any]:
    """What every configuration document's reply says of its version (its content goes between)."""
    return {
        "kind": doc.kind,
        "version": doc.version,
        "label": doc.label,
        "fingerprint": doc.fingerprint,
        "author": doc.author,
        "created_ts": doc.created_ts,
        "created": created,
        "source": doc.source if source else None,
    }
