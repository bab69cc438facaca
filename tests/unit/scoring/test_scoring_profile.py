"""Themes and buying stage (R7): what the lead cares about and where it is in buying."""

from __future__ import annotations

import pytest
from scoring_support import card, event, model

from liidi.domain.events import Event

PROFILE = model(
    """
    model: profile
    themes: {from: properties.topic, half_life: 30d, top: 2}
    buying_stage:
      order: [early_interest, need_recognised, comparing_solutions, deciding]
      within: 90d
      min_events: 2
      strong_events: {demo_request: deciding}
    """
)


def test_themes_are_weighted_by_recency_and_ranked() -> None:
    events = [
        event("page_view", 0, topic="pilvi"),
        event("download", 30, topic="pilvi"),
        event("page_view", 30, topic="tietoturva"),
        event("page_view", 0, topic="integraatiot"),
    ]
    themes = card(PROFILE, events, day=30).themes
    assert [(t.theme, t.weight) for t in themes] == [("pilvi", 1.5), ("tietoturva", 1.0)]
    assert themes[0].share == pytest.approx(1.5 / 3.0)


def test_theme_ties_are_broken_by_name_and_lists_count_each_tag() -> None:
    events = [event("page_view", 0, topic=["tietoturva", "pilvi", "pilvi"])]
    assert [t.theme for t in card(PROFILE, events, day=0).themes] == ["pilvi", "tietoturva"]


def stage(*tagged: tuple[float, str], extra: list[Event] | None = None, day: float = 20) -> str | None:
    """The buying stage from page views tagged (day, stage)."""
    events = [event("page_view", d, stage=s) for d, s in tagged] + (extra or [])
    return card(PROFILE, events, day=day).buying_stage


def test_the_latest_stage_with_strong_evidence_wins() -> None:
    assert (
        stage((1, "deciding"), (2, "deciding"), (10, "early_interest"), (11, "early_interest"))
        == "early_interest"
    )


def test_a_single_event_is_weak_evidence() -> None:
    assert stage((1, "need_recognised"), (2, "need_recognised"), (12, "deciding")) == "need_recognised"
    assert stage((12, "deciding")) is None


def test_a_strong_event_type_is_enough_on_its_own() -> None:
    assert (
        stage((1, "need_recognised"), (2, "need_recognised"), extra=[event("demo_request", 5)]) == "deciding"
    )


def test_evidence_older_than_the_look_back_is_forgotten() -> None:
    assert stage((1, "deciding"), (2, "deciding"), day=91) == "deciding"
    assert stage((1, "deciding"), (2, "deciding"), day=92) is None


def test_when_two_stages_were_last_seen_at_once_the_later_stage_wins() -> None:
    assert (
        stage((1, "need_recognised"), (5, "need_recognised"), (3, "deciding"), (5, "deciding")) == "deciding"
    )
