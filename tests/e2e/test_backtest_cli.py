"""`liidi backtest` end to end: two model files over a demo market, the terminal report and its files."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from liidi.cli import app, common
from liidi.demo.generator import generate
from liidi.services.demo import load_demo
from liidi.services.unit_of_work import UnitOfWork

EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "scoring.yaml")
END = datetime(2026, 11, 1, tzinfo=UTC)
NAIVE = """model: naive
engagement:
  - {name: page view, when: {event: page_view}, points: 1}
qualify:
  mql: engagement >= 3
"""
WINDOW = ["--from", "2026-09-01", "--to", "2026-09-22", "--horizon", "30d"]


@pytest.fixture(autouse=True)
def wide_terminal(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """The side-by-side report needs a wide terminal, whatever terminal runs the tests."""
    monkeypatch.setattr(common.console, "_width", 200)


def run(cli: CliRunner, *args: str) -> tuple[int, str]:
    result = cli.invoke(app, ["backtest", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_backtest_prints_both_models_side_by_side_and_writes_json_html_and_png(
    cli: CliRunner, engine: Engine, tmp_path: Path
) -> None:
    load_demo(
        UnitOfWork(engine), dataset=generate(accounts=30, months=3, seed=4, end=END), now=END.timestamp()
    )
    naive = tmp_path / "naive.yaml"
    naive.write_text(NAIVE, encoding="utf-8")
    out = {kind: tmp_path / f"report.{kind}" for kind in ("json", "html", "png")}
    files = [arg for kind, path in out.items() for arg in (f"--{kind}", str(path))]
    code, text = run(cli, "--model", EXAMPLE, "--against", str(naive), *WINDOW, "--capacity", "3", *files)
    assert code == 0, text
    assert "new: core-services (scoring.yaml)" in text and "against: naive (naive.yaml)" in text
    assert "precision → opportunity" in text and "leads per week vs capacity 3" in text
    result = json.loads(out["json"].read_text(encoding="utf-8"))
    assert result["schema"] == "liidi.backtest/1" and result["params"]["steps"] == 4
    mql_row = next(line for line in text.splitlines() if line.startswith("│ MQLs "))
    assert mql_row.split("│")[2].strip() == str(result["models"]["new"]["totals"]["mqls"])
    assert out["png"].read_bytes().startswith(b"\x89PNG")
    assert "<svg" in out["html"].read_text(encoding="utf-8")


def test_backtest_refuses_a_bad_step_naming_the_option(cli: CliRunner, tmp_path: Path) -> None:
    code, text = run(cli, "--model", EXAMPLE, "--against", "naive@v1", *WINDOW, "--every", "0d")
    assert code == 65 and "every" in text


def test_backtest_against_published_needs_a_published_version(cli: CliRunner) -> None:
    code, text = run(cli, "--model", EXAMPLE, *WINDOW)
    assert code == 66 and "no published version" in text


def test_backtest_without_from_and_to_spans_the_stored_history(
    cli: CliRunner, engine: Engine, tmp_path: Path
) -> None:
    load_demo(
        UnitOfWork(engine), dataset=generate(accounts=30, months=3, seed=4, end=END), now=END.timestamp()
    )
    with UnitOfWork(engine) as uow:
        first, last = uow.backtests.earliest_ts(), uow.backtests.latest_ts()
    assert first is not None and last is not None
    out = tmp_path / "report.json"
    code, text = run(cli, "--model", EXAMPLE, "--against", EXAMPLE, "--horizon", "30d", "--json", str(out))
    assert code == 0, text
    params = json.loads(out.read_text(encoding="utf-8"))["params"]
    start, end = (datetime.fromisoformat(params[k]).timestamp() for k in ("from", "to"))
    assert start == first - first % 86400 and end == (last - 30 * 86400) - (last - 30 * 86400) % 86400
    assert params["steps"] > 1 and f"{params['from'][:10]} → {params['to'][:10]}" in text


def test_backtest_on_an_empty_store_asks_for_the_window(cli: CliRunner) -> None:
    code, text = run(cli, "--model", EXAMPLE, "--against", EXAMPLE)
    assert code == 65 and "from" in text and "no history" in text
