"""Scoring model routes: add drafts, publish (which rescores everyone), list, read, diff (admin key)."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import Field

from liidi.api.deps import AdminKey, KeyedRoute, Uow, get_uow
from liidi.api.params import Version
from liidi.api.replies import DiffOut, PublishedOut, Reply, VersionOut, VersionSourceOut, VersionsOut
from liidi.api.responses import WRITE
from liidi.api.schemas import Strict
from liidi.domain.bounds import MAX_INT32
from liidi.services import models
from liidi.services.models import ModelVersion

router = APIRouter(prefix="/v1/models", tags=["scoring models"], responses=WRITE, route_class=KeyedRoute)


class ModelIn(Strict):
    """A scoring model's YAML to store as a draft."""

    source: str = Field(..., description="The model's YAML text, as in examples/scoring.yaml.", min_length=1)
    source_name: str | None = Field(None, description="A file name to show in errors (default: the body).")
    author: str = Field("api", description="Who made the change, e.g. an e-mail address.")


class CheckIn(Strict):
    """A scoring model's YAML to check, without storing it."""

    source: str = Field(..., description="The model's YAML text, as in examples/scoring.yaml.", min_length=1)
    source_name: str | None = Field(None, description="A file name to show in problems (default: the body).")
    data: bool = Field(False, description="Also compare the model with the store and return warnings.")


class WarningOut(Reply):
    """Something a rule reads that the store does not hold; it does not stop the model from loading."""

    field: str = Field(..., description="'line:column path' of what the rule reads.")
    value: Any = Field(None, description="The name or value that was not found.")
    reason: str
    source: str
    line: int
    column: int
    rule: str


class CheckOut(Reply):
    """A valid model; with `data`, the warnings of the comparison with the store and what was compared."""

    name: str
    rules: int
    fingerprint: str
    warnings: list[WarningOut] = Field(default_factory=list)
    people: int | None = Field(None, description="People compared with (null without `data`).")
    accounts: int | None = None
    events: int | None = None
    sampled: list[str] = Field(default_factory=list, description="What was read from a sample of rows.")


class PublishIn(Strict):
    """Who publishes."""

    author: str = Field("api", description="Who made the change, e.g. an e-mail address.")


def version_out(version: ModelVersion, source: bool = False) -> dict[str, Any]:
    """The JSON shape of a stored version (with its YAML when asked)."""
    data: dict[str, Any] = {
        "name": version.name,
        "version": version.version,
        "label": version.label,
        "status": version.status,
        "fingerprint": version.fingerprint,
        "created_ts": version.created_ts,
        "published_ts": version.published_ts,
        "author": version.author,
    }
    if source:
        data["source"] = version.source
    return data


@router.get("", response_model=VersionsOut)
def list_models(
    uow: Uow, _key: AdminKey, name: str | None = Query(None, description="Only this model's versions.")
) -> dict[str, Any]:
    """Every stored version, by model name and newest first."""
    return {"items": [version_out(v) for v in models.list_versions(uow, name=name)]}


@router.post("", response_model=VersionOut)
def add_model(body: ModelIn, uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """Check a model and store it as the next draft; 422 lists every problem with its line and column."""
    added = models.add_draft(
        uow, text=body.source, source_name=body.source_name or "body.source", author=body.author
    )
    return version_out(added)


@router.post("/check", response_model=CheckOut)
def check_model(body: CheckIn, uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """Check a model without storing it; 422 lists every problem; `data: true` adds warnings."""
    name = body.source_name or "body.source"
    model = models.check_model(body.source, name)
    rules = len(model.fit) + len(model.engagement) + len(model.signals) + len(model.product)
    out: dict[str, Any] = {"name": model.name, "rules": rules, "fingerprint": model.fingerprint()}
    if body.data:
        checked = models.check_model_data(uow, body.source, name)
        p = checked.profile
        out.update(people=p.people, accounts=p.accounts, events=p.events, sampled=list(p.sampled))
        out["warnings"] = [w.as_dict() for w in checked.warnings]
    return out


@router.get("/{name}/versions/{version}", response_model=VersionSourceOut)
def get_model(name: str, version: Version, uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """One version with its YAML source."""
    return version_out(models.get_version(uow, name=name, version=version), source=True)


@router.post("/{name}/versions/{version}/publish", response_model=PublishedOut)
def publish_model(
    name: str, version: Version, request: Request, _key: AdminKey, body: PublishIn | None = None
) -> dict[str, Any]:
    """Publish a version, retire the one published before, and rescore every person (may take a while)."""
    author = body.author if body else "api"
    done = models.publish(partial(get_uow, request), name=name, version=version, author=author)
    return {
        "name": done.name,
        "version": done.version,
        "label": done.label,
        "previous_version": done.previous_version,
        "rescored": done.rescored,
    }


@router.get("/{name}/diff", response_model=DiffOut)
def diff_models(
    name: str,
    uow: Uow,
    _key: AdminKey,
    a: int = Query(..., ge=1, le=MAX_INT32, description="The old version."),
    b: int = Query(..., ge=1, le=MAX_INT32, description="The new version."),
) -> dict[str, Any]:
    """What changed from version a to version b, one readable line per change."""
    changes = models.diff_versions(uow, name=name, a=a, b=b)
    return {"name": name, "a": a, "b": b, "changes": changes}
