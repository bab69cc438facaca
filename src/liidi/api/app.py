"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from sqlalchemy import Engine

from liidi import __version__
from liidi.api import docs, errors
from liidi.api.limits import BodyLimit
from liidi.api.params import check_query
from liidi.api.routes import (
    accounts,
    backtest,
    feedback,
    funnel_reports,
    health,
    history,
    ingest,
    lifecycle,
    models,
    notify,
    nurture,
    pacing,
    people,
    plans,
    reports,
    routing,
    scores,
    sla,
    targets,
)
from liidi.api.schemas import EventBatch
from liidi.bootstrap import make_engine
from liidi.config import Settings, get_settings
from liidi.services import backtest_jobs
from liidi.services.reasons import load_reasons
from liidi.services.unit_of_work import UnitOfWork

DESCRIPTION = """Person-based leads, identity resolution and event ingestion.

Authenticate with `Authorization: Bearer <key>`; create keys with `liidi keys create --scope ingest|admin`.
Errors are JSON: `{"error": {"code", "message", "errors": [{"index", "field", "value", "reason"}]}}`.
"""


def create_app(
    settings: Settings | None = None, engine: Engine | None = None, *, recover_jobs: bool = True
) -> FastAPI:
    """Build the app on a settings object and an engine (made from the settings if not given).

    With `recover_jobs`, starting the app fails the backtest jobs a stopped server left unfinished;
    `liidi serve` does that itself once its port is bound, and turns it off for its workers.
    """
    settings = settings or get_settings()
    app = FastAPI(
        title="liidi",
        version=__version__,
        description=DESCRIPTION,
        lifespan=_lifespan,
        dependencies=[Depends(check_query)],
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.reasons = load_reasons(settings.feedback_reasons)
    app.state.recover_jobs = recover_jobs
    app.state.engine = engine or make_engine(settings.database_url, echo=settings.sql_echo)
    errors.install(app)
    docs.install(app)
    for module in (
        health,
        ingest,
        people,
        lifecycle,
        feedback,
        history,
        accounts,
        models,
        scores,
        backtest,
        reports,
        funnel_reports,
        routing,
        nurture,
        sla,
        plans,
        targets,
        pacing,
    ):
        app.include_router(module.router)
    app.include_router(notify.webhooks_router)
    app.include_router(notify.outbox_router)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    _document_event_batch(app)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """At startup, fail the backtest jobs a stopped server left queued or running."""
    if app.state.recover_jobs:
        backtest_jobs.fail_interrupted(UnitOfWork(app.state.engine))
    yield


def _document_event_batch(app: FastAPI) -> None:
    """Publish the EventBatch schema, which the events route reads itself for speed."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = original()
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components["EventBatch"] = EventBatch.model_json_schema(
                ref_template="#/components/schemas/{model}"
            )
            components.update(components["EventBatch"].pop("$defs", {}))
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
