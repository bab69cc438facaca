"""Backtest routes: start a replay of history for a model version, follow it, read its chart and report."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import ConfigDict, Field

from liidi.api.deps import AdminKey, KeyedRoute, Uow, get_uow
from liidi.api.params import JobId, Version
from liidi.api.replies import JobOut
from liidi.api.responses import WRITE, as_json
from liidi.api.schemas import Strict
from liidi.presentation import backtest as report
from liidi.services import backtest, backtest_jobs

router = APIRouter(prefix="/v1", tags=["backtests"], route_class=KeyedRoute)


class BacktestIn(Strict):
    """The window to replay and what to compare with; see docs/backtest.md."""

    model_config = ConfigDict(populate_by_name=True)

    start: str | float | None = Field(
        None, alias="from", description="The first step: a date, ISO time or epoch s; default: first arrival."
    )
    to: str | float | None = Field(
        None, description="No step after this date or time; default the latest record less the horizon."
    )
    every: str = Field("7d", description="Time between steps, e.g. 36h, 7d, 2w.")
    horizon: str = Field("90d", description="How long after a step outcomes count.")
    against: str = Field("published", description="'published' (this model's published version) or name@vN.")
    capacity: float | None = Field(None, description="Leads sales can take per week.")
    engine: str = Field(
        "reference", description="Batch engine: reference, sqlite, postgres, duckdb or spark."
    )


def job_out(job: dict[str, Any]) -> dict[str, Any]:
    """The JSON shape of a job, with links to its chart and report."""
    base = f"/v1/backtests/{job['id']}"
    keys = (
        "id",
        "status",
        "progress",
        "params",
        "error",
        "created_ts",
        "started_ts",
        "finished_ts",
        "result",
    )
    links = {"self": base, "chart": f"{base}/chart.png", "report": f"{base}/report.html"}
    return {key: job.get(key) for key in keys} | {"links": links}


@router.post(
    "/models/{name}/versions/{version}/backtest", status_code=202, responses=WRITE, response_model=JobOut
)
def start_backtest(
    name: str, version: Version, body: BacktestIn, request: Request, _key: AdminKey
) -> dict[str, Any]:
    """Start a backtest of this version against another in the background; poll GET /v1/backtests/{id}."""
    params = backtest.check_params(
        start=body.start,
        end=body.to,
        every=body.every,
        horizon=body.horizon,
        capacity=body.capacity,
        engine=body.engine,
        new_uow=partial(get_uow, request),
    )
    job_id = backtest_jobs.start_job(
        partial(get_uow, request), name=name, version=version, params=params, against=body.against
    )
    return job_out({"id": job_id, "status": "queued", "progress": 0.0})


@router.get("/backtests/{job_id}", responses=WRITE, response_model=JobOut)
def get_backtest(job_id: JobId, uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """A backtest's status and progress (0–1), and its result (docs/backtest.md) once done."""
    return job_out(backtest_jobs.get_job(uow, job_id=job_id))


PNG = {
    200: {
        "content": {"image/png": {"schema": {"type": "string", "format": "binary"}}},
        "description": "A PNG.",
    }
}


@router.get("/backtests/{job_id}/chart.png", response_class=Response, responses={**PNG, **as_json(WRITE)})
def get_backtest_chart(job_id: JobId, uow: Uow, _key: AdminKey) -> Response:
    """MQLs per week and precision per step of both models, as a PNG (409 until the job is done)."""
    return Response(report.png(backtest_jobs.finished_result(uow, job_id=job_id)), media_type="image/png")


@router.get("/backtests/{job_id}/report.html", response_class=HTMLResponse, responses=as_json(WRITE))
def get_backtest_report(job_id: JobId, uow: Uow, _key: AdminKey) -> HTMLResponse:
    """The self-contained HTML report (409 until the job is done)."""
    return HTMLResponse(report.html_page(backtest_jobs.finished_result(uow, job_id=job_id)))
