"""The CLI end to end with CliRunner: keys, CSV imports with a column mapping, timelines, merges, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from liidi.cli import app, common
from liidi.services.keys import Scope, authenticate
from liidi.services.unit_of_work import UnitOfWork
from liidi.storage.session import make_engine

ROOT = Path(__file__).resolve().parents[2]


def run(cli: CliRunner, *args: str) -> tuple[int, str]:
    result = cli.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_keys_create_prints_a_key_once_that_authenticates(cli: CliRunner, db_url: str) -> None:
    code, out = run(cli, "keys", "create", "--scope", "ingest", "--name", "website")
    assert code == 0
    secret = next(word for word in out.split() if word.startswith("liidi_"))
    engine = make_engine(db_url)
    assert authenticate(UnitOfWork(engine), presented=secret, needs=Scope.INGEST) is Scope.INGEST
    engine.dispose()
    code, out = run(cli, "keys", "list")
    assert "website" in out and secret not in out


def test_a_wrong_scope_is_a_one_line_error(cli: CliRunner) -> None:
    code, out = run(cli, "keys", "create", "--scope", "root")
    assert code == 65 and "scope" in out and "Traceback" not in out


def test_people_csv_imports_with_a_column_mapping_and_shows_a_timeline(
    cli: CliRunner, tmp_path: Path
) -> None:
    people = write(
        tmp_path,
        "p.csv",
        "Sähköposti;Titteli;Segment\nanna@kivikoski.fi;Toimitusjohtaja;A\nb@kivikoski.fi;;B\n",
    )
    code, out = run(
        cli,
        "import",
        "people",
        people,
        "--map",
        "email=Sähköposti",
        "--map",
        "title=Titteli",
        "--map",
        "traits.segment=Segment",
    )
    assert code == 0 and "2 people read: 2 new" in out
    events = write(
        tmp_path,
        "e.csv",
        "id,type,email,occurred_at,path\n1,page_view,anna@kivikoski.fi,2026-01-05T10:00:00Z,/palvelut/pilvi\n"
        "2,download,anna@kivikoski.fi,2026-01-06T10:00:00Z,/oppaat/pilvi\n",
    )
    code, out = run(cli, "import", "events", events)
    assert code == 0 and "2 events read: 2 new" in out
    code, out = run(cli, "import", "events", events)
    assert "0 new, 2 already stored" in out
    code, out = run(cli, "people", "show", "anna@kivikoski.fi")
    assert code == 0
    assert (
        "Toimitusjohtaja" in out
        and "decision_maker" in out
        and "/palvelut/pilvi" in out
        and "2026-01-06" in out
    )


def test_a_file_that_is_not_utf8_is_refused_without_a_traceback(cli: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "latin.csv", "email,title\nä@firma.fi,Päällikkö\n", encoding="latin-1")
    code, out = run(cli, "import", "people", path)
    assert code == 65 and "not UTF-8" in out and "line 2" in out and "Traceback" not in out


def test_a_mapped_column_missing_from_the_file_is_named(cli: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "p.csv", "email\na@firma.fi\n")
    code, out = run(cli, "import", "people", path, "--map", "title=Job Title")
    assert code == 65 and "title=Job Title" in out and "header" in out


def test_an_unknown_target_field_is_named(cli: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "p.csv", "email\na@firma.fi\n")
    code, out = run(cli, "import", "people", path, "--map", "shoe_size=email")
    assert code == 65 and "shoe_size" in out


def test_one_bad_row_imports_nothing(cli: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "domain,employees\nok.fi,10\nbad.fi,lots\n")
    code, out = run(cli, "import", "accounts", path)
    assert code == 65 and "a.csv line 3" in out and "employees" in out
    code, out = run(cli, "accounts", "list")
    assert "ok.fi" not in out


def test_people_merge_from_the_cli_keeps_history(cli: CliRunner, tmp_path: Path) -> None:
    run(cli, "import", "people", write(tmp_path, "p.csv", "email\nanna@kivikoski.fi\nanna@gmail.com\n"))
    events = write(
        tmp_path, "e.csv", "type,email,occurred_at\nemail_click,anna@gmail.com,2026-02-01T08:00:00Z\n"
    )
    run(cli, "import", "events", events)
    code, out = run(cli, "people", "merge", "anna@kivikoski.fi", "anna@gmail.com", "--reason", "same person")
    assert code == 0 and "1 events" in out
    code, out = run(cli, "people", "show", "anna@gmail.com")
    assert "email_click" in out and "anna@kivikoski.fi" in out


def test_showing_an_unknown_person_exits_66(cli: CliRunner) -> None:
    code, out = run(cli, "people", "show", "nobody@nowhere.fi")
    assert code == 66 and "no person" in out


def test_an_invalid_setting_is_reported_in_one_line(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIIDI_PORT", "99999")
    common.settings.cache_clear()
    code, out = run(cli, "db", "upgrade")
    assert code == 78 and "port" in out and "Traceback" not in out


def test_demo_generate_loads_a_market_and_writes_the_hidden_truth(cli: CliRunner, tmp_path: Path) -> None:
    truth = tmp_path / "truth.json"
    code, out = run(
        cli,
        "demo",
        "generate",
        "--accounts",
        "20",
        "--months",
        "2",
        "--end",
        "2026-11-01",
        "--truth",
        str(truth),
    )
    assert code == 0 and "added 20 accounts" in out
    assert '"in_market"' in truth.read_text()
    code, out = run(cli, "people", "list", "--limit", "5")
    assert code == 0 and "@" in out


def test_demo_start_without_serving_publishes_the_model_and_prints_the_url_key_and_what_to_try(
    cli: CliRunner, db_url: str
) -> None:
    model = str(ROOT / "examples" / "scoring.yaml")
    code, out = run(cli, "demo", "start", "--accounts", "30", "--months", "2", "--no-serve", "--model", model)
    assert code == 0
    assert "published core-services@v1" in out
    assert "http://127.0.0.1:8000" in out and "liidi_" in out and "curl" in out
    code, out = run(cli, "leads", "--all", "--limit", "5")
    assert code == 0 and "leads" in out and "@" in out
    engine = make_engine(db_url)
    with engine.connect() as conn:
        sql = "SELECT p.email FROM people p JOIN score_states s ON s.person_id = p.id ORDER BY s.score DESC"
        email = conn.exec_driver_sql(sql).scalar()
    engine.dispose()
    code, out = run(cli, "explain", str(email))
    assert code == 0 and "core-services" in out and "score" in out


def test_a_bad_end_date_is_named(cli: CliRunner) -> None:
    code, out = run(cli, "demo", "generate", "--end", "yesterday")
    assert code == 65 and "--end" in out
