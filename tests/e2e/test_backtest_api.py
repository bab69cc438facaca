"""Backtests over HTTP: start a job, follow its progress, read the result, the chart and the HTML report."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from liidi.demo.generator import generate
from liidi.services.demo import load_demo
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import publish
from tests.e2e.conftest import Api

EXAMPLE = (Path(__file__).resolve().parents[2] / "examples" / "scoring.yaml").read_text(encoding="utf-8")
END = datetime(2026, 11, 1, tzinfo=UTC)
NAIVE = """model: core-services
engagement:
  - {name: page view, when: {event: page_view}, points: 1}
qualify:
  mql: engagement >= 3
"""
START = "/v1/models/core-services/versions/2/backtest"
WINDOW = {"from": "2026-09-01", "to": "2026-09-22", "every": "7d", "horizon": "30d"}


@pytest.fixture
def models(api: Api, engine: Engine) -> Api:
    """The naive model published as core-services v1 and the example model as draft v2."""
    publish(lambda: UnitOfWork(engine), NAIVE)
    reply = api.client.post("/v1/models", json={"source": EXAMPLE}, headers=api.admin)
    assert reply.status_code == 200 and reply.json()["version"] == 2, reply.text
    return api


@pytest.fixture
def market(models: Api, engine: Engine) -> Api:
    """The models over a small demo market."""
    dataset = generate(accounts=30, months=3, seed=4, end=END)
    load_demo(UnitOfWork(engine), dataset=dataset, now=END.timestamp())
    return models


def wait_for(api: Api, job_id: int) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job: dict[str, Any] = api.client.get(f"/v1/backtests/{job_id}", headers=api.admin).json()
        assert 0.0 <= job["progress"] <= 1.0
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"backtest {job_id} did not finish")


def test_a_backtest_runs_in_the_background_against_the_published_version(market: Api) -> None:
    reply = market.client.post(START, json=WINDOW | {"capacity": 3}, headers=market.admin)
    assert reply.status_code == 202, reply.text
    started = reply.json()
    assert started["status"] == "queued" and started["links"]["chart"].endswith("/chart.png")
    job = wait_for(market, started["id"])
    assert job["status"] == "done", job["error"]
    assert (job["params"]["from"], job["params"]["every"]) == ("2026-09-01T00:00:00Z", "7d")
    assert (job["params"]["model"], job["params"]["against"]) == ("core-services@v2", "core-services@v1")
    result = job["result"]
    assert result["schema"] == "liidi.backtest/1" and result["params"]["steps"] == 4
    assert set(result["models"]) == {"new", "against"}
    assert result["models"]["new"]["capacity"]["per_week"] == 3


def test_a_backtest_without_from_and_to_spans_the_stored_history(market: Api, engine: Engine) -> None:
    reply = market.client.post(START, json={"every": "7d", "horizon": "30d"}, headers=market.admin)
    assert reply.status_code == 202, reply.text
    job = wait_for(market, reply.json()["id"])
    assert job["status"] == "done", job["error"]
    with UnitOfWork(engine) as uow:
        first, last = uow.backtests.earliest_ts(), uow.backtests.latest_ts()
    assert first is not None and last is not None
    end = last - 30 * 86400
    wanted = (first - first % 86400, end - end % 86400)
    assert tuple(datetime.fromisoformat(job["params"][k]).timestamp() for k in ("from", "to")) == wanted


def test_a_backtest_without_a_window_over_an_empty_store_is_422(models: Api) -> None:
    reply = models.client.post(START, json={"to": "2026-09-22"}, headers=models.admin)
    assert reply.status_code == 422, reply.text
    assert reply.json()["error"]["errors"][0]["field"] == "from"


def test_the_chart_and_the_report_are_served_once_the_job_is_done(market: Api) -> None:
    job_id = market.client.post(START, json=WINDOW, headers=market.admin).json()["id"]
    wait_for(market, job_id)
    chart = market.client.get(f"/v1/backtests/{job_id}/chart.png", headers=market.admin)
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/png"
    assert chart.content.startswith(b"\x89PNG")
    page = market.client.get(f"/v1/backtests/{job_id}/report.html", headers=market.admin)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<svg" in page.text and "precision → opportunity" in page.text
    assert "<script" not in page.text and 'src="http' not in page.text and 'href="http' not in page.text


def test_the_chart_of_an_unfinished_job_is_409(api: Api, engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        job_id = uow.backtests.add({"status": "running", "progress": 0.5, "params": {}, "created_ts": 0.0})
        uow.commit()
    reply = api.client.get(f"/v1/backtests/{job_id}/chart.png", headers=api.admin)
    assert reply.status_code == 409 and "running" in reply.json()["error"]["message"]
    assert api.client.get(f"/v1/backtests/{job_id}", headers=api.admin).json()["progress"] == 0.5
    assert api.client.get("/v1/backtests/999", headers=api.admin).status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"from": "last tuesday"}, "from"),
        ({"to": "2026-13-01"}, "to"),
        ({"every": "0d"}, "every"),
        ({"every": "-7d"}, "every"),
        ({"horizon": "90"}, "horizon"),
        ({"to": "2026-08-01"}, "to"),
        ({"engine": "gpu"}, "engine"),
        ({"capacity": 0}, "capacity"),
        ({"against": "core-services@v9"}, "against"),
        ({"against": "latest"}, "against"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_a_bad_request_is_422_naming_the_field(models: Api, change: dict[str, Any], field: str) -> None:
    reply = models.client.post(START, json=WINDOW | change, headers=models.admin)
    assert reply.status_code == 422, reply.text
    assert reply.json()["error"]["errors"][0]["field"] == field


def test_an_unknown_model_version_is_404(models: Api) -> None:
    path = "/v1/models/core-services/versions/9/backtest"
    reply = models.client.post(path, json=WINDOW, headers=models.admin)
    assert reply.status_code == 404 and "version 9" in reply.json()["error"]["message"]


def test_backtests_need_an_admin_key(api: Api) -> None:
    assert api.client.post(START, json=WINDOW).status_code == 401
    assert api.client.post(START, json=WINDOW, headers=api.ingest).status_code == 403
    assert api.client.get("/v1/backtests/1", headers=api.ingest).status_code == 403
