"""Touches: checked when entered by hand, never refused when they come from an event."""

from __future__ import annotations

import pytest

from liidi.domain.touches import check_touch, touch_of_event
from liidi.errors import ValidationFailed
from tests.builders import NOW


def test_a_touch_entered_by_hand_keeps_its_time_and_defaults_to_now() -> None:
    touch = check_touch(
        kind="call", occurred_at="2026-10-26T06:00:00Z", actor=" rep@x.fi ", note=None, source="crm", now=NOW
    )
    assert (touch.kind, touch.actor, touch.source) == ("call", "rep@x.fi", "crm")
    assert touch.occurred_ts == 1_792_994_400.0
    assert (
        check_touch(kind="note", occurred_at=None, actor=None, note="x", source="rep", now=NOW).occurred_ts
        == NOW
    )


def test_every_bad_field_of_a_touch_is_named() -> None:
    with pytest.raises(ValidationFailed) as caught:
        check_touch(
            kind="fax", occurred_at="yesterday", actor="a\x00b", note="n" * 2001, source="web", now=NOW
        )
    assert [e.field for e in caught.value.errors] == ["kind", "source", "occurred_at", "actor", "note"]


def test_a_touch_in_the_future_is_refused() -> None:
    with pytest.raises(ValidationFailed) as caught:
        check_touch(kind="call", occurred_at=NOW + 3600, actor=None, note=None, source="rep", now=NOW)
    assert "future" in caught.value.errors[0].reason


def test_an_event_touch_takes_kind_actor_or_rep_and_falls_back_instead_of_refusing() -> None:
    touch = touch_of_event("e1", NOW, {"kind": "Meeting", "rep": "rep@x.fi", "note": "demo"})
    assert (touch.kind, touch.actor, touch.note, touch.source, touch.event_id) == (
        "meeting",
        "rep@x.fi",
        "demo",
        "event",
        "e1",
    )
    odd = touch_of_event("e2", NOW, {"kind": "linkedin", "actor": 5, "source": "crm"})
    assert (odd.kind, odd.actor, odd.source) == ("other", None, "crm")
