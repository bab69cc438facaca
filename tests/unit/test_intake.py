"""Checking incoming events before anything is stored."""

from __future__ import annotations

import pytest

from liidi.domain.intake import parse_account_fields, parse_events, parse_person_fields
from liidi.errors import ValidationFailed

NOW = 1_793_000_000.0


def errors_of(items: list[dict[str, object]]) -> list[tuple[int | None, str]]:
    with pytest.raises(ValidationFailed) as caught:
        parse_events(items, now=NOW, tolerance=300)
    return [(e.index, e.field) for e in caught.value.errors]


def test_every_problem_of_a_batch_is_reported_with_its_index() -> None:
    items = [
        {"type": "page_view", "email": "a@b.fi"},
        {"type": "page_vieww", "email": "a@b.fi"},
        {"type": "download", "email": "bad"},
        {"type": "download"},
        {"type": "order", "email": "a@b.fi", "occurred_at": "yesterday"},
    ]
    assert errors_of(items) == [(1, "type"), (2, "email"), (3, "email"), (4, "occurred_at")]


def test_custom_types_need_a_name_after_the_prefix() -> None:
    assert errors_of([{"type": "custom.", "email": "a@b.fi"}]) == [(0, "type")]
    assert parse_events([{"type": "custom.poll_answer", "email": "a@b.fi"}], now=NOW, tolerance=0)[0].type


def test_times_in_the_future_beyond_the_tolerance_are_refused_but_clock_skew_is_not() -> None:
    ok = parse_events(
        [{"type": "page_view", "email": "a@b.fi", "occurred_at": NOW + 200}], now=NOW, tolerance=300
    )
    assert ok[0].occurred_ts == NOW + 200
    assert errors_of([{"type": "page_view", "email": "a@b.fi", "occurred_at": NOW + 400}]) == [
        (0, "occurred_at")
    ]


def test_iso_times_with_z_and_offsets_are_read_as_utc() -> None:
    items = [
        {"type": "page_view", "email": "a@b.fi", "occurred_at": "2026-10-26T07:33:20Z"},
        {"type": "page_view", "email": "a@b.fi", "occurred_at": "2026-10-26T09:33:20+02:00"},
    ]
    assert {c.occurred_ts for c in parse_events(items, now=NOW, tolerance=0)} == {NOW}


def test_events_without_an_id_get_a_stable_content_key() -> None:
    item = {"type": "page_view", "email": "A@b.fi", "occurred_at": NOW - 5, "properties": {"path": "/"}}
    first = parse_events([item], now=NOW, tolerance=0)[0].event_id
    assert first == parse_events([dict(item)], now=NOW + 99, tolerance=0)[0].event_id
    assert first != parse_events([{**item, "occurred_at": NOW - 6}], now=NOW, tolerance=0)[0].event_id


def test_person_fields_refuse_unknown_choices_and_derive_nothing_silently() -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_person_fields({"consent": "maybe", "sourced_by": "partners", "account_domain": "not a domain"})
    assert [e.field for e in caught.value.errors] == ["consent", "sourced_by", "account_domain"]


def test_an_account_needs_a_domain_or_an_external_id() -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_account_fields({"name": "Nameless Oy"})
    assert caught.value.errors[0].field == "domain"
    assert parse_account_fields({"domain": "WWW.Firma.fi", "employees": "40"}) == {
        "domain": "firma.fi",
        "employees": 40,
    }
