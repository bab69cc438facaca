"""Imported columns get types, so numeric rules match them; one attribute keeps one type on every path."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from liidi.cli import app
from tests.e2e.conftest import Api

# Shaped like the education leads file: numbers as text, `Select` placeholders, blanks.
LEADS = """email,Lead Source,TotalVisits,Total Time Spent on Website,Specialization,Do Not Email,Notes
a@firma.fi,Google,5,674,Select,No,x
b@firma.fi,Direct Traffic,,1532,Finance Management,Yes,y
c@firma.fi,Olark Chat,0,0,Select,No,
"""
MODEL = """model: typed
grades: {A: 20, B: 10, C: 5}
fit:
  - {name: many visits, when: {person.traits.TotalVisits: {between: [3, 10]}}, points: 5}
  - {name: long on site, when: {person.traits.Total Time Spent on Website: {above: 800}}, points: 7}
  - {name: no specialization, when: {person.traits.Specialization: {missing: true}}, points: 1}
"""


def _import(cli: CliRunner, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "leads.csv"
    path.write_text(LEADS)
    mapping = [f"traits.{c}={c}" for c in ("TotalVisits", "Total Time Spent on Website", "Specialization")]
    options = [x for m in mapping for x in ("--map", m)]
    result = cli.invoke(app, ["import", "people", str(path), *options, *args])
    assert result.exit_code == 0, result.output
    return result.output


def _scores(cli: CliRunner, tmp_path: Path) -> dict[str, str]:
    (tmp_path / "m.yaml").write_text(MODEL)
    assert cli.invoke(app, ["model", "add", str(tmp_path / "m.yaml")]).exit_code == 0
    assert cli.invoke(app, ["model", "publish", "typed"]).exit_code == 0
    listed = cli.invoke(app, ["leads", "--all", "--csv"]).output.splitlines()[1:]
    return {line.split(",")[2]: line.split(",")[0] for line in listed}


def test_numeric_rules_and_missing_match_an_imported_numeric_column(cli: CliRunner, tmp_path: Path) -> None:
    _import(cli, tmp_path, "--missing", "Select")
    # a: 5 visits (+5), 674 s, Select (+1); b: no visits, 1532 s (+7); c: 0 visits, Select (+1)
    assert _scores(cli, tmp_path) == {"a@firma.fi": "6", "b@firma.fi": "7", "c@firma.fi": "1"}


def test_the_import_lists_the_columns_kept_with_their_types_and_the_ones_skipped(
    cli: CliRunner, tmp_path: Path
) -> None:
    output = _import(cli, tmp_path, "--missing", "Select", "--type", "TotalVisits=number")
    assert "columns: 4 kept, 3 skipped" in output
    assert "kept TotalVisits: number (declared)" in output
    assert "kept Total Time Spent on Website: integer (inferred)" in output
    assert "kept Specialization: text (inferred)" in output
    assert "    Lead Source" in output and "    Do Not Email" in output and "    Notes" in output
    assert all(len(line) <= 80 for line in output.splitlines())


def test_all_columns_keeps_every_column_as_a_typed_attribute(cli: CliRunner, tmp_path: Path) -> None:
    output = _import(cli, tmp_path, "--all-columns", "--type", "Do Not Email=boolean")
    assert "columns: 7 kept, 0 skipped" in output
    shown = cli.invoke(app, ["people", "show", "b@firma.fi"]).output
    assert "Do Not Email (boolean) = true" in shown
    assert "Total Time Spent on Website (integer) = 1532" in shown
    assert 'Lead Source (text) = "Direct Traffic"' in shown


def test_a_value_that_does_not_fit_a_declared_type_is_refused_by_its_line(
    cli: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "leads.csv"
    path.write_text(LEADS)
    result = cli.invoke(app, ["import", "people", str(path), "--all-columns", "--type", "Notes=number"])
    assert result.exit_code == 65, result.output
    assert "line 2: traits.Notes='x': expected a number" in result.output
    assert "a@firma.fi" not in cli.invoke(app, ["people", "list", "--csv"]).output


def test_an_unknown_declared_type_or_column_is_a_one_line_error(cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text(LEADS)
    bad_type = cli.invoke(app, ["import", "people", str(path), "--type", "TotalVisits=money"])
    assert bad_type.exit_code != 0 and "unknown type 'money'" in bad_type.output
    not_kept = cli.invoke(app, ["import", "people", str(path), "--type", "Notes=number"])
    assert not_kept.exit_code != 0 and "Notes" in not_kept.output and "--all-columns" in not_kept.output
    not_attribute = cli.invoke(app, ["import", "people", str(path), "--type", "email=number"])
    assert not_attribute.exit_code != 0 and "--type='email'" in not_attribute.output


def test_the_api_coerces_to_the_imported_type_and_refuses_what_does_not_fit(
    cli: CliRunner, api: Api, tmp_path: Path
) -> None:
    _import(cli, tmp_path, "--missing", "Select")
    sent = {"people": [{"email": "d@firma.fi", "traits": {"TotalVisits": "812", "Fresh": 3}}]}
    reply = api.client.post("/v1/people", json=sent, headers=api.admin)
    assert reply.status_code == 200, reply.text
    person = api.client.get(f"/v1/people/{reply.json()['items'][0]['person_id']}", headers=api.admin).json()
    assert person["traits"]["TotalVisits"] == 812
    assert {"name": "TotalVisits", "value": 812, "type": "integer"} in person["attributes"]
    assert {"name": "Fresh", "value": 3, "type": "integer"} in person["attributes"]
    bad = {"email": "a@firma.fi", "traits": {"traits": {"TotalVisits": "lots"}}}
    refused = api.client.post("/v1/identify", json=bad, headers=api.admin)
    assert refused.status_code == 422
    error = refused.json()["error"]["errors"][0]
    assert error["field"] == "traits.TotalVisits" and error["value"] == "lots"
    assert "expected an integer" in error["reason"]


def test_an_attribute_first_sent_as_a_number_through_the_api_stays_a_number_on_import(
    cli: CliRunner, api: Api, tmp_path: Path
) -> None:
    sent = {"people": [{"email": "d@firma.fi", "traits": {"TotalVisits": 2.5}}]}
    assert api.client.post("/v1/people", json=sent, headers=api.admin).status_code == 200
    output = _import(cli, tmp_path, "--missing", "Select")
    assert "kept TotalVisits: number (stored)" in output
    assert _scores(cli, tmp_path)["a@firma.fi"] == "6"


def test_account_traits_are_typed_the_same_way(api: Api) -> None:
    first = {"accounts": [{"domain": "firma.fi", "traits": {"seats": 40}}]}
    assert api.client.post("/v1/accounts", json=first, headers=api.admin).status_code == 200
    text = {"accounts": [{"domain": "other.fi", "traits": {"seats": "41"}}]}
    assert api.client.post("/v1/accounts", json=text, headers=api.admin).status_code == 200
    bad = {"accounts": [{"domain": "third.fi", "traits": {"seats": "many"}}]}
    refused = api.client.post("/v1/accounts", json=bad, headers=api.admin)
    assert refused.status_code == 422 and refused.json()["error"]["errors"][0]["field"] == "traits.seats"


def test_a_stored_attribute_cannot_be_declared_another_type_but_integer_widens_to_number(
    cli: CliRunner, tmp_path: Path
) -> None:
    _import(cli, tmp_path)
    path = tmp_path / "more.csv"
    path.write_text("email,TotalVisits\nd@firma.fi,2.5\n")
    redeclared = cli.invoke(
        app, ["import", "people", str(path), "--all-columns", "--type", "TotalVisits=text"]
    )
    assert redeclared.exit_code == 65 and "TotalVisits is already stored as integer" in redeclared.output
    widened = cli.invoke(app, ["import", "people", str(path), "--all-columns"])
    assert widened.exit_code == 0, widened.output
    assert "kept TotalVisits: number (stored)" in widened.output
    assert "TotalVisits (number) = 2.5" in cli.invoke(app, ["people", "show", "d@firma.fi"]).output
