"""`/v1/webhooks` and `/v1/outbox`: secrets never returned, hostile input refused naming the field."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from liidi.services.unit_of_work import UnitOfWork
from tests.e2e.conftest import Api
from tests.e2e.test_api_errors import refused
from tests.integration.test_dispatch import merges, queue

PUBLIC = "https://93.184.215.14/hooks/liidi?token=abc"
MAX_INT64 = 2**63 - 1


def test_a_webhook_added_over_the_api_shows_its_generated_secret_once_and_never_again(api: Api) -> None:
    reply = api.client.post(
        "/v1/webhooks", json={"url": PUBLIC, "events": ["lead.assigned"]}, headers=api.admin
    )
    assert reply.status_code == 201, reply.text
    added = reply.json()
    secret = added["secret"]
    assert secret.startswith("whsec_") and added["secret_hint"] == f"…{secret[-4:]}"
    assert added["url"] == "https://93.184.215.14/hooks/liidi?…" and added["events"] == ["lead.assigned"]

    listed = api.client.get("/v1/webhooks", headers=api.admin)
    assert listed.status_code == 200 and secret not in listed.text and "token=abc" not in listed.text
    [item] = listed.json()["items"]
    assert item["id"] == added["id"] and "secret" not in item and item["secret_hint"] == added["secret_hint"]


def test_a_webhook_with_its_own_secret_does_not_get_it_back(api: Api) -> None:
    body = {"url": PUBLIC, "secret": "my-own-secret-of-20-chars"}
    reply = api.client.post("/v1/webhooks", json=body, headers=api.admin)
    assert reply.status_code == 201 and reply.json()["secret"] is None
    assert "my-own-secret" not in reply.text


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({"url": "ftp://93.184.215.14/x"}, "url", "must be an http:// or https:// URL"),
        ({"url": "javascript:alert(1)"}, "url", "must be an http:// or https:// URL"),
        ({"url": "http://"}, "url", "has no host"),
        ({"url": "http://93.184.215.14:99999/"}, "url", "not a valid URL"),
        ({"url": "http://10.1.2.3/hook"}, "url", "is a private address"),
        ({"url": "http://169.254.169.254/latest/meta-data"}, "url", "is a link-local address"),
        ({"url": "http://[::1]/hook"}, "url", "is a loopback address"),
        ({"url": "http://[::ffff:127.0.0.1]/hook"}, "url", "is a loopback address"),
        ({"url": "http://0.0.0.0/hook"}, "url", "is an unspecified address"),
        ({"url": "http://no-such-host.invalid/hook"}, "url", "does not resolve"),
        ({"url": "http://93.184.215.14/a\x00b"}, "url", "NUL"),
        ({"url": "http://93.184.215.14/" + "a" * 5000}, "url", "at most 2000"),
        ({"url": "http://93.184.215.14/a b"}, "url", "spaces or control characters"),
        ({"url": PUBLIC, "events": ["lead.vanished"]}, "events", "unknown topic"),
        ({"url": PUBLIC, "secret": "short"}, "secret", "16–200 characters"),
        ({"url": PUBLIC, "kind": "slack", "secret": "x" * 20}, "secret", "not signed"),
        ({"url": PUBLIC, "kind": "pager"}, "kind", "must be one of webhook, slack"),
        ({"url": PUBLIC, "colour": "red"}, "colour", "Extra inputs"),
    ],
)
def test_hostile_webhook_input_is_refused_with_the_field_value_and_reason_and_nothing_stored(
    api: Api, body: dict[str, object], field: str, reason: str
) -> None:
    error = refused(api.client.post("/v1/webhooks", json=body, headers=api.admin), 422, field)
    assert any(reason in e["reason"] for e in error["errors"]), error
    assert api.client.get("/v1/webhooks", headers=api.admin).json()["items"] == []


def test_a_refused_secret_is_not_echoed_in_full(api: Api) -> None:
    reply = api.client.post(
        "/v1/webhooks", json={"url": PUBLIC, "secret": "tooshort-secret"}, headers=api.admin
    )
    assert reply.status_code == 422 and "tooshort" not in reply.text


@pytest.mark.parametrize(
    ("method", "path", "status", "field"),
    [
        ("delete", "/v1/webhooks/999", 404, None),
        ("delete", "/v1/webhooks/0", 422, "subscription_id"),
        ("delete", f"/v1/webhooks/{MAX_INT64 + 1}", 422, "subscription_id"),
        ("get", "/v1/outbox/999", 404, None),
        ("get", "/v1/outbox/abc", 422, "message_id"),
        ("post", "/v1/outbox/999/replay", 404, None),
        ("get", "/v1/outbox?status=lost", 422, "status"),
        ("get", "/v1/outbox?colour=red", 422, "colour"),
        ("get", "/v1/outbox?status=a%00b", 422, "status"),
        ("get", f"/v1/outbox?before={MAX_INT64 + 1}", 422, "before"),
    ],
)
def test_unknown_ids_and_bad_parameters_get_a_4xx_in_the_one_error_body(
    api: Api, method: str, path: str, status: int, field: str | None
) -> None:
    reply = getattr(api.client, method)(path, headers=api.admin)
    if field:
        refused(reply, status, field)
    else:
        assert reply.status_code == status and reply.json()["error"]["code"] == "not_found"


def test_the_outbox_lists_messages_newest_first_and_replays_only_settled_ones(
    api: Api, engine: Engine
) -> None:
    ids = queue(lambda: UnitOfWork(engine), merges(3))
    page = api.client.get("/v1/outbox?limit=2", headers=api.admin).json()
    assert [m["id"] for m in page["items"]] == ids[:0:-1] and page["next_before"] == ids[1]
    rest = api.client.get(f"/v1/outbox?before={page['next_before']}", headers=api.admin).json()
    assert [m["id"] for m in rest["items"]] == ids[:1] and rest["next_before"] is None
    detail = api.client.get(f"/v1/outbox/{ids[0]}", headers=api.admin).json()
    assert detail["payload"] == {"survivor_id": 1, "merged_id": 1001} and detail["deliveries"] == []

    pending = api.client.post(f"/v1/outbox/{ids[0]}/replay", headers=api.admin)
    assert pending.status_code == 409 and "still pending" in pending.json()["error"]["message"]
    with UnitOfWork(engine) as uow:
        uow.outbox.claim("w", 10, 1e10, 30)
        uow.outbox.settle(ids[0], "w", {"status": "dead", "last_error": "HTTP 500"})
        uow.commit()
    assert [
        m["id"] for m in api.client.get("/v1/outbox?failed=true", headers=api.admin).json()["items"]
    ] == ids[:1]
    replayed = api.client.post(f"/v1/outbox/{ids[0]}/replay", headers=api.admin)
    assert replayed.status_code == 202 and replayed.json() == {
        "id": ids[0],
        "status": "pending",
        "deliveries": 0,
    }


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/v1/webhooks"),
        ("post", "/v1/webhooks"),
        ("get", "/v1/outbox"),
        ("post", "/v1/outbox/1/replay"),
    ],
)
def test_an_ingest_key_may_not_touch_webhooks_or_the_outbox(api: Api, method: str, path: str) -> None:
    reply = getattr(api.client, method)(path, headers=api.ingest)
    assert reply.status_code == 403 and reply.json()["error"]["code"] == "forbidden"


def test_the_openapi_document_describes_the_webhook_and_outbox_routes(api: Api) -> None:
    paths = api.client.get("/openapi.json").json()["paths"]
    assert {"post", "get"} <= set(paths["/v1/webhooks"]) and "delete" in paths[
        "/v1/webhooks/{subscription_id}"
    ]
    assert "202" in paths["/v1/outbox/{message_id}/replay"]["post"]["responses"]
    assert "422" in paths["/v1/webhooks"]["post"]["responses"]
