"""The incremental engine agrees with the reference evaluator for any arrival order of any events."""

from __future__ import annotations

import math
from dataclasses import fields
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from liidi.domain.accounts import Account, Tier
from liidi.domain.events import Event
from liidi.domain.people import BuyingRole, Person
from liidi.domain.scoring import ScoreCard, load_model_file, score
from liidi.engines.incremental import ScoreState, advance, card, relevance

MODEL = load_model_file(Path(__file__).resolve().parents[2] / "examples" / "scoring.yaml")
T0 = 1_780_000_000.0
DAY = 86400.0
PERSON = Person(1, ("cio@acme.fi",), title="CIO", role=BuyingRole.DECISION_MAKER)
ACCOUNT = Account(1, "acme.fi", industry="manufacturing", country="FI", employees=200, tier=Tier.MOST_WANTED)

PATHS = [
    "/palvelut/pilvi/hinnat",
    "/palvelut/pilvi",
    "/palvelut/tietoturva",
    "/blogi/ai",
    "/rekry/",
    "/hinnasto",
]
KINDS = [
    "page_view",
    "page_view",
    "page_view",
    "email_click",
    "ad_click",
    "download",
    "demo_request",
    "email_open",
    "event_attended",
    "product_usage",
    "unsubscribe",
    "chat",
]


@st.composite
def an_event(draw: st.DrawFn) -> Event:
    kind = draw(st.sampled_from(KINDS))
    props: dict[str, Any] = {"path": draw(st.sampled_from(PATHS))} if kind == "page_view" else {}
    if draw(st.booleans()):
        props["topic"] = draw(st.sampled_from(["cloud", "security", "data"]))
    if draw(st.booleans()):
        props["stage"] = draw(st.sampled_from(["need_recognised", "comparing_solutions", "deciding"]))
    if kind == "product_usage":
        props |= {"metric": "messages_sent", "value": draw(st.integers(0, 400))}
    day = draw(st.floats(0, 60, allow_nan=False))
    return Event(f"e{draw(st.integers(0, 10**9))}", kind, T0 + day * DAY, T0 + day * DAY, props, 1)


def close(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b, strict=True))
    if hasattr(a, "__dataclass_fields__"):
        return type(a) is type(b) and all(close(getattr(a, f.name), getattr(b, f.name)) for f in fields(a))
    return bool(a == b)


def same_card(a: ScoreCard, b: ScoreCard) -> bool:
    return close(a, b)


@settings(max_examples=80, deadline=None)
@given(
    events=st.lists(an_event(), max_size=40, unique_by=lambda e: e.event_id),
    chunks=st.lists(st.integers(1, 8), min_size=1, max_size=10),
    reads=st.lists(st.floats(-5, 70, allow_nan=False), min_size=1, max_size=4),
)
def test_the_incremental_card_equals_the_reference_at_any_read_time(
    events: list[Event], chunks: list[int], reads: list[float]
) -> None:
    state = ScoreState()
    position = 0
    for size in chunks * 10:
        if position >= len(events):
            break
        state = advance(MODEL, PERSON, ACCOUNT, state, events[position : position + size])
        position += size
    state = advance(MODEL, PERSON, ACCOUNT, state, events[position:])
    for day in reads:
        as_of = T0 + day * DAY
        assert same_card(
            card(MODEL, PERSON, ACCOUNT, state, as_of), score(MODEL, PERSON, ACCOUNT, events, as_of)
        )


@settings(max_examples=30, deadline=None)
@given(events=st.lists(an_event(), min_size=1, max_size=30, unique_by=lambda e: e.event_id))
def test_resending_events_changes_nothing(events: list[Event]) -> None:
    once = advance(MODEL, PERSON, ACCOUNT, ScoreState(), events)
    twice = advance(MODEL, PERSON, ACCOUNT, once, list(reversed(events)))
    assert twice == once


def test_a_change_of_title_recomputes_the_first_qualification() -> None:
    raiser = Event("r1", "page_view", T0, T0, {"path": "/palvelut/pilvi"}, 1)
    student = Person(1, ("s@acme.fi",), title="Student", role=BuyingRole.OTHER)
    state = advance(MODEL, student, ACCOUNT, ScoreState(), [raiser])
    promoted = advance(MODEL, PERSON, ACCOUNT, state, [])
    assert promoted.fit != state.fit
    assert same_card(
        card(MODEL, PERSON, ACCOUNT, promoted, T0 + DAY), score(MODEL, PERSON, ACCOUNT, [raiser], T0 + DAY)
    )


def test_events_no_rule_reads_are_not_kept() -> None:
    keep = relevance(MODEL)
    assert keep(Event("a", "page_view", T0, T0, {}, 1))
    assert not keep(Event("b", "custom.poll_answer", T0, T0, {}, 1))
    assert keep(Event("c", "custom.poll_answer", T0, T0, {"topic": "cloud"}, 1))
