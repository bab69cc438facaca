"""SLA routes (admin key): put sla.yaml in force and read it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from liidi.api.deps import AdminKey, KeyedRoute, Uow
from liidi.api.replies import Reply
from liidi.api.responses import WRITE
from liidi.api.routes.routing import RoutingIn, routing_body
from liidi.domain.sla import SlaPolicies, SlaPolicy
from liidi.services import sla
from liidi.services.sla import LoadedSla
from liidi.services.unit_of_work import UnitOfWork

router = APIRouter(prefix="/v1", tags=["sla"], responses=WRITE, route_class=KeyedRoute)
SOURCE_HELP = "The SLA document's YAML, as in examples/sla.yaml."


class SlaOut(Reply):
    """The SLA in force: its version, who loaded it, its calendar and policies (times in seconds of
    working time)."""

    kind: str
    version: int
    label: str
    fingerprint: str
    author: str
    created_ts: float
    created: bool = Field(..., description="True when this request stored a new version.")
    calendar: dict[str, Any]
    policies: list[dict[str, Any]]
    source: str | None = None


BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": RoutingIn.model_json_schema()},
            "application/yaml": {"schema": {"type": "string", "minLength": 1, "description": SOURCE_HELP}},
        },
    }
}


@router.put("/sla", response_model=SlaOut, openapi_extra=BODY)
async def put_sla(request: Request, uow: Uow, _key: AdminKey) -> JSONResponse:
    """Check an SLA document and put it in force; 422 lists every problem with its line and column.

    Send JSON `{"source": "<yaml>"}` or the YAML itself with `Content-Type: application/yaml`. The same
    document again stores nothing new (`created: false`)."""
    body = routing_body(request.headers.get("content-type", ""), await request.body())
    loaded = await run_in_threadpool(_load, uow, body)
    return JSONResponse(sla_out(loaded))


def _load(uow: UnitOfWork, body: RoutingIn) -> LoadedSla:
    name = body.source_name or "body"
    return sla.load_sla(uow, text=body.source, source_name=name, author=body.author)


@router.get("/sla", response_model=SlaOut)
def get_sla(uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """The SLA in force with its YAML; 404 when none was loaded."""
    return sla_out(sla.show_sla(uow), source=True)


def sla_out(loaded: LoadedSla, source: bool = False) -> dict[str, Any]:
    """The JSON of the SLA in force."""
    doc = loaded.document
    return {
        "kind": doc.kind,
        "version": doc.version,
        "label": doc.label,
        "fingerprint": doc.fingerprint,
        "author": doc.author,
        "created_ts": doc.created_ts,
        "created": loaded.created,
        "calendar": _calendar(loaded.policies),
        "policies": [_policy(p) for p in loaded.policies.policies],
        "source": doc.source if source else None,
    }


def _calendar(policies: SlaPolicies) -> dict[str, Any]:
    c = policies.calendar
    return {
        "time_zone": str(c.zone),
        "hours": c.hours.describe(),
        "country": c.country,
        "subdivision": c.subdivision,
        "closed": len(c.closed),
    }


def _policy(policy: SlaPolicy) -> dict[str, Any]:
    m = policy.match
    wanted = (("qualified_by", m.qualified_by), ("motion", m.motion), ("grade", m.grade))
    return {
        "name": policy.name,
        "when": {k: sorted(v) for k, v in wanted if v},
        "respond_within": policy.respond_within,
        "warn_before": policy.warn_before,
        "escalate": [{"after": s.after, "action": s.action.value} for s in policy.ladder.steps],
    }
