"""`liidi pacing` and `liidi tasks` end to end: at 80 columns, JSON, CSV, charts, and bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from liidi.cli import app
from tests.integration.test_pacing import PLAN
from tests.pacing_support import NewUow, seed_weeks

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples" / "plan.yaml")
REVIEW = ["pacing", "report", "--weeks", "2", "--until", "2026-W48"]


def run(cli: CliRunner, *args: str) -> tuple[int, str]:
    result = cli.invoke(app, list(args), env={"COLUMNS": "80"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def plan_file(tmp_path: Path, text: str = PLAN) -> str:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_example_plan_checks_loads_and_shows(cli: CliRunner) -> None:
    code, out = run(cli, "pacing", "check", EXAMPLE)
    assert code == 0, out
    assert out.splitlines()[:2] == [
        "ok: weekly-plan-2026",
        "every week: leads 18, MQLs 6, SALs 3, meetings 4",
    ]
    assert "playbook book-meetings: if meetings of everyone < 3 last week, order 5 booked meetings" in out
    assert run(cli, "pacing", "load", EXAMPLE, "--author", "anna")[1].startswith("pacing@v1 now in force")
    assert "unchanged, already in force" in run(cli, "pacing", "load", EXAMPLE)[1]
    code, out = run(cli, "pacing", "show")
    assert code == 0 and "by anna" in out.splitlines()[0]


def test_a_bad_plan_prints_each_problem_with_its_line_and_exits_65(cli: CliRunner, tmp_path: Path) -> None:
    bad = "pacing: p\ntargets: {leads: -1}\nplaybooks:\n  - {name: a, when: {metric: wins, below: 1}}\n"
    code, out = run(cli, "pacing", "check", plan_file(tmp_path, bad))
    assert code == 65
    assert "plan.yaml:2:18 targets: leads: expected a whole number from 0 to 10000000, got -1" in out
    assert "plan.yaml:4:5 playbook 1: 'then' is required" in out
    assert "when.metric: expected one of leads, mqls, sals, meetings, got 'wins'" in out
    assert run(cli, "pacing", "load", plan_file(tmp_path, bad))[0] == 65
    assert run(cli, "pacing", "check", str(tmp_path / "missing.yaml"))[0] == 66
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    assert run(cli, "pacing", "check", str(empty))[0] == 65
    assert run(cli, "pacing", "show")[0] == 66


def test_the_review_is_a_table_at_80_columns_with_notes_json_and_csv(
    cli: CliRunner, new_uow: NewUow, tmp_path: Path
) -> None:
    seed_weeks(new_uow)
    run(cli, "pacing", "load", plan_file(tmp_path))
    note = "Webinar with forty sign-ups and a newsletter to the whole Finnish list of subscribers"
    assert run(cli, "pacing", "note", "2026-W48", "--done", note, "--next", "Call them")[0] == 0
    code, out = run(cli, *REVIEW)
    assert code == 0, out
    assert out.startswith("Weekly review 2026-W47 … 2026-W48 (UTC), test-plan (v1)")
    assert all(len(line) <= 80 for line in out.splitlines())
    week48 = next(line for line in out.splitlines() if line.startswith("2026-W48"))
    assert week48.split()[:5] == ["2026-W48", "1/2", "50%", "2/2", "100%"]
    assert week48.split()[5:9] == ["2/4", "50%", "2/1", "200%"]
    assert "Webinar" in out and "Call them" in out
    data = json.loads(run(cli, *REVIEW, "--json")[1])
    assert data["weeks"][1]["total"]["sals"] == {"actual": 2, "target": 4, "share": 0.5}
    code, out = run(cli, *REVIEW, "--by", "channel", "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["week"], r["channel"], r["mqls"]) for r in rows if r["week"] == "2026-W48"] == [
        ("2026-W48", "direct", "1"),
        ("2026-W48", "organic_search", "0"),
        ("2026-W48", "paid_search", "1"),
        ("2026-W48", "total", "2"),
    ]
    assert rows[-1]["done"] == note and rows[-1]["mqls target"] == "2"


@pytest.mark.parametrize("suffix", [".png", ".html"])
def test_the_review_chart_is_written_as_png_or_html(cli: CliRunner, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"review{suffix}"
    code, out = run(cli, *REVIEW, "--chart", str(path))
    assert code == 0, out
    head = path.read_bytes()[:16]
    assert head.startswith(b"\x89PNG") if suffix == ".png" else head.startswith(b"<!doctype html>")


def test_bad_review_options_and_notes_exit_non_zero_naming_the_value(cli: CliRunner, tmp_path: Path) -> None:
    cases = [
        (["pacing", "report", "--weeks", "0"], "weeks"),
        (["pacing", "report", "--weeks", "99999999999999999999999"], "1 to 104"),
        (["pacing", "report", "--by", "colour"], "colour"),
        (["pacing", "report", "--until", "2026-W54"], "no week 54"),
        (["pacing", "report", "--chart", str(tmp_path / "c.gif")], "--chart"),
        (["pacing", "report", "--json", "--csv"], "choose one"),
        (["pacing", "note", "2026-49", "--done", "x"], "2026-W49"),
        (["pacing", "note", "2026-W48", "--done", "a\x00b"], "NUL"),
        (["pacing", "note", "2026-W48", "--next", "x" * 4001], "4000"),
        (["pacing", "note", "2026-W48"], "--done"),
        (["tasks", "--status", "lost"], "lost"),
    ]
    for args, named in cases:
        code, out = run(cli, *args)
        assert code != 0 and named in out, (args, out)


def test_a_run_fires_a_playbook_once_and_tasks_list_it(
    cli: CliRunner, new_uow: NewUow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from liidi.services import clock

    seed_weeks(new_uow)
    run(cli, "pacing", "load", plan_file(tmp_path))
    monkeypatch.setattr(clock.time, "time", lambda: 1_796_212_800.0)  # 2026-12-02 12:00 UTC
    code, out = run(cli, "pacing", "run", "--once")
    assert code == 0, out
    assert "2026-W48 baseline-short: fired: MQLs 1 < 3, task 1" in out
    assert "2026-W48 mqls-overall: on pace: MQLs 2 ≥ 2" in out
    again = run(cli, "pacing", "run", "--once")[1]
    assert "baseline-short: already fired for this week" in again
    code, out = run(cli, "tasks")
    assert code == 0 and "Start outbound at 30" in out and "lead@firma.fi" in out
    assert all(len(line) <= 80 for line in out.splitlines())
    tasks = json.loads(run(cli, "tasks", "--json")[1])
    assert [(t["playbook"], t["runs in"]) for t in tasks] == [("baseline-short", "2026-W49")]


def test_demo_start_puts_the_example_plan_in_force_and_the_review_counts_its_history(
    cli: CliRunner,
) -> None:
    args = ["demo", "start", "--accounts", "60", "--months", "3", "--no-serve", "--plan", EXAMPLE]
    for name in ("scoring", "routing", "sla", "nurture"):
        args += [f"--{'model' if name == 'scoring' else name}", str(ROOT / "examples" / f"{name}.yaml")]
    first = cli.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "pacing@v1 in force (weekly-plan-2026)" in first.output
    data = json.loads(run(cli, "pacing", "report", "--weeks", "12", "--json")[1])
    assert data["plan"] == "weekly-plan-2026"
    assert sum(w["total"]["leads"]["actual"] for w in data["weeks"]) > 0
    assert sum(w["total"]["mqls"]["actual"] for w in data["weeks"]) > 0
    assert "keeping the pacing plan in force, pacing@v1" in cli.invoke(app, args).output


def test_the_review_on_duckdb_over_liidi_export_history_prints_the_store_s_table(
    cli: CliRunner, new_uow: NewUow, tmp_path: Path
) -> None:
    seed_weeks(new_uow)
    layout = str(tmp_path / "layout")
    code, out = run(cli, "export", "history", "--parquet", layout)
    assert code == 0, out
    for shape in ((), ("--json",), ("--csv",)):
        code, here = run(cli, *REVIEW, "--by", "channel", *shape)
        code, there = run(cli, *REVIEW, "--by", "channel", "--engine", "duckdb", "--parquet", layout, *shape)
        assert code == 0, there
        if shape == ("--json",):  # the two runs' `now` differ
            here, there = ({**json.loads(x), "now": 0} for x in (here, there))
        assert here == there
    code, out = run(cli, *REVIEW, "--engine", "duckdb")
    assert code != 0
    assert "parquet" in out
