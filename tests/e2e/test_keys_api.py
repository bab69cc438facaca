"""API keys over HTTP: revocation across processes, and the key checked before the body is read."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from liidi.api.app import create_app
from liidi.config import Settings
from liidi.services.keys import create_key, revoke_key
from liidi.services.unit_of_work import UnitOfWork
from liidi.storage.session import make_engine
from tests.e2e.conftest import Api

MALFORMED = {"content": b"{not json", "headers": {"content-type": "application/json"}}


def _app(db_url: str) -> Iterator[TestClient]:
    engine = make_engine(db_url)
    with TestClient(create_app(Settings(database_url=db_url), engine)) as client:
        yield client
    engine.dispose()


@pytest.fixture
def first(db_url: str) -> Iterator[TestClient]:
    """One server process: its own app and engine on the test database."""
    yield from _app(db_url)


@pytest.fixture
def second(db_url: str) -> Iterator[TestClient]:
    """Another server process on the same database."""
    yield from _app(db_url)


def test_a_key_revoked_in_one_process_is_refused_by_another_on_its_next_request(
    first: TestClient, second: TestClient, db_url: str
) -> None:
    engine = make_engine(db_url)
    key = create_key(UnitOfWork(engine), scope="admin")
    auth = {"Authorization": f"Bearer {key.secret}"}
    assert first.get("/v1/people", headers=auth).status_code == 200
    assert second.get("/v1/people", headers=auth).status_code == 200
    assert revoke_key(UnitOfWork(second.app.state.engine), prefix=key.prefix)  # type: ignore[attr-defined]
    refused = first.get("/v1/people", headers=auth)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorized"
    assert second.get("/v1/people", headers=auth).status_code == 401
    engine.dispose()


def test_an_ingest_key_on_an_admin_route_gets_403_whatever_its_body(api: Api) -> None:
    malformed = api.client.post("/v1/people", headers={**api.ingest, **MALFORMED["headers"]}, content=b"{x")
    assert malformed.status_code == 403 and malformed.json()["error"]["code"] == "forbidden"
    wrong_shape = api.client.post("/v1/people", json={"people": "nope", "extra": 1}, headers=api.ingest)
    assert wrong_shape.status_code == 403
    merge = api.client.post("/v1/people/merge", json={}, headers=api.ingest)
    assert merge.status_code == 403


def test_a_request_without_a_valid_key_gets_401_before_any_body_validation(api: Api) -> None:
    for path in ("/v1/people", "/v1/identify", "/v1/events", "/v1/accounts"):
        reply = api.client.post(path, **MALFORMED)  # type: ignore[arg-type]
        assert reply.status_code == 401, path
        assert reply.json()["error"]["code"] == "unauthorized"
        assert reply.headers["www-authenticate"] == "Bearer"
    bad = {"Authorization": "Bearer liidi_nope_nope", "content-type": "application/json"}
    assert api.client.post("/v1/identify", content=b"[", headers=bad).status_code == 401
    assert api.client.post("/v1/identify", json={"traits": 5}).status_code == 401


def test_a_right_key_with_a_malformed_body_still_gets_422(api: Api) -> None:
    admin = api.client.post("/v1/people", headers={**api.admin, **MALFORMED["headers"]}, content=b"{x")
    assert admin.status_code == 422 and admin.json()["error"]["code"] == "validation_error"
    ingest = api.client.post("/v1/identify", headers={**api.ingest, **MALFORMED["headers"]}, content=b"{x")
    assert ingest.status_code == 422


def test_the_key_may_also_come_in_the_x_api_key_header(api: Api) -> None:
    admin_key = api.admin["Authorization"].removeprefix("Bearer ")
    assert api.client.get("/v1/people", headers={"X-API-Key": admin_key}).status_code == 200


def test_every_keyed_route_checks_the_key_before_its_body_and_query(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    keyed = [
        (method, re.sub(r"\{[^}]+\}", "1", path), "requestBody" in operation)
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        if operation.get("security")
    ]
    assert len(keyed) >= 20
    for method, path, has_body in keyed:
        body = MALFORMED if has_body else {}
        anonymous = api.client.request(method, path, params={"bogus": "x"}, **body)  # type: ignore[arg-type]
        assert anonymous.status_code == 401, (method, path)
        if path not in ("/v1/events", "/v1/identify"):
            headers = {**api.ingest, **MALFORMED["headers"]}
            ingest = api.client.request(method, path, params={"bogus": "x"}, content=b"{x", headers=headers)
            assert ingest.status_code == 403, (method, path)


def test_a_request_reads_its_key_from_the_database_exactly_once(api: Api, engine: Engine) -> None:
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731  (conn, cursor, statement, ...)
    event.listen(engine, "before_cursor_execute", listener)
    try:
        api.client.post("/v1/people", json={"people": [{"email": "a@firma.fi"}]}, headers=api.admin)
        api.client.post("/v1/identify", json={"email": "b@firma.fi"}, headers=api.ingest)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert sum("api_keys" in s for s in statements) == 2
