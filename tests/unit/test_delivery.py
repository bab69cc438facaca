"""Delivery rules without I/O: back-off, settling, targets, addresses, signatures and rendering."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liidi.domain.delivery import (
    DEAD,
    DELIVERED,
    PENDING,
    DeliveryState,
    email_recipients,
    idempotency_key,
    retry_delay,
    settle,
)
from liidi.domain.webhooks import masked_url, parse_target, refusal
from liidi.errors import ValidationFailed
from liidi.notify import slack
from liidi.notify.email import html_of
from liidi.notify.render import note_for, plain
from liidi.notify.webhook import body_of, headers_of, signature
from liidi.services.deliveries import Work


@given(st.integers(1, 200), st.floats(0, 0.999))
def test_a_retry_waits_between_half_and_all_of_the_doubled_delay_never_past_the_cap(
    attempts: int, draw: float
) -> None:
    full = min(600.0, 10.0 * 2 ** (attempts - 1))
    wait = retry_delay(attempts, base=10.0, cap=600.0, draw=draw)
    assert full / 2 <= wait <= full <= 600.0


def test_retries_double_until_the_cap() -> None:
    waits = [retry_delay(n, base=10, cap=100, draw=0.999999) for n in range(1, 6)]
    assert [round(w) for w in waits] == [10, 20, 40, 80, 100]


def state(status: str, attempts: int = 1, next_ts: float = 0.0, error: str | None = None) -> DeliveryState:
    return DeliveryState(status, attempts, next_ts, error)


def test_a_message_stays_pending_until_its_earliest_retry_while_any_delivery_is_pending() -> None:
    done = settle([state(DELIVERED), state(PENDING, 2, 50.0, "HTTP 503"), state(PENDING, 1, 30.0)], 10.0)
    assert (done.status, done.available_ts, done.attempts, done.last_error) == (PENDING, 30.0, 2, "HTTP 503")


def test_a_message_is_dead_when_a_delivery_died_and_none_is_pending() -> None:
    done = settle([state(DELIVERED), state(DEAD, 10, error="HTTP 500")], 99.0)
    assert (done.status, done.last_error, done.attempts) == (DEAD, "HTTP 500", 10)


def test_a_message_with_no_delivery_is_delivered() -> None:
    assert settle([], 5.0).status == DELIVERED


def test_the_idempotency_key_is_stable_per_message_and_target() -> None:
    assert idempotency_key(12, "subscription:3") == "liidi-12-s3" == idempotency_key(12, "subscription:3")
    assert idempotency_key(12, "email") != idempotency_key(12, "subscription:3")


def test_e_mail_goes_to_a_valid_owner_else_to_the_notify_list() -> None:
    assert email_recipients({"owner": " Mikko@Firma.FI "}, ["sales@firma.fi"]) == ["mikko@firma.fi"]
    assert email_recipients({"owner": "not an address"}, ["sales@firma.fi"]) == ["sales@firma.fi"]
    assert email_recipients({}, []) == []


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "a loopback address"),
        ("::1", "a loopback address"),
        ("::ffff:10.0.0.1", "a private address"),
        ("169.254.169.254", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("10.0.0.1", "a private address"),
        ("172.16.5.4", "a private address"),
        ("192.168.0.1", "a private address"),
        ("fd00::1", "a private address"),
        ("0.0.0.0", "an unspecified address"),
        ("224.0.0.1", "a multicast address"),
        ("100.64.0.1", "not a public address"),
        ("93.184.215.14", None),
        ("2606:4700::1111", None),
    ],
)
def test_only_public_addresses_are_webhook_targets(address: str, reason: str | None) -> None:
    assert refusal(ipaddress.ip_address(address)) == reason


def test_a_target_url_gives_its_host_in_ascii_and_its_port() -> None:
    target = parse_target("https://bücher.example/hook")
    assert (target.scheme, target.host, target.port) == ("https", "xn--bcher-kva.example", 443)
    assert parse_target("http://[::1]:8080/x").port == 8080
    with pytest.raises(ValidationFailed, match="must be an http"):
        parse_target("file:///etc/passwd")


def test_listings_mask_credentials_in_urls() -> None:
    assert masked_url("https://user:pw@hooks.example/a?token=x", "webhook") == "https://hooks.example/a?…"
    assert (
        masked_url("https://hooks.slack.com/services/T0/B0/abcdefgh", "slack")
        == "https://hooks.slack.com/…efgh"
    )


def work(topic: str = "person.merged", payload: dict[str, object] | None = None, **values: object) -> Work:
    base: dict[str, object] = {
        "delivery_id": 1,
        "outbox_id": 42,
        "target": "subscription:3",
        "channel": "webhook",
        "topic": topic,
        "payload": payload if payload is not None else {"survivor_id": 1, "merged_id": 2},
        "created_ts": 1_780_000_000.0,
        "attempts": 0,
        "url": "https://hooks.example/x",
        "secret": "whsec_test",
    }
    return Work(**(base | values))  # type: ignore[arg-type]


def test_a_webhook_is_signed_over_the_timestamp_and_the_exact_body() -> None:
    body = body_of(work())
    assert body == (
        b'{"id":42,"topic":"person.merged","created_at":"2026-05-28T20:26:40Z",'
        b'"data":{"survivor_id":1,"merged_id":2}}'
    )
    headers = headers_of(work(), body, now=1_780_000_100.9)
    expected = hmac.new(b"whsec_test", b"1780000100." + body, hashlib.sha256).hexdigest()
    assert headers["X-Liidi-Timestamp"] == "1780000100"
    assert headers["X-Liidi-Signature"] == f"sha256={expected}" == signature("whsec_test", "1780000100", body)
    assert headers["Idempotency-Key"] == "liidi-42-s3"
    assert "X-Liidi-Signature" not in headers_of(work(secret=None), body)


def test_an_assigned_lead_with_little_context_still_renders_every_field() -> None:
    note = note_for("lead.assigned", {"person_id": 9, "owner": None, "team": None, "context": {}})
    assert note.title == "Lead assigned to the fallback queue: person 9"
    assert [label for label, _ in note.fields] == [
        "Who",
        "Why now",
        "Cares about",
        "Motion",
        "Owner",
        "SLA due",
    ]
    assert "SLA due: —" in plain(note)


def test_names_cannot_inject_slack_mentions_or_html() -> None:
    context = {"person": {"name": "<!channel> & <b>x</b>"}}
    note = note_for("lead.assigned", {"person_id": 1, "owner": "a@b.fi", "context": context})
    blocks = slack.blocks_of(note)
    assert "<!channel>" not in str(blocks) and "&lt;!channel&gt; &amp; &lt;b&gt;" in blocks[0]["text"]["text"]
    assert "<b>x</b>" not in html_of(note) and "&lt;b&gt;x&lt;/b&gt;" in html_of(note)


def test_other_topics_render_as_a_sentence_of_their_facts() -> None:
    moved = note_for("lead.stage_changed", {"person_id": 3, "from": "mql", "to": "sal", "actor": "rep"})
    assert moved.title == "Lead stage changed: person 3 mql → sal"
    merged = note_for("person.merged", {"survivor_id": 1, "merged_id": 2})
    assert merged.fields == [("Details", ["survivor_id: 1", "merged_id: 2"])]


def test_a_no_touch_lead_without_an_owner_is_mailed_to_nobody() -> None:
    automated = {"owner": None, "motion": "no_touch"}
    assert email_recipients(automated, ["sales@firma.fi"]) == []
    assert email_recipients({"owner": None, "motion": "low_touch"}, ["sales@firma.fi"]) == ["sales@firma.fi"]
