"""What an ingest key may do through /v1/identify: describe a new person, never rewrite a known one."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import Api

KNOWN = {
    "email": "anna@kivikoski.fi",
    "first_name": "Anna",
    "title": "Assistant",
    "owner": "rep@myyja.fi",
    "consent": "withdrawn",
}


def _known_person(api: Api) -> dict[str, Any]:
    reply = api.client.post("/v1/people", json={"people": [KNOWN]}, headers=api.admin)
    pid = reply.json()["items"][0]["person_id"]
    return _person(api, pid)


def _person(api: Api, pid: int) -> dict[str, Any]:
    person: dict[str, Any] = api.client.get(f"/v1/people/{pid}", headers=api.admin).json()
    return person


def _by_email(api: Api, email: str) -> dict[str, Any]:
    [item] = api.client.get("/v1/people", params={"email": email}, headers=api.admin).json()["items"]
    return _person(api, item["id"])


CRM_OWNED = ["owner", "account_domain", "account_id", "direction", "sourced_by"]


def test_an_ingest_identify_leaves_a_known_persons_owner_account_consent_and_role_unchanged(
    api: Api,
) -> None:
    before = _known_person(api)
    form = {"first_name": "Mallory", "title": "CEO", "consent": "granted", "traits": {"phone": "1"}}
    reply = api.client.post(
        "/v1/identify", json={"email": KNOWN["email"], "traits": form}, headers=api.ingest
    )
    assert reply.status_code == 200
    after = _person(api, before["id"])
    for name in ("owner", "account_id", "consent", "role", "seniority", "title", "first_name", "traits"):
        assert after[name] == before[name], name
    assert (after["owner"], after["consent"], after["title"]) == ("rep@myyja.fi", "withdrawn", "Assistant")


@pytest.mark.parametrize(
    "field, value",
    [
        ("owner", "mallory@evil.fi"),
        ("account_domain", "evil.fi"),
        ("account_id", 1),
        ("direction", "outbound"),
        ("sourced_by", "sales"),
    ],
)
def test_an_ingest_key_may_not_set_crm_owned_fields_and_nothing_is_stored(
    api: Api, field: str, value: Any
) -> None:
    before = _known_person(api)
    for email in (KNOWN["email"], "new@firma.fi"):
        body = {"email": email, "anonymous_id": "anon-1", "traits": {field: value}}
        reply = api.client.post("/v1/identify", json=body, headers=api.ingest)
        assert reply.status_code == 403, reply.text
        error = reply.json()["error"]
        assert error["code"] == "forbidden" and field in error["message"]
    assert _person(api, before["id"]) == before
    listed = api.client.get("/v1/people", params={"email": "new@firma.fi"}, headers=api.admin).json()
    assert listed["items"] == []


def test_an_ingest_identify_reply_is_the_same_for_a_known_and_an_unknown_email(api: Api) -> None:
    _known_person(api)
    form = {"first_name": "Maija", "title": "CTO", "consent": "granted"}
    replies = [
        api.client.post("/v1/identify", json={"email": email, "traits": form}, headers=api.ingest)
        for email in (KNOWN["email"], "maija@firma.fi")
    ]
    assert [r.status_code for r in replies] == [200, 200]
    assert replies[0].json() == replies[1].json() == {"events_attributed": 0}
    assert replies[0].headers.keys() == replies[1].headers.keys()


def test_an_ingest_key_describes_a_new_person_as_the_web_form_saw_them(api: Api) -> None:
    events = [{"id": f"e{i}", "type": "page_view", "anonymous_id": "anon-7"} for i in range(2)]
    api.client.post("/v1/events", json={"events": events}, headers=api.ingest)
    form = {
        "first_name": "Maija",
        "last_name": "Virta",
        "title": "IT-johtaja",
        "consent": "granted",
        "lead_tool": "contact_form",
        "channel": "web",
        "traits": {"phone": "+358 40 123 4567"},
    }
    body = {"email": "maija@firma.fi", "anonymous_id": "anon-7", "traits": form}
    reply = api.client.post("/v1/identify", json=body, headers=api.ingest)
    assert reply.json() == {"events_attributed": 2}
    person = _by_email(api, "maija@firma.fi")
    assert (person["first_name"], person["last_name"], person["consent"]) == ("Maija", "Virta", "granted")
    assert person["role"] == "decision_maker" and person["traits"] == {"phone": "+358 40 123 4567"}
    assert person["event_count"] == 2


def test_an_ingest_key_still_ties_a_known_persons_anonymous_history_to_them(api: Api) -> None:
    before = _known_person(api)
    events = [{"id": f"a{i}", "type": "page_view", "anonymous_id": "anon-3"} for i in range(3)]
    api.client.post("/v1/events", json={"events": events}, headers=api.ingest)
    body = {"email": KNOWN["email"], "anonymous_id": "anon-3"}
    assert api.client.post("/v1/identify", json=body, headers=api.ingest).json() == {"events_attributed": 3}
    assert _person(api, before["id"])["event_count"] == 3


def test_an_admin_key_keeps_full_power_over_identify(api: Api) -> None:
    before = _known_person(api)
    traits = {"owner": "boss@myyja.fi", "consent": "granted", "account_domain": "uusi.fi", "title": "CEO"}
    reply = api.client.post(
        "/v1/identify", json={"email": KNOWN["email"], "traits": traits}, headers=api.admin
    ).json()
    assert reply == {"person_id": before["id"], "created": False, "events_attributed": 0}
    after = _person(api, before["id"])
    assert (after["owner"], after["consent"], after["role"]) == ("boss@myyja.fi", "granted", "decision_maker")
    assert after["account"]["domain"] == "uusi.fi" and after["account_id"] != before["account_id"]


def test_an_unknown_trait_from_an_ingest_key_is_refused_by_name(api: Api) -> None:
    body = {"email": "x@firma.fi", "traits": {"phone": "1"}}
    reply = api.client.post("/v1/identify", json=body, headers=api.ingest)
    assert reply.status_code == 403 and "phone" in reply.json()["error"]["message"]


def test_an_ingest_keys_event_reply_is_the_same_for_a_known_and_an_unknown_email(api: Api) -> None:
    _known_person(api)
    replies = []
    for i, email in enumerate((KNOWN["email"], "uusi@firma.fi")):
        batch = {"events": [{"id": f"x{i}", "type": "page_view", "email": email}]}
        reply = api.client.post("/v1/events", json=batch, headers=api.ingest).json()
        replies.append(reply | {"items": [item | {"event_id": "x"} for item in reply["items"]]})
    assert replies[0] == replies[1]
    assert replies[0]["items"] == [{"index": 0, "event_id": "x", "status": "stored"}]
    assert "people_created" not in replies[0] and "stage_changes" not in replies[0]
    full = api.client.post(
        "/v1/events",
        json={"events": [{"id": "y", "type": "page_view", "email": "n@firma.fi"}]},
        headers=api.admin,
    ).json()
    assert full["people_created"] == 1 and full["items"][0]["person_id"] is not None
