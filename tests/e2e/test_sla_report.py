"""`liidi sla report` and GET /v1/sla/report end to end, with bad input."""

from __future__ import annotations

import csv
import io
import json

from typer.testing import CliRunner

from liidi.cli import app
from tests.e2e.conftest import Api
from tests.integration.test_sla_report import hand_over_three
from tests.routing_support import NewUow

PERIOD = ["--since", "2026-10-26", "--until", "2026-10-27"]


def test_the_report_by_owner_is_a_table_at_80_columns_json_and_csv(cli: CliRunner, new_uow: NewUow) -> None:
    hand_over_three(new_uow)
    shown = cli.invoke(app, ["sla", "report", *PERIOD, "--by", "owner"], env={"COLUMNS": "80"})
    assert shown.exit_code == 0, shown.output
    assert shown.output.startswith("SLA clocks started from 2026-10-26 to 2026-10-27: 3")
    assert "@firma.fi" in shown.output and "…" not in shown.output.splitlines()[-1]
    assert all(len(line) <= 80 for line in shown.output.splitlines())
    owners = {line.split()[0] for line in shown.output.splitlines() if "@firma.fi" in line}
    assert owners and all(o.endswith("@firma.fi") for o in owners)
    data = json.loads(cli.invoke(app, ["sla", "report", *PERIOD, "--json"]).output)
    assert (data["total"]["clocks"], data["total"]["met"], data["total"]["late"]) == (3, 1, 1)
    table = cli.invoke(app, ["sla", "report", *PERIOD, "--by", "team", "--csv"]).output
    rows = list(csv.DictReader(io.StringIO(table)))
    assert [(r["team"], r["clocks"]) for r in rows] == [("nordics", "3"), ("total", "3")]


def test_bad_report_options_exit_non_zero_naming_the_option(cli: CliRunner) -> None:
    cases = [
        (["--since", "2026-11-02", "--until", "2026-11-01"], "until"),
        (["--by", "colour"], "colour"),
        (["--since", "nan"], "--since"),
    ]
    for options, named in cases:
        result = cli.invoke(app, ["sla", "report", *options])
        assert result.exit_code != 0 and named in result.output, (options, result.output)
        assert "Traceback" not in result.output


def test_get_sla_report_groups_by_motion_and_refuses_bad_parameters(api: Api, new_uow: NewUow) -> None:
    hand_over_three(new_uow)
    reply = api.client.get("/v1/sla/report?since=2026-10-26&until=2026-10-27&by=month", headers=api.admin)
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert [(g["key"], g["clocks"]) for g in body["groups"]] == [("2026-10", 3)]
    assert body["total"]["breached"] == 1 and body["total"]["p90_hours"] == 0.5
    for query, field in [
        ("since=2026-11-02&until=2026-11-01", "until"),
        ("by=colour", "by"),
        ("since=nan", "since"),
        ("until=inf", "until"),
    ]:
        bad = api.client.get(f"/v1/sla/report?{query}", headers=api.admin)
        assert bad.status_code == 422, (query, bad.text)
        assert bad.json()["error"]["errors"][0]["field"] == field
    assert api.client.get("/v1/sla/report", headers=api.ingest).status_code == 403
