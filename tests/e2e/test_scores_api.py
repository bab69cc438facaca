"""Scores over HTTP and in the terminal: the card, the hot-lead list, explain and leads."""

from __future__ import annotations

import textwrap
import time
from collections.abc import Callable

from liidi.services.unit_of_work import UnitOfWork
from tests.builders import publish
from tests.e2e.conftest import Api

NewUow = Callable[[], UnitOfWork]
MODEL = textwrap.dedent(
    """
    model: web
    grades: {A: 20, B: 10}
    fit:
      - {name: decision maker, when: {person.role: decision_maker}, points: 20}
    engagement:
      - name: service page visit
        when: {event: page_view, path: {starts_with: /palvelut/}}
        points: 10
        decay: {half_life: 7d}
    themes: {from: topic, half_life: 30d}
    hand_raisers: [demo_request]
    qualify:
      mql: grade >= B and engagement >= 25
    """
)


def cto_and_three_cloud_visits(api: Api, new_uow: NewUow) -> list[dict[str, object]]:
    """Publishes MODEL, identifies a CTO by an ingest key and returns three service-page visits of theirs."""
    publish(new_uow, MODEL)
    api.client.post(
        "/v1/identify", json={"email": "cto@firma.fi", "traits": {"title": "CTO"}}, headers=api.ingest
    )
    now = time.time()
    views = [
        {
            "id": f"v{i}",
            "type": "page_view",
            "email": "cto@firma.fi",
            "occurred_at": now - 3600 * (3 - i),
            "properties": {"path": "/palvelut/pilvi", "topic": "cloud"},
        }
        for i in range(3)
    ]
    return views


def test_an_event_that_crosses_the_threshold_changes_the_stage_in_the_reply(
    api: Api, new_uow: NewUow
) -> None:
    views = cto_and_three_cloud_visits(api, new_uow)
    reply = api.client.post("/v1/events", json={"events": views}, headers=api.admin).json()
    [change] = reply["stage_changes"]
    assert (change["to"], change["qualified_by"], change["model_version"]) == ("mql", "mql", "web@v1")
    pid = change["person_id"]
    cards = api.client.get(f"/v1/people/{pid}/score", headers=api.admin).json()["cards"]
    assert cards[0]["grade"] == "A" and cards[0]["mql"] and cards[0]["themes"][0]["theme"] == "cloud"
    assert any(line.startswith("+20 decision maker") for line in cards[0]["explanation"])
    hot = api.client.get("/v1/leads", params={"hot": "true", "theme": "cloud"}, headers=api.admin).json()[
        "items"
    ]
    assert [item["person"]["id"] for item in hot] == [pid]


def test_decay_is_applied_at_read_time(api: Api, new_uow: NewUow) -> None:
    publish(new_uow, MODEL)
    then = time.time() - 7 * 86400
    event = {
        "id": "old",
        "type": "page_view",
        "email": "u@firma.fi",
        "occurred_at": then,
        "properties": {"path": "/palvelut/x"},
    }
    pid = api.client.post("/v1/events", json={"events": [event]}, headers=api.admin).json()["items"][0][
        "person_id"
    ]
    card = api.client.get(f"/v1/people/{pid}/score", headers=api.admin).json()["cards"][0]
    assert abs(card["engagement"] - 5.0) < 0.01
    earlier = api.client.get(f"/v1/people/{pid}/score", params={"as_of": then}, headers=api.admin).json()[
        "cards"
    ][0]
    assert earlier["engagement"] == 10.0


def test_leads_without_a_published_model_say_what_to_do(api: Api) -> None:
    reply = api.client.get("/v1/leads", headers=api.admin)
    assert reply.status_code == 404 and "liidi model publish" in reply.json()["error"]["message"]


def test_the_account_roll_up_sums_its_people_and_counts_roles_engaged(api: Api, new_uow: NewUow) -> None:
    publish(new_uow, MODEL)
    people = {
        "people": [
            {"email": "cto@roll.fi", "title": "CTO"},
            {"email": "dev@roll.fi", "title": "Developer"},
            {"email": "idle@roll.fi", "title": "IT Manager"},
        ]
    }
    api.client.post("/v1/people", json=people, headers=api.admin)
    now = time.time()
    views = [
        {
            "id": f"r{who}",
            "type": "page_view",
            "email": f"{who}@roll.fi",
            "occurred_at": now - 60,
            "properties": {"path": "/palvelut/data"},
        }
        for who in ("cto", "dev")
    ]
    api.client.post("/v1/events", json={"events": views}, headers=api.ingest)
    account = api.client.get("/v1/accounts", params={"domain": "roll.fi"}, headers=api.admin).json()["items"][
        0
    ]
    roll = api.client.get(
        f"/v1/accounts/{account['id']}/score", params={"top_k": 2}, headers=api.admin
    ).json()
    assert roll["people_scored"] == 3 and roll["people_engaged"] == 2
    assert roll["roles_engaged"] == ["decision_maker", "user"]
    assert (
        abs(roll["best"] - 30.0) < 0.01
        and abs(roll["top"] - 40.0) < 0.01
        and abs(roll["total"] - 40.0) < 0.01
    )
