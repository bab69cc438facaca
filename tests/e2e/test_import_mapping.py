"""`--map` takes constants and value maps, and a YAML mapping file does the same."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from liidi.cli import app

LEADS = "email,Do Not Email,Lead Origin\na@firma.fi,Yes,API\nb@firma.fi,No,Landing Page\n"


def _person(cli: CliRunner, email: str) -> str:
    return cli.invoke(app, ["people", "show", email]).output


def test_a_value_map_and_a_constant_fill_fields_from_a_column_and_from_nothing(
    cli: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "leads.csv"
    path.write_text(LEADS)
    result = cli.invoke(
        app,
        [
            "import", "people", str(path),
            "--map", "consent=Do Not Email:Yes→withdrawn,No->granted",
            "--map", "traits.source=:xeducation",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "consent withdrawn" in _person(cli, "a@firma.fi")
    shown = _person(cli, "b@firma.fi")
    assert "consent granted" in shown and 'source (text) = "xeducation"' in shown
    assert "kept Do Not Email (values mapped) → consent" in result.output
    assert "kept :xeducation → traits.source" in result.output
    assert "skipped 1" in result.output and "    Lead Origin" in result.output


def test_a_yaml_mapping_file_reads_yes_and_no_as_text(cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text(LEADS)
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "consent: {column: Do Not Email, values: {Yes: withdrawn, No: granted}}\n"
        "traits.origin: Lead Origin\n"
        "traits.source: {constant: xeducation}\n"
    )
    result = cli.invoke(app, ["import", "people", str(path), "--map-file", str(mapping)])
    assert result.exit_code == 0, result.output
    shown = _person(cli, "a@firma.fi")
    assert "consent withdrawn" in shown and 'origin (text) = "API"' in shown
    assert json.dumps("xeducation") in shown


def test_a_malformed_value_map_or_mapping_file_is_a_one_line_error(cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text(LEADS)
    bad_map = cli.invoke(app, ["import", "people", str(path), "--map", "consent=Do Not Email:→x"])
    assert bad_map.exit_code != 0 and "Column:From→to" in bad_map.output
    mapping = tmp_path / "map.yaml"
    mapping.write_text("consent: [a, b]\n")
    bad_file = cli.invoke(app, ["import", "people", str(path), "--map-file", str(mapping)])
    assert bad_file.exit_code != 0 and "--map-file consent" in bad_file.output
    assert "Traceback" not in bad_file.output
