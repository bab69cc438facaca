"""`liidi plan` end to end: the seed's example as the seed reads, measured rates, stored plans, refusals."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from liidi.cli import app
from tests.planning_support import NewUow, load_history

SEED = (
    "--revenue", "50000", "--deal-size", "10000", "--win-rate", "20%",
    "--meeting-to-proposal", "1/3", "--contact-to-meeting", "20%", "--period", "2026-12",
)  # fmt: skip


def run(cli: CliRunner, *args: str) -> tuple[int, str]:
    result = cli.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_the_seed_example_prints_375_contacts_75_meetings_25_proposals_5_deals(cli: CliRunner) -> None:
    code, out = run(cli, "plan", *SEED)
    assert code == 0, out
    counts = {words[0]: words[1] for words in map(str.split, out.splitlines()) if len(words) > 1}
    assert [counts[s] for s in ("contacts", "meetings", "proposals", "deals")] == ["375", "75", "25", "5"]
    assert "To reach €50,000 in 2026-12 you need 375 contacts → 75 meetings → 25 proposals" in out
    assert all(len(line) <= 80 for line in out.splitlines())


def test_json_and_csv_give_the_same_plan_as_data(cli: CliRunner) -> None:
    out = run(cli, "plan", *SEED, "--json")[1]
    data = json.loads(out)
    assert [data[s] for s in ("contacts", "meetings", "proposals", "deals")] == [375, 75, 25, 5]
    assert data["rates"]["meeting_to_proposal"]["fraction"] == "1/3" and data["saved"] is False
    out = run(cli, "plan", *SEED, "--csv")[1]
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["stage"], r["needed"], r["fraction"]) for r in rows] == [
        ("contacts", "375", "1/5"),
        ("meetings", "75", "1/3"),
        ("proposals", "25", "1/5"),
        ("deals", "5", ""),
    ]


def test_twenty_deals_of_30000_euros_need_60_proposals_and_120_meetings(cli: CliRunner) -> None:
    args = ("--deals", "20", "--deal-size", "30000", "--win-rate", "1/3", "--meeting-to-proposal", "1 in 2")
    out = run(cli, "plan", *args, "--contact-to-meeting", "50%", "--json")[1]
    data = json.loads(out)
    assert (data["revenue"], data["proposals"], data["meetings"], data["deals"]) == (600000, 60, 120, 20)


def test_left_out_rates_are_measured_with_intervals_and_the_contacts_dated(
    cli: CliRunner, new_uow: NewUow
) -> None:
    load_history(new_uow)
    code, out = run(cli, "plan", "--revenue", "60000", "--period", "2026-12")
    assert code == 0, out
    assert "measured 4/10, 95% CI 17–69%" in out and "measured 2/3, 95% CI 21–94%" in out
    assert "Contacts needed by 2026-10-17 for deals closing in 2026-12." in out
    assert "contacts = lead/MQL, meetings = SAL/SQL, proposals = opportunities" in out
    assert "3 deals of €20,000 (mean of 2 won deals)" in out


def test_a_saved_plan_is_listed_and_shown_against_its_actuals(cli: CliRunner, new_uow: NewUow) -> None:
    load_history(new_uow)
    code, out = run(cli, "plan", "--revenue", "60000", "--period", "2026-03", "--save")
    assert code == 0 and "saved as the plan for 2026-03" in out
    code, out = run(cli, "plan", "list")
    assert code == 0 and "2026-03" in out and "€60,000" in out
    assert json.loads(run(cli, "plan", "list", "--json")[1])[0]["contacts"] == 25
    code, out = run(cli, "plan", "show", "2026-03")
    assert code == 0, out
    deals = next(line for line in out.splitlines() if line.startswith("deals"))
    assert deals.split()[:4] == ["deals", "3", "2", "67%"]
    rows = list(csv.DictReader(io.StringIO(run(cli, "plan", "show", "2026-03", "--csv")[1])))
    assert [r["stage"] for r in rows] == ["revenue", "contacts", "meetings", "proposals", "deals"]


def test_duckdb_over_liidi_export_history_plans_and_shows_as_the_store_does(
    cli: CliRunner, new_uow: NewUow, tmp_path: Path
) -> None:
    load_history(new_uow)
    layout = str(tmp_path / "layout")
    assert run(cli, "plan", "--revenue", "60000", "--period", "2026-03", "--save")[0] == 0
    assert run(cli, "export", "history", "--parquet", layout)[0] == 0
    duckdb = ("--engine", "duckdb", "--parquet", layout)
    for shape in ((), ("--csv",)):
        here = run(cli, "plan", "--revenue", "60000", "--period", "2026-12", *shape)
        assert here == run(cli, "plan", "--revenue", "60000", "--period", "2026-12", *shape, *duckdb)
    here = run(cli, "plan", "show", "2026-03", "--csv")
    assert here == run(cli, "plan", "show", "2026-03", "--csv", *duckdb)
    code, out = run(cli, "plan", "--revenue", "60000", "--engine", "duckdb")
    assert code != 0 and "parquet" in out


def test_showing_a_period_without_a_plan_says_so(cli: CliRunner) -> None:
    code, out = run(cli, "plan", "show", "2026-12")
    assert code == 66 and "no plan is stored for 2026-12" in out


def test_without_history_the_missing_rates_are_named_by_their_options(cli: CliRunner) -> None:
    code, out = run(cli, "plan", "--revenue", "50000", "--deal-size", "10000", "--win-rate", "20%")
    assert code == 65
    assert "give --contact-to-meeting, --meeting-to-proposal" in out


@pytest.mark.parametrize(
    ("option", "value"),
    [("--win-rate", "0"), ("--win-rate", "101%"), ("--win-rate", "abc"), ("--win-rate", "nan"),
     ("--meeting-to-proposal", "1/0"), ("--contact-to-meeting", "9" * 30), ("--revenue", "inf"),
     ("--revenue", "0"), ("--deal-size", "1e400"), ("--period", "2026-13"), ("--win-rate", "2\x00")],
)  # fmt: skip
def test_bad_values_are_usage_errors_naming_the_option(cli: CliRunner, option: str, value: str) -> None:
    args = {"--revenue": "50000", "--deal-size": "10000", "--win-rate": "20%"} | {option: value}
    code, out = run(cli, "plan", *[x for pair in args.items() for x in pair])
    assert code == 2
    assert f"Invalid value for '{option}'" in out


def test_revenue_and_deals_together_or_json_and_csv_together_are_refused(cli: CliRunner) -> None:
    code, out = run(cli, "plan", *SEED, "--deals", "3")
    assert code == 65 and "not both" in out
    assert run(cli, "plan", *SEED, "--json", "--csv")[0] == 2


def test_every_plan_command_has_help(cli: CliRunner) -> None:
    for args in (["plan", "--help"], ["plan", "list", "--help"], ["plan", "show", "--help"]):
        code, out = run(cli, *args)
        assert code == 0 and "Usage" in out
