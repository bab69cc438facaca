"""A refused CSV import names the file's line of each bad row and shows no progress bar first."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from liidi.cli import app


def test_a_refused_row_is_named_by_its_line_in_the_file(cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text('email,first_name\n"ok@firma.fi","two\nlines"\n\nbad,B\nok2@firma.fi,C\nbad2,D\n')
    result = cli.invoke(app, ["import", "people", str(path)])
    assert result.exit_code == 65, result.output
    assert "people.csv line 5: email='bad'" in result.output
    assert "line 7: email='bad2'" in result.output
    assert "importing" not in result.output
    listed = cli.invoke(app, ["people", "list", "--csv"])
    assert "ok@firma.fi" not in listed.output


def test_an_import_that_stores_shows_its_progress(cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("email,first_name\nnew@firma.fi,A\n")
    result = cli.invoke(app, ["import", "people", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 people read: 1 new" in result.output
