"""List output for people at 80 columns and for scripts: whole e-mails, --wide, --json and --csv."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from liidi.cli import app, common

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples" / "scoring.yaml")


def run(cli: CliRunner, *args: str) -> tuple[int, str]:
    result = cli.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def demo(cli: CliRunner) -> str:
    code, out = run(
        cli, "demo", "start", "--accounts", "30", "--months", "3", "--no-serve", "--model", EXAMPLE
    )
    assert code == 0, out
    return out


LISTS = [
    (("leads", "--all", "--limit", "40"), lambda item: item["person"]["email"]),
    (("people", "list", "--limit", "200"), lambda item: item["e-mail"]),
    (("accounts", "list", "--limit", "200"), lambda item: item["domain"]),
    (("model", "list"), lambda item: item["version"]),
    (("keys", "list"), lambda item: item["prefix"]),
]


def test_lists_fit_the_terminal_and_never_cut_what_a_user_pastes_next(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo(cli)
    for args, key in LISTS:
        code, out = run(cli, *args, "--json")
        assert code == 0, out
        keys = [key(item) for item in json.loads(out)]
        assert keys, args
        for width in (60, 80, 132):
            monkeypatch.setattr(common.console, "_width", width)
            code, out = run(cli, *args)
            assert code == 0 and max(cell_len(line) for line in out.splitlines()) <= width, (args, out)
            missing = [k for k in keys if k not in out]
            assert not missing, (args, width, missing, out)


def test_csv_has_a_header_and_every_column_even_when_the_table_hides_some(cli: CliRunner) -> None:
    demo(cli)
    code, table = run(cli, "people", "list", "--limit", "5")
    assert code == 0 and "hidden:" in table and "--wide" in table
    code, out = run(cli, "people", "list", "--limit", "5", "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 5 and list(rows[0]) == [
        "id",
        "e-mail",
        "crm id",
        "name",
        "stage",
        "title",
        "role",
        "account",
    ]
    code, wide = run(cli, "people", "list", "--limit", "5", "--wide")
    assert "hidden:" not in wide and all(row["role"] in wide for row in rows)


def test_json_and_csv_together_are_a_usage_error(cli: CliRunner) -> None:
    code, out = run(cli, "people", "list", "--json", "--csv")
    assert code == 2 and "--json" in out and "--csv" in out


def test_explain_prints_the_bracketed_lists_of_the_model(cli: CliRunner) -> None:
    demo(cli)
    code, out = run(cli, "accounts", "list", "--csv", "--limit", "200")
    rows = list(csv.DictReader(io.StringIO(out)))
    domain = next(r["domain"] for r in rows if r["industry"] in ("manufacturing", "healthcare", "energy"))
    code, out = run(cli, "people", "list", "--csv", "--limit", "200")
    email = next(r["e-mail"] for r in csv.DictReader(io.StringIO(out)) if r["e-mail"].endswith("@" + domain))
    code, out = run(cli, "explain", email)
    assert code == 0 and "account.industry in [manufacturing, healthcare, energy]" in out


def test_user_text_that_looks_like_markup_is_printed_as_is(cli: CliRunner, tmp_path: Path) -> None:
    people = tmp_path / "p.csv"
    people.write_text("email,first_name,title\nx@firma.fi,[bold]Anna,[CTO] [red]cloud[/]\n", encoding="utf-8")
    run(cli, "import", "people", str(people))
    code, out = run(cli, "people", "show", "x@firma.fi")
    assert code == 0 and "[bold]Anna" in out and "[CTO] [red]cloud[/]" in out
    code, out = run(cli, "people", "list", "--wide")
    assert "[bold]Anna" in out and "[CTO] [red]cloud[/]" in out


def test_explain_without_a_published_model_exits_66_like_leads(cli: CliRunner, tmp_path: Path) -> None:
    people = tmp_path / "p.csv"
    people.write_text("email\nx@firma.fi\n", encoding="utf-8")
    run(cli, "import", "people", str(people))
    for args in (("explain", "x@firma.fi"), ("leads",)):
        code, out = run(cli, *args)
        assert code == 66 and "liidi model publish" in out, args


def test_a_second_demo_start_keeps_the_published_model_and_the_keys(cli: CliRunner, tmp_path: Path) -> None:
    first = demo(cli)
    assert "published core-services@v1" in first and "liidi_" in first
    mine = tmp_path / "mine.yaml"
    mine.write_text(Path(EXAMPLE).read_text(encoding="utf-8").replace("points: 15", "points: 16", 1))
    assert run(cli, "model", "add", str(mine))[0] == 0
    assert run(cli, "model", "publish", "core-services")[0] == 0
    second = demo(cli)
    assert "keeping the published model core-services@v2" in second
    assert "liidi_" not in second and "liidi keys create --scope admin" in second
    _code, out = run(cli, "model", "list", "--csv")
    assert [line.split(",")[:2] for line in out.splitlines()[1:]] == [
        ["core-services@v2", "published"],
        ["core-services@v1", "retired"],
    ]
    _, out = run(cli, "keys", "list", "--json")
    assert len(json.loads(out)) == 1


def test_generating_the_same_demo_twice_says_nothing_was_added(cli: CliRunner) -> None:
    args = ("demo", "generate", "--accounts", "10", "--months", "1", "--end", "2026-11-01")
    code, out = run(cli, *args)
    assert code == 0 and "added 10 accounts" in out
    code, out = run(cli, *args)
    assert code == 0 and "nothing added" in out and "added 10" not in out


def test_model_check_refuses_a_name_that_model_add_refuses(cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "long.yaml"
    text = Path(EXAMPLE).read_text(encoding="utf-8").replace("model: core-services", "model: " + "x" * 81, 1)
    path.write_text(text, encoding="utf-8")
    for command in ("check", "add"):
        code, out = run(cli, "model", command, str(path))
        assert code == 65 and "at most 80 characters" in out, command


def test_publishing_an_unknown_model_fails_before_any_progress_bar(cli: CliRunner) -> None:
    code, out = run(cli, "model", "publish", "nope")
    assert code == 66 and "no scoring model named 'nope'" in out and "rescoring" not in out


def test_accounts_show_takes_a_domain_and_the_country_filter_an_iso_code(
    cli: CliRunner, tmp_path: Path
) -> None:
    accounts = tmp_path / "a.csv"
    accounts.write_text(
        "domain,name,country\nkivikoski.fi,Kivikoski Oy,FI\nnord.no,Nord AS,NO\n", encoding="utf-8"
    )
    run(cli, "import", "accounts", str(accounts))
    code, out = run(cli, "accounts", "show", "www.Kivikoski.fi")
    assert code == 0 and "Kivikoski Oy (kivikoski.fi)" in out
    code, out = run(cli, "accounts", "show", "nowhere.fi")
    assert code == 66 and "nowhere.fi" in out
    code, out = run(cli, "accounts", "list", "--country", "fi", "--csv")
    assert [line.split(",")[1] for line in out.splitlines()[1:]] == ["kivikoski.fi"]
    code, out = run(cli, "accounts", "list", "--help")
    assert "ISO 3166" in out
