"""A lead table keyed by a CRM id loads without e-mails, and its people can be found by that id."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from liidi.cli import app
from tests.e2e.conftest import Api

# Shaped like the education leads file: a prospect id, no e-mail, numbers as text, `Select`, blanks.
LEADS = """Prospect ID,Lead Number,Lead Source,TotalVisits,Specialization,Converted
7927b2df-8bba-4d29-b9a2-b6e0beafe620,660737,Olark Chat,0,Select,0
2a272436-5132-4136-86fa-dcc88c88f482,660728,Organic Search,5,Select,0
8cc8c611-a219-4f35-ad23-fdfd2656bd8a,660727,Direct Traffic,2,Business Administration,1
"""


def _write(tmp_path: Path, text: str = LEADS) -> Path:
    path = tmp_path / "Leads.csv"
    path.write_text(text)
    return path


def test_a_lead_table_keyed_by_prospect_id_imports_and_imports_again_unchanged(
    cli: CliRunner, tmp_path: Path
) -> None:
    args = ["import", "people", str(_write(tmp_path)), "--id-column", "Prospect ID", "--all-columns"]
    args += ["--missing", "Select"]

    first = cli.invoke(app, args)
    again = cli.invoke(app, args)

    assert first.exit_code == 0, first.output
    assert "3 people read: 3 new, 0 updated, 0 unchanged" in first.output
    assert "Prospect ID → external_id" in first.output
    assert "3 people read: 0 new, 0 updated, 3 unchanged" in again.output


def test_a_person_loaded_by_prospect_id_is_shown_and_explained_by_that_id(
    cli: CliRunner, tmp_path: Path
) -> None:
    path = _write(tmp_path)
    assert cli.invoke(app, ["import", "people", str(path), "--id-column", "Prospect ID"]).exit_code == 0

    shown = cli.invoke(app, ["people", "show", "8cc8c611-a219-4f35-ad23-fdfd2656bd8a"])
    listed = cli.invoke(app, ["people", "list", "--csv"])

    assert shown.exit_code == 0, shown.output
    assert "external_id:8cc8c611-a219-4f35-ad23-fdfd2656bd8a" in shown.output
    assert "7927b2df-8bba-4d29-b9a2-b6e0beafe620" in listed.output


def test_an_unknown_crm_id_is_a_clear_error(cli: CliRunner) -> None:
    result = cli.invoke(app, ["people", "show", "no-such-prospect"])

    assert result.exit_code != 0
    assert "no person with e-mail or CRM id no-such-prospect" in result.output


def test_the_id_column_must_be_in_the_file_and_is_for_people(cli: CliRunner, tmp_path: Path) -> None:
    path = _write(tmp_path)
    missing = cli.invoke(app, ["import", "people", str(path), "--id-column", "Lead ID"])
    accounts = cli.invoke(app, ["import", "accounts", str(path), "--id-column", "Prospect ID"])

    assert missing.exit_code != 0 and "--id-column" in missing.output and "Lead ID" in missing.output
    assert accounts.exit_code != 0 and "--id-column" in accounts.output


def test_a_row_with_neither_email_nor_id_names_its_line(cli: CliRunner, tmp_path: Path) -> None:
    path = _write(tmp_path, LEADS + ",660700,Google,1,Select,0\n")
    result = cli.invoke(app, ["import", "people", str(path), "--id-column", "Prospect ID"])

    assert result.exit_code != 0
    assert "line 5" in result.output and "email or an external_id" in result.output


def test_people_are_upserted_by_external_id_through_the_api(api: Api) -> None:
    body = {"people": [{"external_id": "P-1", "traits": {"visits": 3}}, {"external_id": "P-2"}]}
    made = api.client.post("/v1/people", json=body, headers=api.admin)
    again = api.client.post(
        "/v1/people", json={"people": [{"external_id": "P-1", "email": "anna@firma.fi"}]}, headers=api.admin
    )
    person_id = made.json()["items"][0]["person_id"]
    person = api.client.get(f"/v1/people/{person_id}", headers=api.admin).json()

    assert made.status_code == 200 and [i["created"] for i in made.json()["items"]] == [True, True]
    assert again.json()["items"] == [{"person_id": person_id, "created": False}]
    assert (person["external_id"], person["email"]) == ("P-1", "anna@firma.fi")


def test_a_person_without_email_or_external_id_is_refused_through_the_api(api: Api) -> None:
    refused = api.client.post("/v1/people", json={"people": [{"title": "CTO"}]}, headers=api.admin)
    blank = api.client.post("/v1/people", json={"people": [{"external_id": "   "}]}, headers=api.admin)

    assert refused.status_code == blank.status_code == 422
    assert "email or an external_id" in refused.text and "email or an external_id" in blank.text
    listed = api.client.get("/v1/people", headers=api.admin).json()["items"]
    assert listed == []


def test_a_type_refusal_in_a_people_batch_names_the_item(api: Api) -> None:
    api.client.post(
        "/v1/people", json={"people": [{"external_id": "P-1", "traits": {"visits": 3}}]}, headers=api.admin
    )
    body = {"people": [{"external_id": "P-2"}, {"external_id": "P-3", "traits": {"visits": "many"}}]}
    refused = api.client.post("/v1/people", json=body, headers=api.admin)

    assert refused.status_code == 422
    errors = refused.json()["error"]["errors"]
    assert errors[0]["field"] == "traits.visits" and errors[0]["index"] == 1
