"""`liidi report funnel|velocity|calibration|mix` and GET /v1/reports/… end to end on a hand-worked store."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from liidi.cli import app
from tests import funnel_support
from tests.e2e.conftest import Api


def run(cli: CliRunner, *args: str) -> tuple[int, str]:
    result = cli.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.fixture
def loaded(engine: Engine) -> None:
    funnel_support.load(engine)


@pytest.mark.usefixtures("loaded")
def test_the_funnel_table_fits_80_columns_and_shows_every_group(cli: CliRunner) -> None:
    code, out = run(cli, "report", "funnel", "--by", "lead_tool")
    assert code == 0, out
    assert all(len(line) <= 80 for line in out.splitlines())
    assert "contact_form" in out and "newsletter" in out
    deals = out.split("Deals\n", 1)[1].splitlines()
    assert deals[-1].split()[:5] == ["total", "4", "1", "2", "1"]


@pytest.mark.usefixtures("loaded")
def test_the_funnel_speaks_json_and_csv(cli: CliRunner) -> None:
    code, out = run(cli, "report", "funnel", "--by", "owner", "--json")
    assert code == 0, out
    data = json.loads(out)
    assert data["total"]["reached"]["customer"] == 1
    assert {g["key"]: g["win_rate"] for g in data["deals"]} == {"ana": 1.0, "bo": 0.5}
    code, out = run(cli, "report", "funnel", "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[-1]["group"] == "total" and rows[-1]["cust"] == "1"


@pytest.mark.usefixtures("loaded")
def test_velocity_and_mix_print_tables_with_whole_names(cli: CliRunner) -> None:
    code, out = run(cli, "report", "velocity", "--by", "owner")
    assert code == 0, out
    assert "to first touch" in out and "ana" in out
    code, out = run(cli, "report", "mix")
    assert code == 0, out
    assert "marketing" in out and "60.0%" in out


@pytest.mark.usefixtures("loaded")
def test_calibration_writes_a_png_and_an_html_chart(cli: CliRunner, tmp_path: Path) -> None:
    code, out = run(cli, "report", "calibration", "--chart", str(tmp_path / "c.png"))
    assert code == 0, out
    assert (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"
    code, out = run(cli, "report", "funnel", "--chart", str(tmp_path / "f.html"))
    page = (tmp_path / "f.html").read_text(encoding="utf-8")
    assert "<svg" in page and "http://" not in page.split("<svg", 1)[0]


@pytest.mark.usefixtures("loaded")
@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("funnel", "--by", "shoe_size"), "by"),
        (("funnel", "--from", "2026-03-01", "--to", "2026-01-01"), "until"),
        (("velocity", "--engine", "spark"), "engine"),
        (("funnel", "--engine", "duckdb"), "parquet"),
        (("calibration", "--band", "0"), "band"),
        (("calibration", "--band", "nan"), "band"),
        (("funnel", "--chart", "out.pdf"), ".png"),
        (("funnel", "--from", "99999999999999999999999"), "--from"),
    ],
)
def test_bad_options_are_one_line_errors(cli: CliRunner, args: tuple[str, ...], said: str) -> None:
    code, out = run(cli, "report", *args)
    assert code != 0
    assert said in out


@pytest.mark.usefixtures("loaded")
def test_the_api_answers_json_and_csv(api: Api) -> None:
    got = api.client.get("/v1/reports/funnel?by=industry", headers=api.admin)
    assert got.status_code == 200, got.text
    assert {g["key"]: g["won"] for g in got.json()["deals"]} == {"retail": 0, "software": 2}
    got = api.client.get("/v1/reports/velocity?format=csv", headers=api.admin)
    assert got.headers["content-type"].startswith("text/csv")
    assert "to close (won)" in got.text
    got = api.client.get("/v1/reports/calibration?model=m", headers=api.admin)
    assert [r["key"] for r in got.json()["grades"]] == ["A", "B", "C"]
    got = api.client.get("/v1/reports/mix", headers=api.admin)
    assert {s["sourced_by"] for s in got.json()["sides"]} == {"marketing", "sales", "(none)"}


@pytest.mark.usefixtures("loaded")
@pytest.mark.parametrize(
    "query",
    [
        "/v1/reports/funnel?by=nope",
        "/v1/reports/funnel?since=1e400",
        "/v1/reports/funnel?since=2026-02-01&until=2026-01-01",
        "/v1/reports/velocity?since=99999999999999999999999",
        "/v1/reports/calibration?band=nan",
        "/v1/reports/calibration?band=0",
        "/v1/reports/calibration?model=a%00b",
        "/v1/reports/mix?shoe=1",
        "/v1/reports/funnel?format=xml",
    ],
)
def test_hostile_queries_are_4xx_with_a_json_body(api: Api, query: str) -> None:
    got = api.client.get(query, headers=api.admin)
    assert 400 <= got.status_code < 500, got.text
    assert got.json()


def test_the_reports_need_an_admin_key(api: Api) -> None:
    assert api.client.get("/v1/reports/funnel", headers=api.ingest).status_code in (401, 403)


@pytest.mark.usefixtures("loaded")
def test_duckdb_over_liidi_export_history_prints_the_store_s_figures(cli: CliRunner, tmp_path: Path) -> None:
    code, out = run(cli, "export", "history", "--parquet", str(tmp_path / "layout"))
    assert code == 0, out
    assert "stages_flat.parquet" in out
    code, here = run(cli, "report", "funnel", "--by", "industry", "--json")
    code, there = run(
        cli,
        "report",
        "funnel",
        "--by",
        "industry",
        "--engine",
        "duckdb",
        "--parquet",
        str(tmp_path / "layout"),
        "--json",
    )
    assert code == 0, there
    assert {**json.loads(here), "engine": ""} == {**json.loads(there), "engine": ""}
