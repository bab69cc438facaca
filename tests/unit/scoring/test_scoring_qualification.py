"""Qualification: PQL thresholds, hand-raisers, signal ageing, precedence and when a lead first qualified."""

from __future__ import annotations

import pytest
from scoring_support import DAY, account, card, event, model

from liidi.domain.accounts import Tier
from liidi.domain.events import Event

PRODUCT = model(
    """
    model: pql
    grades: {A: 60, B: 40, C: 20}
    fit:
      - {name: most wanted, when: {account.tier: most_wanted}, points: 50}
    product:
      - name: active trial team
        at_least: 500
        sum: {event: product_usage, metric: messages_sent}
        within: 14d
    signals:
      - name: webinar fan
        at_least: 2
        of: {event: event_attended}
        within: 30d
        points: 10
    hand_raisers: [contact_request, {event: form_submit, form: contact}]
    qualify:
      mql: grade >= B and signal.webinar_fan
      pql: product.active_trial_team
    """
)


def usage(day: float, value: float, metric: str = "messages_sent") -> Event:
    """A product usage event."""
    return event("product_usage", day, metric=metric, value=value)


def test_a_team_reaching_the_usage_threshold_in_the_window_is_product_qualified() -> None:
    events = [usage(0, 200), usage(5, 200), usage(13, 100)]
    scored = card(PRODUCT, events, day=14)
    assert scored.pql
    assert scored.qualified_by == "pql"
    assert scored.qualified_at_ts == events[-1].occurred_ts
    assert scored.products[0].detail.startswith("value 500 over product_usage where metric = messages_sent")


def test_usage_below_the_threshold_or_outside_the_window_does_not_qualify() -> None:
    assert not card(PRODUCT, [usage(0, 200), usage(5, 200), usage(13, 99)], day=14).pql
    assert not card(PRODUCT, [usage(0, 300), usage(15, 300)], day=16).pql
    assert not card(PRODUCT, [usage(0, 300), usage(1, 300, metric="logins")], day=2).pql


def test_non_numeric_usage_values_add_nothing() -> None:
    assert not card(
        PRODUCT, [usage(0, 499), event("product_usage", 1, metric="messages_sent", value="1")], 2
    ).pql


def test_a_hand_raiser_qualifies_at_once_whatever_the_score() -> None:
    raised = event("contact_request", 3)
    scored = card(PRODUCT, [raised], day=10)
    assert scored.hand_raiser and not scored.mql and not scored.pql
    assert (scored.qualified_by, scored.qualified_at_ts) == ("hand_raiser", raised.occurred_ts)


def test_a_hand_raiser_may_be_a_filtered_event() -> None:
    assert card(PRODUCT, [event("form_submit", 1, form="contact")], day=2).hand_raiser
    assert not card(PRODUCT, [event("form_submit", 1, form="newsletter")], day=2).hand_raiser


def test_a_hand_raiser_wins_over_pql_at_the_same_moment() -> None:
    events = [usage(1, 500), event("contact_request", 1)]
    scored = card(PRODUCT, events, day=2)
    assert scored.pql and scored.hand_raiser
    assert scored.qualified_by == "hand_raiser"


def test_qualified_at_is_the_first_time_the_verdict_held_even_after_the_signal_expired() -> None:
    events = [event("event_attended", 0), event("event_attended", 10)]
    scored = card(PRODUCT, events, day=50)
    assert not scored.mql
    assert scored.qualified_by == "mql"
    assert scored.qualified_at_ts == events[1].occurred_ts


def test_a_signal_stays_active_for_thirty_days_after_it_last_fired_by_default() -> None:
    events = [event("event_attended", 0), event("event_attended", 10)]
    on_the_last_day = card(PRODUCT, events, day=40)
    after = card(PRODUCT, events, day=40 + 1 / DAY)
    assert on_the_last_day.mql and on_the_last_day.engagement == 10
    assert not after.mql and after.engagement == 0
    assert after.signals[0].active is False
    assert "no longer active (active for 30d)" in after.signals[0].detail


def test_a_signal_fires_again_when_the_window_holds_at_a_later_event() -> None:
    events = [event("event_attended", 0), event("event_attended", 10), event("event_attended", 35)]
    hit = card(PRODUCT, events, day=60).signals[0]
    assert (hit.first_fired_ts, hit.fired_at_ts, hit.active) == (
        events[1].occurred_ts,
        events[2].occurred_ts,
        True,
    )


def test_signal_points_may_decay_from_the_last_firing() -> None:
    spec = model(
        """
        model: decaying signal
        signals:
          - name: binge
            at_least: 2
            of: {event: page_view}
            within: 1d
            points: 20
            decay: {half_life: 7d}
            active_for: 60d
        """
    )
    scored = card(spec, [event("page_view", 0), event("page_view", 0.5)], day=14.5)
    assert scored.engagement == pytest.approx(5.0)


def test_a_lead_that_never_met_the_definition_has_no_qualification_time() -> None:
    scored = card(PRODUCT, [event("event_attended", 0)], day=5, where=None)
    assert (scored.qualified_by, scored.qualified_at_ts, scored.is_qualified) == (None, None, False)


def test_fit_counts_towards_mql_through_the_grade() -> None:
    events = [event("event_attended", 0), event("event_attended", 1)]
    assert card(PRODUCT, events, day=2).mql
    assert not card(PRODUCT, events, day=2, where=account(tier=Tier.TIER_2)).mql
