"""The evaluator's ground rules: events after the as-of time are ignored and input order never matters."""

from __future__ import annotations

import random
from pathlib import Path

from scoring_support import card, event

from liidi.domain.events import Event
from liidi.domain.scoring import format_card, load_model_file

EXAMPLE = load_model_file(Path(__file__).resolve().parents[3] / "examples" / "scoring.yaml")


def history() -> list[Event]:
    """A month of varied activity on the example model."""
    return [
        event("page_view", 0, path="/palvelut/pilvi/kubernetes", topic="pilvi", stage="need_recognised"),
        event("page_view", 1, path="/palvelut/pilvi/hinnat", topic="pilvi", stage="comparing_solutions"),
        event("page_view", 2, path="/palvelut/pilvi/", topic="pilvi", stage="comparing_solutions"),
        event("email_click", 2.5, campaign="pilvi-webinar"),
        event("ad_click", 3),
        event("download", 4, topic="tietoturva", stage="need_recognised"),
        event("page_view", 5, path="/referenssit/valmistaja", stage="deciding"),
        event("page_view", 6, path="/rekry/avoimet"),
        event("email_open", 7),
        event("product_usage", 8, metric="messages_sent", value=120),
    ]


def test_events_after_the_as_of_time_are_ignored() -> None:
    events = history()
    later = [event("contact_request", 9), event("page_view", 30, path="/hinnasto")]
    assert card(EXAMPLE, events + later, day=8.5) == card(EXAMPLE, events, day=8.5)


def test_the_order_events_arrive_in_does_not_change_the_card() -> None:
    events = history()
    shuffled = events[:]
    random.Random(7).shuffle(shuffled)
    assert card(EXAMPLE, shuffled, day=10) == card(EXAMPLE, events, day=10)


def test_every_point_is_explained_and_the_lines_add_up() -> None:
    scored = card(EXAMPLE, history(), day=10)
    assert abs(sum(r.points for r in scored.rules) - scored.score) < 1e-9
    assert len(scored.explanation) == len(scored.rules) + 1
    assert scored.explanation[-1].startswith("= ")


def test_the_terminal_view_shows_the_verdict_profile_and_rules() -> None:
    text = format_card(card(EXAMPLE, history(), day=10))
    assert "core-services · person 1 · as of 2023-11-25 00:00 UTC" in text
    assert "qualified: MQL since 2023-11-18 00:00 UTC" in text
    assert "buying stage: need_recognised · themes: pilvi 74%, tietoturva 26%" in text
    assert "signal cloud binge: active" in text
    assert "service page visit" in text and "careers page" in text
