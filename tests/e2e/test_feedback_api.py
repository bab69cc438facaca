"""Feedback over HTTP: accept, reject, step back, convert, close and touches, with hostile input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from liidi.api.app import create_app
from liidi.config import Settings
from liidi.errors import SpecError
from tests.e2e.conftest import Api


def handed_over(api: Api, email: str = "anna@kivikoski.fi") -> int:
    pid: int = api.client.post("/v1/identify", json={"email": email}, headers=api.admin).json()["person_id"]
    moved = api.client.post(f"/v1/people/{pid}/transition", json={"to": "mql"}, headers=api.admin)
    assert moved.status_code == 200
    return pid


def post(api: Api, pid: int, action: str, body: dict[str, Any] | None = None, **kw: Any) -> Any:
    return api.client.post(f"/v1/people/{pid}/{action}", json=body or {}, headers=api.admin, **kw)


def test_a_lead_goes_from_hand_over_to_a_won_deal_through_the_feedback_routes(api: Api) -> None:
    pid = handed_over(api)
    accepted = post(api, pid, "accept", {"actor": "rep@firma.fi"})
    assert accepted.status_code == 200
    assert accepted.json() | {"occurred_ts": 0} == {
        "action": "accept",
        "person_id": pid,
        "from": "mql",
        "to": "sal",
        "reason": None,
        "actor": "rep@firma.fi",
        "occurred_ts": 0,
        "deal": None,
    }
    converted = post(api, pid, "convert", {"opportunity": True, "amount": 12000, "currency": "EUR"}).json()
    assert converted["to"] == "opportunity" and converted["deal"]["amount"] == 12000.0
    closed = post(api, pid, "close", {"outcome": "won", "amount": 12500.5}).json()
    assert (
        closed["to"] == "customer"
        and closed["deal"]["stage"] == "won"
        and closed["deal"]["amount"] == 12500.5
    )
    info = api.client.get(f"/v1/people/{pid}/lifecycle", headers=api.admin).json()
    assert [h["to_stage"] for h in info["history"]] == ["mql", "sal", "sql", "opportunity", "customer"]


def test_an_unknown_reason_answers_422_listing_the_known_reasons(api: Api) -> None:
    pid = handed_over(api)
    reply = post(api, pid, "reject", {"reason": "bored"})
    assert reply.status_code == 422
    [error] = reply.json()["error"]["errors"]
    assert (error["field"], error["value"]) == ("reason", "bored") and "not_ready, no_budget" in error[
        "reason"
    ]
    missing = post(api, pid, "reject", {})
    assert missing.status_code == 422 and missing.json()["error"]["errors"][0]["reason"].startswith(
        "is required"
    )


def test_a_second_decision_on_the_same_lead_answers_409_with_the_open_actions(api: Api) -> None:
    pid = handed_over(api)
    assert post(api, pid, "reject", {"reason": "student"}).status_code == 200
    again = post(api, pid, "accept")
    assert again.status_code == 409
    body = again.json()["error"]
    assert (
        body["code"] == "invalid_transition" and body["allowed"] == [] and "disqualified" in body["message"]
    )


def test_closing_a_lead_with_no_open_deal_answers_409(api: Api) -> None:
    pid = handed_over(api)
    reply = post(api, pid, "close", {"outcome": "lost", "reason": "price"})
    assert reply.status_code == 409 and "no open deal" in reply.json()["error"]["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"opportunity": True, "amount": -1}, "amount"),
        ({"opportunity": True, "amount": 10**400}, "amount"),
        ({"opportunity": True, "amount": 1e16}, "amount"),
        ({"opportunity": True, "amount": "12000"}, "amount"),
        ({"opportunity": True, "currency": "euro"}, "currency"),
        ({"opportunity": True, "currency": "EU\u0000"}, "currency"),
        ({"amount": 5}, "amount"),
        ({"actor": "rep\u0000"}, "actor"),
        ({"actor": "r" * 300}, "actor"),
        ({"stage": "won"}, "stage"),
    ],
)
def test_hostile_convert_bodies_are_refused_naming_the_field_and_store_nothing(
    api: Api, body: dict[str, Any], field: str
) -> None:
    pid = handed_over(api)
    post(api, pid, "accept")
    reply = post(api, pid, "convert", body)
    assert reply.status_code == 422 and reply.json()["error"]["errors"][0]["field"] == field
    assert api.client.get(f"/v1/people/{pid}/lifecycle", headers=api.admin).json()["stage"] == "sal"


@pytest.mark.parametrize(
    "raw", ['{"opportunity": true, "amount": NaN}', '{"opportunity": true, "amount": 1e400}']
)
def test_nan_and_infinite_amounts_are_refused(api: Api, raw: str) -> None:
    pid = handed_over(api)
    post(api, pid, "accept")
    headers = api.admin | {"content-type": "application/json"}
    reply = api.client.post(f"/v1/people/{pid}/convert", content=raw, headers=headers)
    assert reply.status_code == 422 and reply.json()["error"]["errors"][0]["field"] == "amount"


def test_feedback_for_an_unknown_person_answers_404_and_needs_an_admin_key(api: Api) -> None:
    assert post(api, 987654, "accept").status_code == 404
    reply = api.client.post("/v1/people/1/accept", json={}, headers=api.ingest)
    assert reply.status_code == 403


def test_touches_are_recorded_and_listed_newest_first(api: Api) -> None:
    pid = handed_over(api)
    first = api.client.post(
        f"/v1/people/{pid}/touches",
        json={"kind": "call", "occurred_at": "2020-01-01T10:00:00Z", "actor": "rep@x.fi", "source": "crm"},
        headers=api.admin,
    )
    assert first.status_code == 200 and first.json()["occurred_ts"] == 1_577_872_800.0
    api.client.post(
        f"/v1/people/{pid}/touches", json={"kind": "note", "note": "left a voicemail"}, headers=api.admin
    )
    listed = api.client.get(f"/v1/people/{pid}/touches", headers=api.admin).json()["touches"]
    assert [t["kind"] for t in listed] == ["note", "call"] and listed[0]["source"] == "rep"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "fax"}, "kind"),
        ({"kind": "call", "occurred_at": "2999-01-01"}, "occurred_at"),
        ({"kind": "call", "occurred_at": "soon"}, "occurred_at"),
        ({"kind": "call", "note": "a\u0000b"}, "note"),
        ({"kind": "call", "source": "web"}, "source"),
        ({"kind": "call", "occurred_at": [1]}, "occurred_at"),
    ],
)
def test_a_bad_touch_is_refused_naming_the_field(api: Api, body: dict[str, Any], field: str) -> None:
    pid = handed_over(api)
    reply = api.client.post(f"/v1/people/{pid}/touches", json=body, headers=api.admin)
    assert reply.status_code == 422 and reply.json()["error"]["errors"][0]["field"] == field
    assert api.client.get(f"/v1/people/{pid}/touches", headers=api.admin).json()["touches"] == []


def test_a_touch_at_nan_is_refused(api: Api) -> None:
    pid = handed_over(api)
    headers = api.admin | {"content-type": "application/json"}
    raw = '{"kind": "call", "occurred_at": NaN}'
    reply = api.client.post(f"/v1/people/{pid}/touches", content=raw, headers=headers)
    assert reply.status_code == 422 and reply.json()["error"]["errors"][0]["field"] == "occurred_at"


def test_only_an_admin_keys_sales_touch_events_record_touches(api: Api) -> None:
    pid = handed_over(api)
    for key, event_id in ((api.ingest, "forged"), (api.admin, "crm-9")):
        batch = {
            "events": [
                {"id": event_id, "type": "sales_touch", "person_id": pid, "properties": {"kind": "call"}}
            ]
        }
        assert api.client.post("/v1/events", json=batch, headers=key).status_code == 200
    listed = api.client.get(f"/v1/people/{pid}/touches", headers=api.admin).json()["touches"]
    assert [t["event_id"] for t in listed] == ["crm-9"]


def test_the_reasons_route_lists_the_codes_and_their_stages(api: Api) -> None:
    reasons = api.client.get("/v1/feedback/reasons", headers=api.admin).json()["reasons"]
    assert {"action": "reject", "reason": "spam", "to": "disqualified"}.items() <= reasons[6].items()


def test_the_acceptance_report_counts_the_hand_overs_of_a_period(api: Api) -> None:
    accepted, rejected = handed_over(api, "a@kivikoski.fi"), handed_over(api, "b@kivikoski.fi")
    handed_over(api, "c@kivikoski.fi")
    post(api, accepted, "accept")
    post(api, rejected, "reject", {"reason": "no_budget"})
    report = api.client.get(
        "/v1/reports/acceptance", params={"since": "2020-01-01"}, headers=api.admin
    ).json()
    assert report["handed_over"] == 3 and report["sales_ready"] == 0.5
    assert report["rejected_by_reason"][0]["reason"] == "no_budget"
    bad = api.client.get("/v1/reports/acceptance", params={"until": "someday"}, headers=api.admin)
    assert bad.status_code == 422 and bad.json()["error"]["errors"][0]["field"] == "until"
    backwards = api.client.get(
        "/v1/reports/acceptance", params={"since": "2026-02-01", "until": "2026-01-01"}, headers=api.admin
    )
    assert backwards.status_code == 422 and backwards.json()["error"]["errors"][0]["field"] == "until"


def test_the_openapi_schema_documents_every_feedback_route_and_its_409(api: Api) -> None:
    paths = api.client.get("/openapi.json").json()["paths"]
    for action in ("accept", "reject", "step-back", "convert", "close", "touches"):
        route = paths[f"/v1/people/{{person_id}}/{action}"]["post"]
        assert "409" in route["responses"] and "422" in route["responses"]
    assert "/v1/reports/acceptance" in paths and "/v1/feedback/reasons" in paths


def test_an_app_started_with_a_reasons_file_uses_its_codes(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    from liidi.services.keys import create_key
    from liidi.services.unit_of_work import UnitOfWork

    path = tmp_path / "reasons.yaml"
    path.write_text("reject:\n  partner: disqualify\n", encoding="utf-8")
    key = {"Authorization": f"Bearer {create_key(UnitOfWork(engine), scope='admin').secret}"}
    with TestClient(create_app(Settings(database_url=db_url, feedback_reasons=path), engine)) as client:
        pid = client.post("/v1/identify", json={"email": "p@partner.fi"}, headers=key).json()["person_id"]
        client.post(f"/v1/people/{pid}/transition", json={"to": "mql"}, headers=key)
        assert (
            client.post(f"/v1/people/{pid}/reject", json={"reason": "spam"}, headers=key).status_code == 422
        )
        done = client.post(f"/v1/people/{pid}/reject", json={"reason": "partner"}, headers=key).json()
        assert done["to"] == "disqualified"
    path.write_text("reject:\n  partner: maybe\n", encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        create_app(Settings(database_url=db_url, feedback_reasons=path), engine)
    assert "reasons.yaml:2:12" in caught.value.message
