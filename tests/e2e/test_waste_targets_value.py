"""`liidi report waste|targets|value`, `liidi targets` and their routes end to end, with hostile input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from sqlalchemy import Engine
from typer.testing import CliRunner

from liidi.cli import app
from tests.e2e.conftest import Api
from tests.report_fixture import ICP, build

PERIOD = ["--since", "2026-10-31", "--until", "2026-11-30"]
QUERY = "since=2026-10-31&until=2026-11-30"


def load_icp(cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "icp.yaml"
    path.write_text(ICP, encoding="utf-8")
    loaded = cli.invoke(app, ["targets", "load", str(path), "--author", "test"])
    assert loaded.exit_code == 0 and "icp@v1 now in force" in loaded.output, loaded.output


def test_waste_prints_tables_at_80_columns_json_csv_and_a_chart(
    cli: CliRunner, engine: Engine, tmp_path: Path
) -> None:
    build(engine)
    shown = cli.invoke(
        app, ["report", "waste", *PERIOD, "--chart", str(tmp_path / "w.png")], env={"COLUMNS": "80"}
    )
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith("Waste from 2026-10-31 to 2026-11-30: 4 leads handed over")
    assert all(len(line) <= 80 for line in shown.output.splitlines())
    assert "never_worked" in shown.output and "not_a_fit" in shown.output
    assert (tmp_path / "w.png").read_bytes().startswith(b"\x89PNG")
    data = json.loads(cli.invoke(app, ["report", "waste", *PERIOD, "--json"]).output)
    assert data["measures"][0] == {
        "measure": "never_worked",
        "count": 3,
        "people": 2,
        "value": 0.0,
        "estimated_value": 10000.0,
    }
    rows = list(csv.DictReader(io.StringIO(cli.invoke(app, ["report", "waste", *PERIOD, "--csv"]).output)))
    assert [r["measure"] for r in rows][:2] == ["never_worked", "closed_without_reason"]
    assert {r["reason"] for r in rows if r["measure"] == "deal_lost"} == {"(none)", "price"}


def test_targets_load_import_and_report_show_whole_domains_at_80_columns(
    cli: CliRunner, engine: Engine, tmp_path: Path
) -> None:
    build(engine)
    load_icp(cli, tmp_path)
    listed = tmp_path / "most-wanted.csv"
    listed.write_text("domain,tier\nlong-domain-name-of-a-target.example.fi,\n", encoding="utf-8")
    imported = cli.invoke(app, ["targets", "import", str(listed)])
    assert imported.exit_code == 0 and "1 new" in imported.output, imported.output
    shown = cli.invoke(
        app,
        ["report", "targets", "--as-of", "2026-11-10", "--chart", str(tmp_path / "t.html")],
        env={"COLUMNS": "80"},
    )
    assert shown.exit_code == 0, shown.output
    assert all(len(line) <= 80 for line in shown.output.splitlines())
    assert "long-domain-name-of-a-target.example.fi" in shown.output
    assert "acme.fi" in shown.output and "3/4" in shown.output
    page = (tmp_path / "t.html").read_text(encoding="utf-8")
    assert "<svg" in page and "http://" not in page.replace("http://www.w3.org", "")
    data = json.loads(cli.invoke(app, ["report", "targets", "--as-of", "2026-11-10", "--json"]).output)
    assert data["accounts"][0]["roles_missing"] == ["finance"]


def test_value_prints_a_table_and_json(cli: CliRunner, engine: Engine) -> None:
    build(engine)
    shown = cli.invoke(app, ["report", "value", *PERIOD], env={"COLUMNS": "80"})
    assert shown.exit_code == 0 and "pipeline influenced" in shown.output, shown.output
    data = json.loads(cli.invoke(app, ["report", "value", *PERIOD, "--json"]).output)
    assert (data["conversations"], data["pipeline_influenced_value"]) == (3, 33000.0)


def test_acceptance_by_channel_prints_the_groups(cli: CliRunner, engine: Engine) -> None:
    build(engine)
    shown = cli.invoke(app, ["report", "acceptance", *PERIOD, "--by", "channel"], env={"COLUMNS": "80"})
    assert shown.exit_code == 0 and "webinar" in shown.output, shown.output
    rows = list(
        csv.DictReader(
            io.StringIO(cli.invoke(app, ["report", "acceptance", *PERIOD, "--by", "channel", "--csv"]).output)
        )
    )
    assert [(r["channel"], r["handed over"]) for r in rows] == [
        ("(none)", "2"),
        ("webinar", "2"),
        ("ads", "1"),
    ]


def test_bad_options_and_files_exit_non_zero_naming_the_problem(cli: CliRunner, tmp_path: Path) -> None:
    bad_icp = tmp_path / "bad.yaml"
    bad_icp.write_text(
        "icp: x\nroles:\n  - {name: dm, seniority: [king]}\nwindow_days: 99999999999999999999\n"
    )
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    nul = tmp_path / "nul.csv"
    nul.write_text("domain\nacme.fi\x00\n")
    huge = tmp_path / "huge.csv"
    huge.write_text("account_id\n99999999999999999999999\n")
    cases = [
        (["targets", "load", str(bad_icp)], "3:"),
        (["targets", "import", str(empty)], "empty"),
        (["targets", "import", str(nul)], "NUL"),
        (["targets", "import", str(huge)], "account_id"),
        (["report", "targets"], "no ICP is loaded"),
        (["report", "waste", "--since", "2026-11-02", "--until", "2026-11-01"], "until"),
        (["report", "waste", "--chart", str(tmp_path / "w.gif")], ".png or .html"),
        (["report", "value", "--lookback-days", "0"], "lookback_days"),
        (["report", "acceptance", "--by", "colour"], "colour"),
        (["report", "value", "--since", "nan"], "--since"),
    ]
    for args, named in cases:
        result = cli.invoke(app, args)
        assert result.exit_code != 0 and named in result.output, (args, result.output)
        assert "Traceback" not in result.output


def test_routes_answer_json_and_csv_and_load_the_icp_and_the_list(api: Api, engine: Engine) -> None:
    build(engine)
    put = api.client.put(
        "/v1/targets/icp", content=ICP, headers={**api.admin, "content-type": "application/yaml"}
    )
    assert put.status_code == 200 and put.json()["version"] == 1, put.text
    posted = api.client.post(
        "/v1/targets/most-wanted",
        json={"accounts": [{"domain": "new.fi"}, {"account_id": 3, "tier": "tier_3"}]},
        headers=api.admin,
    )
    assert posted.json() == {"listed": 2, "created": 1, "changed": 1, "removed": 0}, posted.text
    csv_body = api.client.post(
        "/v1/targets/most-wanted?replace=true",
        content="domain\nacme.fi\n",
        headers={**api.admin, "content-type": "text/csv"},
    )
    assert csv_body.json()["removed"] == 3, csv_body.text
    waste = api.client.get(f"/v1/reports/waste?{QUERY}", headers=api.admin)
    assert waste.status_code == 200 and waste.json()["handed_over"] == 4, waste.text
    rows = list(
        csv.DictReader(
            io.StringIO(api.client.get(f"/v1/reports/waste?{QUERY}&format=csv", headers=api.admin).text)
        )
    )
    assert rows[0]["measure"] == "never_worked" and rows[0]["count"] == "3"
    targets = api.client.get("/v1/reports/targets?as_of=2026-11-10", headers=api.admin).json()
    assert [a["domain"] for a in targets["accounts"]] == ["acme.fi"]
    value = api.client.get(f"/v1/reports/value?{QUERY}&format=csv", headers=api.admin)
    assert value.headers["content-type"].startswith("text/csv") and "pipeline influenced" in value.text
    grouped = api.client.get(f"/v1/reports/acceptance?{QUERY}&by=model", headers=api.admin).json()
    assert [(g["key"], g["handed_over"]) for g in grouped["groups"]] == [("(none)", 4), ("core@v1", 1)]


def test_routes_refuse_hostile_input_with_a_named_field(api: Api) -> None:
    deep = '{"accounts": ' + "[" * 5000 + "]" * 5000 + "}"
    cases = [
        ("get", "/v1/reports/waste?since=nan", None, "since"),
        ("get", "/v1/reports/waste?colour=red", None, "colour"),
        ("get", "/v1/reports/waste?format=xml", None, "format"),
        ("get", "/v1/reports/value?lookback_days=99999999999999999999", None, "lookback_days"),
        ("get", "/v1/reports/targets?months=0", None, "months"),
        ("get", "/v1/reports/acceptance?by=colour", None, "by"),
        ("post", "/v1/targets/most-wanted", {"accounts": [{"account_id": 2**64}]}, "account_id"),
        ("post", "/v1/targets/most-wanted", {"accounts": [{"domain": "a\u0000.fi"}]}, "domain"),
        ("post", "/v1/targets/most-wanted", {"accounts": [{"domain": "x.fi", "colour": 1}]}, "colour"),
        ("post", "/v1/targets/most-wanted", {"accounts": []}, "accounts"),
        ("post", "/v1/targets/most-wanted", {"accounts": [{"tier": "gold", "domain": "x.fi"}]}, "tier"),
        ("put", "/v1/targets/icp", {"source": "icp: x\nroles: []\n"}, "roles"),
    ]
    for method, url, body, named in cases:
        reply = api.client.request(method, url, json=body, headers=api.admin)
        assert 400 <= reply.status_code < 500 and named in reply.text, (
            url,
            body,
            reply.status_code,
            reply.text,
        )
    nested = api.client.post(
        "/v1/targets/most-wanted",
        content=deep,
        headers={**api.admin, "content-type": "application/json"},
    )
    assert 400 <= nested.status_code < 500, nested.text
    assert api.client.get("/v1/reports/targets", headers=api.admin).status_code == 404
