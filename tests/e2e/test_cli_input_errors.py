"""CLI input that once printed a traceback: directories, unreadable files, huge numbers, deep YAML."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from liidi.cli import app

HUGE = "99999999999999999999"


def run(cli: CliRunner, *args: str) -> tuple[int, str]:
    result = cli.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_importing_a_directory_is_a_one_line_error(cli: CliRunner, tmp_path: Path) -> None:
    code, out = run(cli, "import", "people", str(tmp_path))
    assert code == 65 and "is a directory" in out and str(tmp_path) in out


def test_importing_a_path_under_a_file_is_a_one_line_error(cli: CliRunner, tmp_path: Path) -> None:
    plain = tmp_path / "plain.csv"
    plain.write_text("email\n", encoding="utf-8")
    code, out = run(cli, "import", "people", str(plain / "inner.csv"))
    assert code == 65 and "cannot be read: Not a directory" in out


def test_importing_an_unreadable_file_is_a_one_line_error(cli: CliRunner) -> None:
    # a file every user, root too, fails to read: the process's own memory at offset 0 (EIO)
    code, out = run(cli, "import", "people", "/proc/self/mem")
    assert code == 65 and "cannot be read: Input/output error" in out


@pytest.mark.parametrize(
    ("kind", "text", "field"),
    [
        ("people", f"email,account_id\na@firma.fi,{HUGE}\n", "account_id"),
        ("accounts", f"domain,employees\nfirma.fi,{HUGE}\n", "employees"),
        ("events", f"type,person_id\npage_view,{HUGE}\n", "person_id"),
    ],
)
def test_numbers_beyond_64_bits_in_csv_columns_are_named_and_nothing_is_stored(
    cli: CliRunner, tmp_path: Path, kind: str, text: str, field: str
) -> None:
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    code, out = run(cli, "import", kind, str(path))
    assert code == 65 and field in out and "must be at most" in out


def test_model_check_refuses_yaml_nested_600_deep_in_one_line(cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("model: core\nfit: " + "[" * 600 + "]" * 600 + "\n", encoding="utf-8")
    code, out = run(cli, "model", "check", str(path))
    assert code == 65 and "nest deeper than 32 levels" in out and f"{path}:2:37" in out


@pytest.mark.parametrize("as_of", ["1e17", "nan", "inf", "-1e95", "soon"])
def test_score_refuses_an_as_of_outside_the_calendar_in_one_line(cli: CliRunner, as_of: str) -> None:
    code, out = run(cli, "score", "--model", "core", "--as-of", as_of)
    assert code == 65 and f"--as-of {as_of!r}" in out
