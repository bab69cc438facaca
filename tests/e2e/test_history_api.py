"""POST /v1/history and POST /v1/deals load dated stage changes and deals over HTTP."""

from __future__ import annotations

from tests.e2e.conftest import Api


def person(api: Api) -> int:
    reply = api.client.post("/v1/people", json={"people": [{"email": "anna@firma.fi"}]}, headers=api.admin)
    assert reply.status_code == 200, reply.text
    return int(reply.json()["items"][0]["person_id"])


def test_dated_changes_are_stored_once_and_the_latest_sets_the_stage(api: Api) -> None:
    pid = person(api)
    changes = [
        {"email": "anna@firma.fi", "to": "mql", "occurred_at": "2017-01-05T10:00:00Z"},
        {"person_id": pid, "to": "customer", "occurred_at": 1488326400, "amount": 1054.0, "actor": "crm"},
    ]
    first = api.client.post("/v1/history", json={"changes": changes}, headers=api.admin)
    again = api.client.post("/v1/history", json={"changes": changes}, headers=api.admin)
    assert first.json() == {"records": 2, "created": 2, "already_stored": 0}
    assert again.json() == {"records": 2, "created": 0, "already_stored": 2}
    info = api.client.get(f"/v1/people/{pid}/lifecycle", headers=api.admin).json()
    assert info["stage"] == "customer"
    assert [(h["to_stage"], h["occurred_ts"]) for h in info["history"]] == [
        ("mql", 1483610400.0),
        ("customer", 1488326400.0),
    ]


def test_a_change_for_nobody_is_refused_with_its_field_and_index(api: Api) -> None:
    person(api)
    changes = [
        {"email": "anna@firma.fi", "to": "mql", "occurred_at": "2017-01-05"},
        {"email": "nobody@firma.fi", "to": "mql", "occurred_at": "2017-01-05"},
    ]
    reply = api.client.post("/v1/history", json={"changes": changes}, headers=api.admin)
    assert reply.status_code == 422
    assert reply.json()["error"]["errors"][0] | {"reason": ""} == {
        "field": "email",
        "value": "nobody@firma.fi",
        "index": 1,
        "reason": "",
    }


def test_an_ingest_key_may_not_load_history(api: Api) -> None:
    body = {"changes": [{"person_id": 1, "to": "mql", "occurred_at": 0}]}
    assert api.client.post("/v1/history", json=body, headers=api.ingest).status_code == 403


def test_deals_are_created_then_updated_by_their_external_id(api: Api) -> None:
    account = {"accounts": [{"name": "Cancity", "domain": "cancity.example"}]}
    assert api.client.post("/v1/accounts", json=account, headers=api.admin).status_code == 200
    deals = [
        {"external_id": "1C1I7A6R", "account_name": "Cancity", "stage": "Won", "amount": 1054,
         "created_at": "2016-10-20", "closed_at": "2017-03-01", "owner": "Moses Frase"},
        {"external_id": "EC4QE1BX", "stage": "Prospecting"},
    ]  # fmt: skip
    first = api.client.post("/v1/deals", json={"deals": deals}, headers=api.admin)
    again = api.client.post("/v1/deals", json={"deals": deals}, headers=api.admin)
    assert first.json() == {"records": 2, "created": 2, "updated": 0, "unchanged": 0}
    assert again.json() == {"records": 2, "created": 0, "updated": 0, "unchanged": 2}
    deals[1] |= {"amount": 800, "owner": "Moses Frase"}
    changed = api.client.post("/v1/deals", json={"deals": deals}, headers=api.admin)
    assert changed.json() == {"records": 2, "created": 0, "updated": 1, "unchanged": 1}
    aid = api.client.get("/v1/accounts?domain=cancity.example", headers=api.admin).json()["items"][0]["id"]
    shown = api.client.get(f"/v1/accounts/{aid}", headers=api.admin).json()["opportunities"]
    assert [(o["external_id"], o["stage"], o["amount"]) for o in shown] == [("1C1I7A6R", "won", 1054.0)]


def test_people_and_accounts_keep_the_creation_date_they_were_sent_with(api: Api) -> None:
    people = {"people": [{"email": "old@firma.fi", "created_at": "2016-10-20"}]}
    pid = api.client.post("/v1/people", json=people, headers=api.admin).json()["items"][0]["person_id"]
    accounts = {"accounts": [{"domain": "cancity.example", "created_at": 1476921600}]}
    aid = api.client.post("/v1/accounts", json=accounts, headers=api.admin).json()["items"][0]["account_id"]
    assert (
        api.client.get(f"/v1/people/{pid}", headers=api.admin)
        .json()["created_at"]
        .startswith("2016-10-20T00:00:00")
    )
    assert (
        api.client.get(f"/v1/accounts/{aid}", headers=api.admin)
        .json()["created_at"]
        .startswith("2016-10-20T00:00:00")
    )
    bad = api.client.post(
        "/v1/people", json={"people": [{"email": "x@firma.fi", "created_at": "soon"}]}, headers=api.admin
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["errors"][0]["field"] == "created_at"
