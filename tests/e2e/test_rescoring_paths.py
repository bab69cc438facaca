"""Changed facts reach the stored scores through every path people use: CSV import, the people and
accounts API and an admin identify; `liidi leads` and `/v1/leads` then agree with the score card."""

from __future__ import annotations

import json
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from liidi.cli import app
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import publish
from tests.e2e.conftest import Api

NewUow = Callable[[], UnitOfWork]
MODEL = textwrap.dedent(
    """
    model: facts
    grades: {A: 40, B: 20}
    fit:
      - {name: decision maker, when: {person.role: decision_maker}, points: 25}
      - {name: target industry, when: {account.industry: software}, points: 15}
    engagement:
      - {name: visit, when: {event: page_view}, points: 5}
    qualify:
      mql: grade >= B and engagement >= 5
    """
)
WHO = "anna@firma.fi"


def _visited(api: Api, new_uow: NewUow, title: str) -> int:
    """A published model and one person with this title who visited the site an hour ago."""
    publish(new_uow, MODEL)
    api.client.post("/v1/people", json={"people": [{"email": WHO, "title": title}]}, headers=api.admin)
    visit = {"id": "v1", "type": "page_view", "email": WHO, "occurred_at": time.time() - 3600}
    [item] = api.client.post("/v1/events", json={"events": [visit]}, headers=api.admin).json()["items"]
    return int(item["person_id"])


def _hot(api: Api) -> dict[str, float]:
    items = api.client.get("/v1/leads", params={"hot": "true"}, headers=api.admin).json()["items"]
    return {item["person"]["email"]: item["score"] for item in items}


def _card_score(api: Api, pid: int) -> float:
    return float(api.client.get(f"/v1/people/{pid}/score", headers=api.admin).json()["cards"][0]["score"])


def _stage(api: Api, pid: int) -> str:
    return str(api.client.get(f"/v1/people/{pid}", headers=api.admin).json()["lifecycle_stage"])


def test_a_csv_import_with_a_new_title_makes_the_person_a_hot_lead_at_once(
    api: Api, new_uow: NewUow, cli: CliRunner, tmp_path: Path
) -> None:
    pid = _visited(api, new_uow, "Developer")
    assert _hot(api) == {} and _stage(api, pid) == "lead"
    path = tmp_path / "people.csv"
    path.write_text(f"email,title\n{WHO},CTO\n", encoding="utf-8")

    assert cli.invoke(app, ["import", "people", str(path)]).exit_code == 0

    result = cli.invoke(app, ["leads", "--json"])
    assert result.exit_code == 0, result.output
    [lead] = json.loads(result.output)
    assert lead["person"]["email"] == WHO and lead["score"] == _card_score(api, pid) == 30
    assert _stage(api, pid) == "mql"


def test_posting_people_and_an_admin_identify_keep_the_hot_leads_equal_to_the_score_card(
    api: Api, new_uow: NewUow
) -> None:
    pid = _visited(api, new_uow, "Developer")
    people = {"people": [{"email": WHO, "title": "CTO"}]}
    assert api.client.post("/v1/people", json=people, headers=api.admin).status_code == 200
    assert _hot(api) == {WHO: _card_score(api, pid)} and _stage(api, pid) == "mql"

    identified = {"email": WHO, "traits": {"title": "Developer"}}
    assert api.client.post("/v1/identify", json=identified, headers=api.admin).status_code == 200
    assert _hot(api) == {} and _card_score(api, pid) == 5


def test_an_account_change_through_the_api_rescores_its_people(api: Api, new_uow: NewUow) -> None:
    pid = _visited(api, new_uow, "Developer")
    account = {"accounts": [{"domain": "firma.fi", "industry": "software"}]}
    assert api.client.post("/v1/accounts", json=account, headers=api.admin).status_code == 200
    assert _hot(api) == {} and _card_score(api, pid) == 20
    with new_uow() as uow:
        assert uow.scores.load({pid}, ["facts"])[(pid, "facts")]["fit"] == 15
