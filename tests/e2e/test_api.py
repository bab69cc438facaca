"""The HTTP API end to end: keys, ingestion, identify, reads, merge, and bad input."""

from __future__ import annotations

import time
from typing import Any

from tests.e2e.conftest import Api


def ev(i: int, **fields: Any) -> dict[str, Any]:
    return {"id": f"e{i}", "type": "page_view", "occurred_at": time.time() - 60, **fields}


def test_requests_without_a_key_get_401_and_wrong_scope_gets_403(api: Api) -> None:
    assert api.client.post("/v1/events", json={"events": [ev(1, email="a@b.fi")]}).status_code == 401
    bad = {"Authorization": "Bearer liidi_nope_nope"}
    assert api.client.get("/v1/people", headers=bad).status_code == 401
    reply = api.client.get("/v1/people", headers=api.ingest)
    assert reply.status_code == 403 and reply.json()["error"]["code"] == "forbidden"


def test_an_ingest_key_sends_events_and_a_resent_batch_says_nothing_new(api: Api) -> None:
    batch = {
        "events": [ev(i, email="anna@kivikoski.fi", properties={"path": "/palvelut/pilvi"}) for i in range(3)]
    }
    first = api.client.post("/v1/events", json=batch, headers=api.ingest).json()
    assert (first["stored"], first["duplicates"]) == (3, 0)
    again = api.client.post("/v1/events", json=batch, headers=api.ingest).json()
    assert (again["stored"], again["duplicates"]) == (0, 3)
    assert "nothing new" in again["message"]


def test_identify_joins_anonymous_history_and_people_can_be_read_back(api: Api) -> None:
    api.client.post(
        "/v1/events", json={"events": [ev(i, anonymous_id="anon-9") for i in range(2)]}, headers=api.ingest
    )
    body = {"email": "Matti@Kivikoski.fi", "anonymous_id": "anon-9", "traits": {"title": "IT Director"}}
    ident = api.client.post("/v1/identify", json=body, headers=api.admin).json()
    assert ident["events_attributed"] == 2 and ident["created"] is True
    person = api.client.get(f"/v1/people/{ident['person_id']}", headers=api.admin).json()
    assert person["email"] == "matti@kivikoski.fi" and person["role"] == "decision_maker"
    assert person["account"]["domain"] == "kivikoski.fi" and person["event_count"] == 2
    listed = api.client.get("/v1/people", params={"email": "matti@kivikoski.fi"}, headers=api.admin).json()
    assert [p["id"] for p in listed["items"]] == [ident["person_id"]]
    events = api.client.get(f"/v1/people/{ident['person_id']}/events", headers=api.admin).json()
    assert len(events["items"]) == 2


def test_an_invalid_item_gets_422_naming_index_field_value_and_reason(api: Api) -> None:
    batch = {
        "events": [
            ev(1, email="ok@firma.fi"),
            ev(2, email="not-an-email"),
            ev(3, type="pageview", email="x@y.fi"),
        ]
    }
    reply = api.client.post("/v1/events", json=batch, headers=api.ingest)
    assert reply.status_code == 422
    errors = reply.json()["error"]["errors"]
    assert {
        "index": 1,
        "field": "email",
        "value": "not-an-email",
        "reason": "e-mail address has no '@'",
    } in errors
    assert any(e["index"] == 2 and e["field"] == "type" and "custom." in e["reason"] for e in errors)
    assert api.client.get("/v1/stats", headers=api.admin).json()["events"] == 0


def test_custom_event_types_need_the_custom_prefix(api: Api) -> None:
    ok = api.client.post(
        "/v1/events", json={"events": [ev(1, type="custom.webinar_poll", email="a@b.fi")]}, headers=api.ingest
    )
    assert ok.status_code == 200


def test_a_timestamp_far_in_the_future_is_refused(api: Api) -> None:
    reply = api.client.post(
        "/v1/events",
        json={"events": [ev(1, email="a@b.fi", occurred_at="2099-01-01T00:00:00Z")]},
        headers=api.ingest,
    )
    assert reply.status_code == 422
    assert reply.json()["error"]["errors"][0]["field"] == "occurred_at"


