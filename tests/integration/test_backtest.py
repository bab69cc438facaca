"""Backtests on a demo market in the store: the true-signal model beats a naive one, and jobs are recorded."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from liidi.demo.generator import generate
from liidi.domain.scoring import ScoringModel
from liidi.engines import registry
from liidi.engines.batch import BatchEngine, BatchRow, StepScores
from liidi.errors import NotFound, ValidationFailed
from liidi.presentation import backtest as report
from liidi.services import backtest, backtest_jobs
from liidi.services.demo import load_demo
from liidi.services.models import add_draft
from liidi.services.unit_of_work import UnitOfWork

END = datetime(2026, 11, 1, tzinfo=UTC)
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "scoring.yaml"
NAIVE = """model: naive
description: Any three page views make an MQL.
engagement:
  - {name: page view, when: {event: page_view}, points: 1}
hand_raisers: [contact_request, demo_request, order]
qualify:
  mql: engagement >= 3
"""


def load(new_uow: Callable[[], UnitOfWork], accounts: int, months: int) -> None:
    load_demo(
        new_uow(), dataset=generate(accounts=accounts, months=months, seed=7, end=END), now=END.timestamp()
    )
    add_draft(new_uow(), text=NAIVE, source_name="naive.yaml", author="test", now=END.timestamp())


def test_the_true_signal_model_beats_any_three_page_views_on_precision(
    new_uow: Callable[[], UnitOfWork],
) -> None:
    load(new_uow, accounts=200, months=6)
    new = backtest.side_from_text(EXAMPLE.read_text(encoding="utf-8"), "examples/scoring.yaml")
    naive = backtest.pick_model(new_uow(), ref="naive@v1")
    params = backtest.check_params(
        start="2026-06-01", end="2026-07-20", every="7d", horizon="90d", capacity=5
    )
    result = backtest.run_backtest(new_uow, new=new, against=naive, params=params)

    good, bad = result["models"]["new"], result["models"]["against"]
    assert result["params"]["steps"] == 8 and len(good["per_step"]) == 8
    assert good["totals"]["mqls"] > 0 and bad["totals"]["mqls"] > 3 * good["totals"]["mqls"]
    assert good["precision"]["opportunity"]["share"] > 2 * bad["precision"]["opportunity"]["share"]
    assert good["precision"]["sql"]["share"] > bad["precision"]["sql"]["share"]
    assert bad["capacity"]["steps_over"] > good["capacity"]["steps_over"]
    assert good["lift"]["bands"][-1]["lift"] > 1.5
    assert any("page view" in line for line in result["comparison"]["spec_changes"])
    assert result["comparison"]["drivers"]["only_against"]["rules"][0]["rule"] == "page view"
    assert json.loads(report.to_json(result)) == result

    text = rendered(result)
    precision_row = next(line for line in text.splitlines() if "precision → opportunity" in line)
    share = f"{100 * good['precision']['opportunity']['share']:.1f} %"
    assert share in precision_row and precision_row.rstrip(" │").endswith("new")


def rendered(result: dict[str, object]) -> str:
    console = Console(width=160, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(report.terminal(result))
    return console.export_text()


def test_a_job_records_its_progress_and_result_and_a_failure_its_error(
    new_uow: Callable[[], UnitOfWork],
) -> None:
    load(new_uow, accounts=30, months=3)
    add_draft(new_uow(), text=EXAMPLE.read_text(encoding="utf-8"), source_name="e.yaml", author="t")
    params = backtest.check_params(start="2026-09-01", end="2026-09-15", every="7d", horizon="30d")
    ran: list[Callable[[], None]] = []
    job_id = backtest_jobs.start_job(
        new_uow, name="core-services", version=1, params=params, against="naive@v1", background=ran.append
    )
    assert backtest_jobs.get_job(new_uow(), job_id=job_id)["status"] == "queued"
    ran[0]()
    job = backtest_jobs.get_job(new_uow(), job_id=job_id)
    assert (job["status"], job["progress"], job["error"]) == ("done", 1.0, None)
    assert job["params"]["against"] == "naive@v1" and job["result"]["params"]["steps"] == 3
    assert job["started_ts"] <= job["finished_ts"]
    assert backtest_jobs.finished_result(new_uow(), job_id=job_id)["schema"] == "liidi.backtest/1"

    broken = backtest.Params(params.start, params.end, "7d", "30d", None, "no-such-engine")
    failing = backtest_jobs.start_job(
        new_uow,
        name="core-services",
        version=1,
        params=broken,
        against="naive@v1",
        background=lambda work: work(),
    )
    assert backtest_jobs.get_job(new_uow(), job_id=failing)["status"] == "failed"
    assert "no-such-engine" in backtest_jobs.get_job(new_uow(), job_id=failing)["error"]


def test_comparing_with_a_published_version_needs_one(new_uow: Callable[[], UnitOfWork]) -> None:
    add_draft(new_uow(), text=NAIVE, source_name="naive.yaml", author="test")
    with pytest.raises(NotFound):
        backtest.pick_model(new_uow(), ref="published", name="naive")
    params = backtest.check_params(start="2026-09-01", end="2026-09-15")
    with pytest.raises(ValidationFailed) as caught:
        backtest_jobs.start_job(new_uow, name="naive", version=1, params=params, background=lambda work: None)
    assert caught.value.errors[0].field == "against"
    with pytest.raises(NotFound):
        backtest_jobs.start_job(new_uow, name="naive", version=7, params=params, against="naive@v1")


class ColumnEngine:
    """The reference engine behind score_steps: everyone at every step as columns, in one call."""

    name = "columns"

    def __init__(self, inner: BatchEngine) -> None:
        self.inner, self.calls = inner, 0

    def score_many(self, model: ScoringModel, as_of: Sequence[float]) -> dict[float, list[BatchRow]]:
        raise AssertionError("a backtest should ask for columns")

    def score_steps(self, model: ScoringModel, steps: Sequence[float]) -> StepScores:
        self.calls += 1
        return StepScores.from_rows(self.inner.score_many(model, steps))


def test_an_engine_that_scores_steps_as_columns_gives_the_same_report(
    new_uow: Callable[[], UnitOfWork], monkeypatch: pytest.MonkeyPatch
) -> None:
    load(new_uow, accounts=30, months=3)
    engines: list[ColumnEngine] = []

    @contextmanager
    def columns(source: registry.Source) -> Iterator[BatchEngine]:
        with registry.RUNNERS["reference"].open(source) as inner:
            engines.append(ColumnEngine(inner))
            yield engines[-1]

    monkeypatch.setitem(registry.RUNNERS, "columns", registry.Runner("columns", "people", columns))
    new = backtest.side_from_text(EXAMPLE.read_text(encoding="utf-8"), "examples/scoring.yaml")
    naive = backtest.pick_model(new_uow(), ref="naive@v1")
    reports: dict[str, dict[str, Any]] = {}
    shown: dict[str, list[float]] = {}
    for engine in ("reference", "columns"):
        params = backtest.check_params(start="2026-09-01", end="2026-10-06", horizon="30d", engine=engine)
        tell = shown.setdefault(engine, []).append
        reports[engine] = backtest.run_backtest(new_uow, new=new, against=naive, params=params, progress=tell)
        reports[engine].pop("timing")
        reports[engine]["params"].pop("engine")
    assert reports["columns"] == reports["reference"] and engines[0].calls == 2
    assert shown["columns"] == sorted(shown["columns"]) and shown["columns"][-1] == 1.0
