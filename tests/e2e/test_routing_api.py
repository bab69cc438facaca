"""The routing API end to end: PUT/GET /v1/routing, POST /v1/people/{id}/assign, the report, bad input."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from liidi.services.unit_of_work import UnitOfWork
from tests.e2e.conftest import Api
from tests.routing_support import ROUTING, raise_hand, set_up

EXAMPLE = (Path(__file__).resolve().parents[2] / "examples" / "routing.yaml").read_text(encoding="utf-8")
YAML = {"Content-Type": "application/yaml"}
ACME = {"domain": "acme.fi", "name": "Acme Oy", "country": "FI", "employees": 300}


def routed(engine: Engine) -> int:
    """The test routing in force and one hand-raiser at acme.fi, routed to anna@firma.fi."""
    new_uow = lambda: UnitOfWork(engine)  # noqa: E731
    set_up(new_uow, accounts=[ACME])
    return raise_hand(new_uow, "aino@acme.fi")


def test_a_routing_document_is_put_in_force_as_yaml_or_json_and_read_back(api: Api) -> None:
    assert api.client.get("/v1/routing", headers=api.admin).status_code == 404
    first = api.client.put("/v1/routing", content=EXAMPLE, headers=api.admin | YAML)
    assert first.status_code == 200 and (first.json()["label"], first.json()["created"]) == (
        "routing@v1",
        True,
    )
    again = api.client.put(
        "/v1/routing", json={"source": EXAMPLE, "author": "ops@firma.fi"}, headers=api.admin
    )
    assert (again.json()["version"], again.json()["created"]) == (1, False)
    changed = api.client.put(
        "/v1/routing", json={"source": ROUTING, "author": "ops@firma.fi"}, headers=api.admin
    )
    assert (changed.json()["version"], changed.json()["author"]) == (2, "ops@firma.fi")
    body = api.client.get("/v1/routing", headers=api.admin).json()
    assert body["source"] == ROUTING and body["summary"] == "2 teams, 3 reps, 2 rules, 2 motions"
    assert body["plan"]["rules"][0] == {
        "name": "Nordic countries",
        "when": "account.country in [FI, SE]",
        "team": "nordics",
    }


def test_a_broken_document_is_refused_with_every_problem_at_its_line_and_nothing_is_stored(api: Api) -> None:
    broken = ROUTING.replace("capacity: 2}", "capacity: 99999999999}", 1).replace(
        "motion: low_touch", "motion: some"
    )
    reply = api.client.put("/v1/routing", content=broken, headers=api.admin | YAML)
    assert reply.status_code == 422 and reply.json()["error"]["code"] == "spec_error"
    errors = [(e["line"], e["column"], e["rule"], e["reason"]) for e in reply.json()["error"]["errors"]]
    assert errors == [
        (
            9,
            53,
            "rep 'anna@firma.fi'",
            "capacity: expected at most 1,000,000 leads a period, got 99999999999",
        ),
        (17, 30, "motion 'everyone'", "motion: expected one of no_touch, low_touch, high_touch, got 'some'"),
    ]
    assert api.client.get("/v1/routing", headers=api.admin).status_code == 404


def test_hostile_bodies_are_refused_with_the_field_value_and_reason(api: Api) -> None:
    cases = [
        ({"content": "routing: [", "headers": YAML}, "spec_error", None),
        ({"content": b"routing: \xff", "headers": YAML}, "validation_error", "body"),
        ({"content": "routing: x\x00", "headers": YAML}, "validation_error", "body"),
        ({"content": "   ", "headers": YAML}, "validation_error", "body"),
        ({"json": {"source": "routing: x\x00"}}, "validation_error", "source"),
        ({"json": {"source": ROUTING, "colour": "red"}}, "validation_error", "colour"),
        ({"json": {"source": ROUTING, "author": "a" * 255}}, "validation_error", "author"),
        ({"content": "{nope", "headers": {"Content-Type": "application/json"}}, "validation_error", "body"),
        ({"content": ROUTING, "headers": {"Content-Type": "image/png"}}, "validation_error", "content-type"),
        (
            {"content": "[" * 100_000, "headers": {"Content-Type": "application/json"}},
            "validation_error",
            "body",
        ),
    ]
    for request, code, field in cases:
        reply = api.client.put("/v1/routing", headers=api.admin | request.pop("headers", {}), **request)  # type: ignore[arg-type]
        assert reply.status_code == 422, (request, reply.text)
        error = reply.json()["error"]
        assert error["code"] == code and (field is None or error["errors"][0]["field"] == field), error
    huge = api.client.put("/v1/routing", content="x" * 300_000, headers=api.admin | YAML)
    assert huge.status_code == 413
    assert api.client.put("/v1/routing", content=ROUTING, headers=api.ingest | YAML).status_code == 403
    assert api.client.get("/v1/routing", headers=api.admin).status_code == 404


def test_a_person_is_assigned_by_hand_and_the_api_shows_the_assignment(api: Api, engine: Engine) -> None:
    pid = routed(engine)
    person = api.client.get(f"/v1/people/{pid}", headers=api.admin).json()
    assert person["owner"] == "anna@firma.fi" and person["assignment"]["method"] == "round_robin"
    reply = api.client.post(
        f"/v1/people/{pid}/assign", json={"to": "Bert@firma.fi", "reason": "knows them"}, headers=api.admin
    )
    assert reply.status_code == 200
    assert {k: reply.json()[k] for k in ("owner", "team", "method", "reason", "actor")} == {
        "owner": "bert@firma.fi",
        "team": "nordics",
        "method": "manual",
        "reason": "manual: knows them",
        "actor": "api",
    }
    person = api.client.get(f"/v1/people/{pid}", headers=api.admin).json()
    assert [a["owner"] for a in person["assignments"]] == ["anna@firma.fi", "bert@firma.fi"]
    [lead] = api.client.get("/v1/leads?owner=bert@firma.fi", headers=api.admin).json()["items"]
    assert lead["person"]["id"] == pid and lead["assignment"]["reason"] == "manual: knows them"
    assert api.client.get("/v1/leads?owner=anna@firma.fi", headers=api.admin).json()["items"] == []


def test_assigning_to_an_unknown_rep_a_missing_person_or_with_odd_values_is_refused(
    api: Api, engine: Engine
) -> None:
    pid = routed(engine)
    cases = [
        (pid, {"to": "ghost@firma.fi"}, 422, "to"),
        (pid, {"to": "dora@firma.fi\x00"}, 422, "to"),
        (pid, {"to": "dora@firma.fi", "reason": "r" * 301}, 422, "reason"),
        (pid, {"to": "dora@firma.fi", "extra": 1}, 422, "extra"),
        (pid, {"to": "anna@firma.fi"}, 409, None),
        (999_999, {"to": "dora@firma.fi"}, 404, None),
        (2**63, {"to": "dora@firma.fi"}, 422, "person_id"),
    ]
    for person_id, body, status, field in cases:
        reply = api.client.post(f"/v1/people/{person_id}/assign", json=body, headers=api.admin)
        assert reply.status_code == status, (body, reply.text)
        if field:
            assert reply.json()["error"]["errors"][0]["field"] == field
    with UnitOfWork(engine) as uow:
        assert len(uow.assignments.history(pid)) == 1


def test_the_fairness_report_and_its_errors(api: Api, engine: Engine) -> None:
    assert api.client.get("/v1/routing/report", headers=api.admin).status_code == 404
    routed(engine)
    reply = api.client.get("/v1/routing/report?since=2026-10-01&until=2026-11-01", headers=api.admin)
    assert reply.status_code == 200 and reply.json()["total"] == 1
    anna = reply.json()["items"][0]
    assert (anna["owner"], anna["leads"], anna["target"], anna["difference"]) == (
        "anna@firma.fi",
        1,
        0.5,
        0.5,
    )
    bad = api.client.get("/v1/routing/report?since=yesterday", headers=api.admin)
    assert bad.status_code == 422 and bad.json()["error"]["errors"][0]["field"] == "since"
    backwards = api.client.get("/v1/routing/report?since=2026-11-02&until=2026-11-01", headers=api.admin)
    assert backwards.status_code == 422


def test_the_openapi_document_describes_the_routing_routes_and_both_body_types(api: Api) -> None:
    paths = api.client.get("/openapi.json").json()["paths"]
    assert {"/v1/routing", "/v1/routing/report", "/v1/people/{person_id}/assign"} <= set(paths)
    body = paths["/v1/routing"]["put"]["requestBody"]["content"]
    assert set(body) == {"application/json", "application/yaml"}
    assert "422" in paths["/v1/routing"]["put"]["responses"]
