"""Caps: a rule or group earns at most so many points in a lifetime or per fixed period, freshest first."""

from __future__ import annotations

import math

import pytest
from scoring_support import DAY, T0, card, event, model

from liidi.domain.events import Event

PERIOD_DAYS = 30
FIRST_PERIOD_DAY = (math.ceil(T0 / (PERIOD_DAYS * DAY)) * PERIOD_DAYS * DAY - T0) / DAY  # a period boundary

CAPPED = model(
    """
    model: caps
    engagement:
      - name: service page visit
        when: {event: page_view, path: {starts_with: /palvelut/}}
        points: 3
        cap: {points: 30, per: 30d}
      - name: guide download
        when: {event: download}
        points: 4
        cap: {points: 10}
      - name: e-mail open
        when: {event: email_open}
        points: 1
        cap: {points: 2, per: 7d, total: 3}
      - name: careers page
        when: {event: page_view, path: {starts_with: /rekry/}}
        points: -10
        cap: {points: 30}
    """
)


def visits(start_day: float, count: int, path: str = "/palvelut/pilvi/") -> list[Event]:
    """`count` service page views an hour apart."""
    return [event("page_view", start_day + i / 24, path=path) for i in range(count)]


def test_a_per_period_cap_limits_each_fixed_period_separately() -> None:
    events = visits(FIRST_PERIOD_DAY, 12) + visits(FIRST_PERIOD_DAY + PERIOD_DAYS, 5)
    scored = card(CAPPED, events, day=FIRST_PERIOD_DAY + 40)
    rule = scored.rule("service page visit")
    assert rule is not None
    assert (rule.points, rule.raw_points, rule.events_matched, rule.events_counted) == (45, 51, 17, 15)
    assert rule.capped


def test_cap_periods_are_aligned_to_the_epoch_not_to_the_first_event() -> None:
    before_boundary = visits(FIRST_PERIOD_DAY - 1, 10)
    after_boundary = visits(FIRST_PERIOD_DAY, 10)
    scored = card(CAPPED, before_boundary + after_boundary, day=FIRST_PERIOD_DAY + 1)
    assert scored.engagement == 60


def test_a_lifetime_cap_counts_a_partial_last_event() -> None:
    events = [event("download", d) for d in (0, 1, 2)]
    rule = card(CAPPED, events, day=3).rule("guide download")
    assert rule is not None
    assert (rule.points, rule.events_counted, rule.capped) == (10, 3, True)


def test_a_cap_keeps_the_most_recent_events_so_decay_ages_them_least() -> None:
    spec = model(
        """
        model: freshest
        engagement:
          - name: guide download
            when: {event: download}
            points: 10
            decay: {half_life: 10d}
            cap: {points: 10}
        """
    )
    scored = card(spec, [event("download", 0), event("download", 10)], day=20)
    assert scored.engagement == pytest.approx(5.0)


def test_a_per_period_cap_and_a_total_apply_together() -> None:
    events = [event("email_open", d) for d in (0, 0.1, 0.2, 7.1, 7.2, 14.1)]
    rule = card(CAPPED, events, day=FIRST_PERIOD_DAY + 60).rule("e-mail open")
    assert rule is not None
    assert rule.points == 3
    assert "capped at 2 per 7d and 3 in total" in rule.detail


def test_a_negative_rule_is_capped_in_magnitude() -> None:
    events = visits(0, 5, path="/rekry/avoimet")
    assert card(CAPPED, events, day=1).engagement == -30


def test_a_group_cap_limits_the_rules_of_the_group_together() -> None:
    spec = model(
        """
        model: groups
        engagement:
          - name: service page visit
            when: {event: page_view, path: {starts_with: /palvelut/}}
            points: 3
            group: website
          - name: blog read
            when: {event: page_view, path: {starts_with: /blogi/}}
            points: 2
            group: website
          - name: guide download
            when: {event: download}
            points: 10
        groups:
          website:
            cap: {points: 10}
        """
    )
    events = visits(0, 3) + visits(1, 3, path="/blogi/x") + [event("download", 2)]
    scored = card(spec, events, day=3)
    blog, service = scored.rule("blog read"), scored.rule("service page visit")
    assert blog is not None and service is not None
    assert (blog.points, service.points, scored.engagement) == (6, 4, 20)
    assert "group 'website' cap reached" in service.detail


def test_caps_apply_before_decay() -> None:
    spec = model(
        """
        model: cap-then-decay
        engagement:
          - name: service page visit
            when: {event: page_view, path: {starts_with: /palvelut/}}
            points: 3
            decay: {half_life: 14d}
            cap: {points: 6}
        """
    )
    events = [event("page_view", day, path="/palvelut/pilvi/") for day in (0, 1, 2, 2)]
    scored = card(spec, events, day=16)
    assert scored.engagement == pytest.approx(3.0, rel=1e-12)
