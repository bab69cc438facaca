"""Bad input over HTTP gets a 4xx in the one documented error body, never a 500 or a traceback."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from liidi.api.app import create_app
from liidi.config import Settings
from tests.builders import publish
from tests.e2e.conftest import Api
from tests.e2e.test_scores_api import MODEL, NewUow

HUGE = 99999999999999999999


def refused(reply: Any, status: int, field: str) -> dict[str, Any]:
    """The error of a reply, checked to have the status, the one body shape and an entry for the field."""
    assert reply.status_code == status, reply.text
    error: dict[str, Any] = reply.json()["error"]
    assert set(error) <= {"code", "message", "errors", "allowed"} and error["message"]
    assert field in [e["field"] for e in error.get("errors", [])], error
    return error


def identified(api: Api, email: str = "anna@kivikoski.fi") -> int:
    reply = api.client.post("/v1/identify", json={"email": email}, headers=api.admin)
    assert reply.status_code == 200, reply.text
    person_id: int = reply.json()["person_id"]
    return person_id


@pytest.mark.parametrize(
    ("url", "field"),
    [
        (f"/v1/people?after={HUGE}", "after"),
        (f"/v1/people?account_id={HUGE}", "account_id"),
        (f"/v1/accounts?min_employees={HUGE}", "min_employees"),
        (f"/v1/people/{HUGE}", "person_id"),
        (f"/v1/people/{HUGE}/events", "person_id"),
        (f"/v1/people/{HUGE}/score", "person_id"),
        (f"/v1/accounts/{HUGE}", "account_id"),
        (f"/v1/backtests/{HUGE}", "job_id"),
        (f"/v1/models/core/versions/{HUGE}", "version"),
        (f"/v1/models/core/diff?a=1&b={HUGE}", "b"),
    ],
)
def test_integers_beyond_64_bits_in_paths_and_queries_are_422_naming_the_field(
    api: Api, url: str, field: str
) -> None:
    error = refused(api.client.get(url, headers=api.admin), 422, field)
    assert "nothing stored" not in error["message"]


def test_integers_beyond_64_bits_in_bodies_are_422_naming_the_field(api: Api) -> None:
    person = identified(api)
    event = {"type": "page_view", "person_id": HUGE}
    refused(api.client.post("/v1/events", json={"events": [event]}, headers=api.ingest), 422, "person_id")
    people = {"people": [{"email": "b@kivikoski.fi", "account_id": HUGE}]}
    refused(api.client.post("/v1/people", json=people, headers=api.admin), 422, "account_id")
    accounts = {"accounts": [{"domain": "kivikoski.fi", "employees": HUGE}]}
    refused(api.client.post("/v1/accounts", json=accounts, headers=api.admin), 422, "employees")
    merge = {"survivor_id": person, "merged_id": HUGE}
    refused(api.client.post("/v1/people/merge", json=merge, headers=api.admin), 422, "merged_id")
    move = api.client.post(f"/v1/people/{HUGE}/transition", json={"to": "sal"}, headers=api.admin)
    refused(move, 422, "person_id")


@pytest.mark.parametrize("as_of", ["1e12", "1e17", "-1e95", "nan", "inf", "-inf", "tomorrow"])
def test_an_as_of_outside_the_calendar_is_422_naming_as_of(api: Api, as_of: str) -> None:
    person = identified(api)
    reply = api.client.get(f"/v1/people/{person}/score", params={"as_of": as_of}, headers=api.admin)
    error = refused(reply, 422, "as_of")
    assert "nothing stored" not in error["message"]


@pytest.mark.parametrize(
    ("as_of", "seen"),
    [
        ("2026-11-01", "2026-11-01T00:00:00+00:00"),
        ("2026-11-01T09:30:00Z", "2026-11-01T09:30:00+00:00"),
        ("2026-11-01T09:30:00+02:00", "2026-11-01T07:30:00+00:00"),
        ("1793000000", "2026-10-26T07:33:20+00:00"),
    ],
)
def test_as_of_takes_iso_dates_as_the_cli_does(api: Api, new_uow: NewUow, as_of: str, seen: str) -> None:
    publish(new_uow, MODEL)
    person = identified(api)
    reply = api.client.get(f"/v1/people/{person}/score", params={"as_of": as_of}, headers=api.admin)
    assert reply.status_code == 200, reply.text
    assert [card["as_of"] for card in reply.json()["cards"]] == [seen]


def test_json_nested_100000_deep_is_422_not_a_recursion_error(api: Api, engine: Engine, db_url: str) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    raw = '{"events": [{"type": "page_view", "email": "a@b.fi", "properties": {"x": ' + deep + "}}]}"
    app = create_app(Settings(database_url=db_url, max_body_bytes=1_000_000), engine)
    with TestClient(app) as client:
        for url, key in (("/v1/events", api.ingest), ("/v1/people", api.admin), ("/v1/identify", api.ingest)):
            reply = client.post(url, content=raw, headers=key | {"content-type": "application/json"})
            refused(reply, 422, "body")


def test_properties_and_traits_nested_past_the_limit_are_refused(api: Api) -> None:
    deep: Any = "leaf"
    for _ in range(40):
        deep = {"x": deep}
    event = {"type": "page_view", "email": "a@kivikoski.fi", "properties": deep}
    reply = api.client.post("/v1/events", json={"events": [event]}, headers=api.ingest)
    error = refused(reply, 422, "properties." + ".".join(["x"] * 32))
    assert "nested deeper than 32 levels" in error["errors"][0]["reason"]


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_in_properties_are_refused_on_every_backend(api: Api, value: str) -> None:
    raw = '{"events": [{"type": "page_view", "email": "a@kivikoski.fi", "properties": {"n": VALUE}}]}'
    raw = raw.replace("VALUE", value)
    headers = api.ingest | {"content-type": "application/json"}
    error = refused(api.client.post("/v1/events", content=raw, headers=headers), 422, "properties.n")
    assert "not a JSON number" in error["errors"][0]["reason"]
    raw_traits = '{"people": [{"email": "a@kivikoski.fi", "traits": {"n": VALUE}}]}'.replace("VALUE", value)
    admin = api.admin | {"content-type": "application/json"}
    refused(api.client.post("/v1/people", content=raw_traits, headers=admin), 422, "traits.n")
    assert api.client.get("/v1/stats", headers=api.admin).json()["events"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"events": [{"id": "a\u0000b", "type": "page_view", "email": "a@kivikoski.fi"}]}, "id"),
        ({"events": [{"type": "page_view", "anonymous_id": "an\u0000on"}]}, "anonymous_id"),
        (
            {"events": [{"type": "page_view", "email": "a@kivikoski.fi", "properties": {"p": "x\u0000"}}]},
            "properties.p",
        ),
        (
            {"events": [{"type": "page_view", "email": "a@kivikoski.fi", "properties": {"k\u0000": 1}}]},
            "properties.'k\\x00'",
        ),
    ],
)
def test_nul_in_event_ids_and_properties_is_refused_on_every_backend(
    api: Api, body: dict[str, Any], field: str
) -> None:
    refused(api.client.post("/v1/events", json=body, headers=api.ingest), 422, field)
    assert api.client.get("/v1/stats", headers=api.admin).json()["events"] == 0


def test_nul_in_people_and_account_traits_and_names_is_refused_on_every_backend(api: Api) -> None:
    people = {"people": [{"email": "a@kivikoski.fi", "first_name": "An\u0000na"}]}
    refused(api.client.post("/v1/people", json=people, headers=api.admin), 422, "first_name")
    people = {"people": [{"email": "a@kivikoski.fi", "traits": {"segment": "mid\u0000"}}]}
    refused(api.client.post("/v1/people", json=people, headers=api.admin), 422, "traits.segment")
    accounts = {"accounts": [{"domain": "kivikoski.fi", "traits": {"t": ["\u0000"]}}]}
    refused(api.client.post("/v1/accounts", json=accounts, headers=api.admin), 422, "traits.t[0]")
    identify = {"email": "a@kivikoski.fi", "traits": {"title": "CT\u0000O", "traits": {"t": "\u0000"}}}
    error = refused(api.client.post("/v1/identify", json=identify, headers=api.ingest), 422, "title")
    assert "traits.t" in [e["field"] for e in error["errors"]]
    model = {"source": "model: core\n", "author": "an\u0000na"}
    refused(api.client.post("/v1/models", json=model, headers=api.admin), 422, "author")
    assert api.client.get("/v1/people?email=a%00b", headers=api.admin).status_code == 422
    assert api.client.get("/v1/stats", headers=api.admin).json()["people"] == 0


def test_yaml_nested_600_deep_is_a_spec_error_at_the_limit(api: Api) -> None:
    source = "model: core\nfit: " + "[" * 600 + "]" * 600 + "\n"
    error = refused(api.client.post("/v1/models", json={"source": source}, headers=api.admin), 422, "2:37 ")
    assert "nest deeper than 32 levels" in error["errors"][0]["reason"]


@pytest.mark.parametrize(
    ("query", "field", "allowed"),
    [
        ("grade=Z", "grade", "'A', 'B', 'C' or 'D'"),
        ("stage=hot", "stage", "'mql'"),
        ("colour=red", "colour", "allowed: grade, hot, limit, model, owner, stage, theme"),
    ],
)
def test_bad_enumerated_filters_and_unknown_parameters_are_422_naming_the_allowed_values(
    api: Api, query: str, field: str, allowed: str
) -> None:
    error = refused(api.client.get(f"/v1/leads?{query}", headers=api.admin), 422, field)
    assert allowed in error["errors"][0]["reason"]
    assert "nothing stored" not in error["message"]


def test_unknown_routes_and_methods_answer_the_one_error_body(api: Api) -> None:
    missing = api.client.get("/v1/nothing-here", headers=api.admin)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found" and "detail" not in missing.json()
    wrong = api.client.delete("/v1/people", headers=api.admin)
    assert wrong.status_code == 405 and wrong.json()["error"]["code"] == "method_not_allowed"
    assert wrong.headers["allow"] == "GET, POST"


def test_a_crash_is_a_500_in_the_one_error_body_without_a_traceback(api: Api) -> None:
    app = api.client.app

    def broken() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/v1/broken", broken)  # type: ignore[attr-defined]
    with TestClient(app, raise_server_exceptions=False) as client:
        reply = client.get("/v1/broken")
    assert reply.status_code == 500
    assert reply.json() == {
        "error": {"code": "internal_error", "message": "internal error; the request was not completed"}
    }


def test_the_schema_refuses_what_the_server_refuses(api: Api) -> None:
    schema = api.client.get("/openapi.json").json()
    parts = schema["components"]["schemas"]
    assert parts["EventBatch"]["properties"]["events"]["minItems"] == 1
    assert parts["IdentifyIn"]["properties"]["email"]["minLength"] >= 1
    assert parts["ModelIn"]["properties"]["source"]["minLength"] == 1
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if path.startswith("/v1"):
                assert {"401", "403", "404", "422"} <= set(operation["responses"]), (method, path)


def test_every_json_route_declares_the_shape_of_its_reply(api: Api) -> None:
    schema = api.client.get("/openapi.json").json()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            replies = operation["responses"]
            ok = next(replies[status] for status in ("200", "201", "202", "204") if status in replies)
            content = ok.get("content", {})
            if "application/json" in content:
                declared = content["application/json"]["schema"]
                assert "$ref" in declared or "additionalProperties" in declared, (method, path, declared)


def test_docs_load_swagger_ui_from_the_package_and_no_other_host(api: Api) -> None:
    page = api.client.get("/docs")
    assert page.status_code == 200
    assert not re.findall(r"(?:src|href)=['\"](?:https?:)?//", page.text), page.text
    assets = re.findall(r"(?:src|href)=['\"](/docs/static/[^'\"]+)", page.text)
    assert len(assets) >= 3
    for asset in assets:
        assert api.client.get(asset).status_code == 200, asset
    assert api.client.get("/redoc").status_code == 404