def test_an_unknown_field_and_a_wrong_type_are_named(api: Api) -> None:
    reply = api.client.post(
        "/v1/events", json={"events": [ev(1, email="a@b.fi", emial="x")]}, headers=api.ingest
    )
    assert reply.status_code == 422
    assert reply.json()["error"]["errors"][0] == {
        "field": "emial",
        "value": "x",
        "reason": "unknown field; an event has "
        "anonymous_id, email, id, occurred_at, person_id, properties, type",
        "index": 0,
    }
    reply = api.client.post("/v1/events", json={"events": "nope"}, headers=api.ingest)
    assert reply.status_code == 422 and reply.json()["error"]["errors"][0]["field"] == "events"


def test_oversized_bodies_and_batches_get_413(api: Api) -> None:
    big = {"events": [ev(i, email="a@b.fi", properties={"pad": "x" * 400}) for i in range(1000)]}
    reply = api.client.post("/v1/events", json=big, headers=api.ingest)
    assert reply.status_code == 413 and reply.json()["error"]["code"] == "payload_too_large"
    many = {"events": [{"type": "page_view", "email": "a@b.fi"} for _ in range(1001)]}
    reply = api.client.post("/v1/events", json=many, headers=api.ingest)
    assert reply.status_code == 413


def test_malformed_json_is_a_422_not_a_traceback(api: Api) -> None:
    reply = api.client.post(
        "/v1/events", content=b"{not json", headers={**api.ingest, "content-type": "application/json"}
    )
    assert reply.status_code == 422 and reply.json()["error"]["code"] == "validation_error"


def test_people_and_accounts_upsert_and_merge_through_the_api(api: Api) -> None:
    accounts = {
        "accounts": [
            {"domain": "kivikoski.fi", "name": "Kivikoski Oy", "employees": 120, "tier": "most_wanted"}
        ]
    }
    assert api.client.post("/v1/accounts", json=accounts, headers=api.admin).json()["items"][0]["created"]
    people = {"people": [{"email": "a@kivikoski.fi", "title": "CEO"}, {"email": "a.k@gmail.com"}]}
    ids = [
        i["person_id"] for i in api.client.post("/v1/people", json=people, headers=api.admin).json()["items"]
    ]
    merged = api.client.post(
        "/v1/people/merge", json={"survivor_id": ids[0], "merged_id": ids[1]}, headers=api.admin
    )
    assert merged.status_code == 200
    account = api.client.get("/v1/accounts", params={"tier": "most_wanted"}, headers=api.admin).json()[
        "items"
    ][0]
    detail = api.client.get(f"/v1/accounts/{account['id']}", headers=api.admin).json()
    assert [p["email"] for p in detail["people"]] == ["a@kivikoski.fi"]
    again = api.client.post(
        "/v1/people/merge", json={"survivor_id": ids[0], "merged_id": ids[1]}, headers=api.admin
    )
    assert again.status_code == 409


def test_a_bad_account_record_refuses_the_whole_upsert(api: Api) -> None:
    body = {"accounts": [{"domain": "ok.fi"}, {"domain": "ok2.fi", "employees": "many"}]}
    reply = api.client.post("/v1/accounts", json=body, headers=api.admin)
    assert reply.status_code == 422
    assert reply.json()["error"]["errors"][0] == {
        "field": "employees",
        "value": "many",
        "reason": "Input should be a valid integer, unable to parse string as an integer",
        "index": 1,
    }
    assert api.client.get("/v1/accounts", headers=api.admin).json()["items"] == []
    assert api.client.get("/v1/accounts", headers=api.admin).json()["items"] == []


def test_missing_people_get_404_and_openapi_is_served(api: Api) -> None:
    assert api.client.get("/v1/people/999", headers=api.admin).status_code == 404
    spec = api.client.get("/openapi.json").json()
    assert {"/v1/events", "/v1/identify", "/v1/people/merge"} <= set(spec["paths"])
    assert api.client.get("/docs").status_code == 200


def test_a_disallowed_transition_answers_409_with_the_allowed_moves(api: Api) -> None:
    pid = api.client.post("/v1/identify", json={"email": "l@firma.fi"}, headers=api.admin).json()["person_id"]
    reply = api.client.post(f"/v1/people/{pid}/transition", json={"to": "customer"}, headers=api.admin)
    assert reply.status_code == 409 and reply.json()["error"]["allowed"] == ["mql", "sal", "disqualified"]
    ok = api.client.post(
        f"/v1/people/{pid}/transition", json={"to": "sal", "actor": "rep@x.fi"}, headers=api.admin
    )
    assert ok.status_code == 200 and ok.json()["to"] == "sal"
    info = api.client.get(f"/v1/people/{pid}/lifecycle", headers=api.admin).json()
    assert info["stage"] == "sal" and "recycled" in info["allowed_moves"]
