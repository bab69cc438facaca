"""`--chart` on the hand-over reports: `liidi sla report` and `liidi routing report` write a PNG or a
self-contained HTML page, and refuse other files before doing any work."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine
from typer.testing import CliRunner

from liidi.cli import app
from tests.e2e.test_routing_cli import routed
from tests.integration.test_sla_report import hand_over_three
from tests.routing_support import NewUow

PNG = b"\x89PNG\r\n\x1a\n"
PERIOD = ["--since", "2026-10-01", "--until", "2026-11-01"]


def test_the_sla_report_draws_its_groups_as_png_and_html_beside_clean_json(
    cli: CliRunner, new_uow: NewUow, tmp_path: Path
) -> None:
    hand_over_three(new_uow)
    png, page = tmp_path / "sla.png", tmp_path / "sla.html"
    shown = cli.invoke(app, ["sla", "report", *PERIOD, "--by", "owner", "--json", "--chart", str(png)])
    assert shown.exit_code == 0, shown.output
    assert png.read_bytes().startswith(PNG)
    shown = cli.invoke(app, ["sla", "report", *PERIOD, "--by", "owner", "--chart", str(page)])
    html = page.read_text(encoding="utf-8")
    assert "<svg" in html and "anna@firma.fi" in html and "<script" not in html
    assert "src=" not in html and 'href="http' not in html, "nothing is fetched from elsewhere"


def test_the_fairness_report_draws_leads_against_weight(
    cli: CliRunner, engine: Engine, tmp_path: Path
) -> None:
    routed(engine, tmp_path)
    out = tmp_path / "fair.html"
    shown = cli.invoke(app, ["routing", "report", *PERIOD, "--json", "--chart", str(out)])
    assert shown.exit_code == 0, shown.output
    assert {i["owner"] for i in json.loads(shown.stdout)} >= {"anna@firma.fi", "bert@firma.fi"}
    page = out.read_text(encoding="utf-8")
    assert "Routing fairness" in page and "<td>bert@firma.fi</td>" in page


def test_a_chart_file_that_cannot_be_written_is_refused_before_the_report_runs(
    cli: CliRunner, tmp_path: Path
) -> None:
    for command in (["sla", "report"], ["routing", "report"]):
        wrong = cli.invoke(app, [*command, "--chart", str(tmp_path / "chart.pdf")])
        assert wrong.exit_code == 65 and "--chart" in wrong.output and ".pdf" in wrong.output
        nowhere = cli.invoke(app, [*command, "--chart", str(tmp_path / "missing" / "chart.png")])
        assert nowhere.exit_code == 65 and "does not exist" in nowhere.output
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("chart") or p.name == "missing"]


def test_the_plan_and_the_acceptance_report_draw_their_charts(cli: CliRunner, tmp_path: Path) -> None:
    seed = ["--revenue", "50000", "--deal-size", "10000", "--win-rate", "20%"]
    seed += ["--meeting-to-proposal", "1/3", "--contact-to-meeting", "20%", "--period", "2026-12"]
    page = tmp_path / "plan.html"
    shown = cli.invoke(app, ["plan", *seed, "--chart", str(page)])
    assert shown.exit_code == 0, shown.output
    html = page.read_text(encoding="utf-8")
    assert "375 contacts" in html and "<svg" in html and "<script" not in html
    png = tmp_path / "acceptance.png"
    shown = cli.invoke(app, ["report", "acceptance", "--chart", str(png)])
    assert shown.exit_code == 0, shown.output
    assert png.read_bytes().startswith(PNG)
    wrong = cli.invoke(app, ["plan", *seed, "--chart", str(tmp_path / "plan.svg")])
    assert wrong.exit_code == 65 and not (tmp_path / "plan.svg").exists()
