"""Hot leads are open leads that qualify now, and `why` is their top contributions, in the API and the CLI."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from typer.testing import CliRunner

from liidi.cli import app
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import publish
from tests.e2e.conftest import Api
from tests.e2e.test_scores_api import MODEL, cto_and_three_cloud_visits

NewUow = Callable[[], UnitOfWork]


def hand_raisers(api: Api, new_uow: NewUow, stages: dict[str, str]) -> dict[str, int]:
    """People who asked for a demo an hour ago, then moved to the given lifecycle stages by sales."""
    publish(new_uow, MODEL)
    now = time.time()
    events = [
        {"id": f"d-{who}", "type": "demo_request", "email": f"{who}@firma.fi", "occurred_at": now - 3600}
        for who in stages
    ]
    items = api.client.post("/v1/events", json={"events": events}, headers=api.admin).json()["items"]
    ids = {who: item["person_id"] for who, item in zip(stages, items, strict=True)}
    with new_uow() as uow:
        for who, stage in stages.items():
            uow.people.update(ids[who], {"lifecycle_stage": stage}, now)
        uow.opportunities.add(
            {"person_id": ids["deal"], "name": "Pilot", "stage": "open", "created_ts": now, "currency": "EUR"}
        )
        uow.commit()
    return ids


def lead_emails(api: Api, **params: str) -> list[str]:
    reply = api.client.get("/v1/leads", params=params, headers=api.admin)
    assert reply.status_code == 200, reply.text
    return sorted(item["person"]["email"] for item in reply.json()["items"])


STAGES = {"open": "mql", "customer": "customer", "out": "disqualified", "deal": "sal"}


def test_hot_leads_leave_out_customers_disqualified_people_and_open_deals(api: Api, new_uow: NewUow) -> None:
    hand_raisers(api, new_uow, STAGES)
    assert lead_emails(api) == ["open@firma.fi"]
    assert lead_emails(api, with_open_deals="true") == ["deal@firma.fi", "open@firma.fi"]
    assert len(lead_emails(api, hot="false")) == 4


def test_the_cli_lists_the_same_hot_leads_as_the_api(api: Api, new_uow: NewUow, cli: CliRunner) -> None:
    hand_raisers(api, new_uow, STAGES)
    result = cli.invoke(app, ["leads", "--json"])
    assert result.exit_code == 0, result.output
    assert [item["person"]["email"] for item in json.loads(result.output)] == ["open@firma.fi"]
    result = cli.invoke(app, ["leads", "--with-open-deals", "--csv"])
    assert sorted(line.split(",")[2] for line in result.output.splitlines()[1:]) == [
        "deal@firma.fi",
        "open@firma.fi",
    ]


def test_why_of_a_demo_request_names_the_hand_raise(api: Api, new_uow: NewUow, cli: CliRunner) -> None:
    hand_raisers(api, new_uow, STAGES)
    [item] = api.client.get("/v1/leads", headers=api.admin).json()["items"]
    assert item["why"][0]["kind"] == "hand_raiser" and item["why"][0]["text"] == "hand-raiser"
    result = cli.invoke(app, ["leads"])
    assert "hand-raiser" in result.output and "open@firma.fi" in result.output


def test_why_is_the_top_contributions_by_points_as_explain_shows_them(
    api: Api, new_uow: NewUow, cli: CliRunner
) -> None:
    views = cto_and_three_cloud_visits(api, new_uow)
    api.client.post("/v1/events", json={"events": views}, headers=api.ingest)
    [item] = api.client.get("/v1/leads", headers=api.admin).json()["items"]
    assert [(w["kind"], w["rule"]) for w in item["why"]] == [
        ("engagement", "service page visit"),
        ("fit", "decision maker"),
    ]
    assert item["why"][0]["points"] > item["why"][1]["points"] == 20
    explained = cli.invoke(app, ["explain", "cto@firma.fi"]).output
    assert item["why"][0]["detail"] in explained and "decision maker" in explained
    [row] = cli.invoke(app, ["leads", "--csv"]).output.splitlines()[1:]
    assert "+20 decision maker" in row and "cloud" in row
    table = cli.invoke(app, ["leads"]).output
    assert "cto@firma.fi" in table and "cloud" in table and "service page" in table
