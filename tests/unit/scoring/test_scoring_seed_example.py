"""The seed's readiness example (R6): three visits to a service's pages in a week plus two activations."""

from __future__ import annotations

from scoring_support import card, event, model

from liidi.domain.events import Event

SEED = model(
    """
    model: seed
    signals:
      - name: cloud binge
        within: 7d
        all:
          - {at_least: 3, of: {event: page_view, path: {starts_with: /palvelut/pilvi}}}
          - {at_least: 2, of: {event: [email_click, ad_click]}}
        points: 20
    qualify:
      mql: signal.cloud_binge
    """
)

ONE_SERVICE = model(
    """
    model: seed-any-service
    signals:
      - name: service binge
        within: 7d
        all:
          - {at_least: 3, of: {event: page_view, path: {starts_with: /palvelut/}}, same: service}
          - {at_least: 2, of: {event: [email_click, ad_click]}}
    qualify:
      mql: signal.service_binge
    """
)


def visit(day: float, service: str = "pilvi") -> Event:
    """A page view on one service's pages."""
    return event("page_view", day, path=f"/palvelut/{service}/hinnat", service=service)


def test_three_visits_and_two_activations_within_a_week_make_a_lead_sales_ready() -> None:
    events = [visit(0), visit(2), visit(5), event("email_click", 3), event("ad_click", 6)]
    scored = card(SEED, events, day=6)
    assert scored.mql
    assert scored.qualified_by == "mql"
    assert scored.qualified_at_ts == events[-1].occurred_ts
    assert scored.score == 20
    rule = scored.rule("cloud binge")
    assert rule is not None and (rule.kind, rule.events_counted) == ("signal", 5)
    assert any(line.startswith("+20 cloud binge: 3 × page_view") for line in scored.explanation)


def test_two_visits_and_two_activations_do_not_make_a_lead_sales_ready() -> None:
    events = [visit(0), visit(2), event("email_click", 3), event("ad_click", 4)]
    scored = card(SEED, events, day=6)
    assert not scored.mql
    assert scored.qualified_at_ts is None
    assert scored.signals == ()


def test_three_visits_spread_over_ten_days_do_not_make_a_lead_sales_ready() -> None:
    events = [visit(0), visit(5), visit(10), event("email_click", 8), event("ad_click", 9)]
    assert not card(SEED, events, day=10).mql


def test_three_visits_without_activations_do_not_make_a_lead_sales_ready() -> None:
    events = [visit(0), visit(1), visit(2), event("email_click", 2)]
    assert not card(SEED, events, day=3).mql


def test_visits_exactly_seven_days_apart_are_within_seven_days() -> None:
    events = [visit(0), visit(3), visit(7), event("email_click", 1), event("ad_click", 7)]
    assert card(SEED, events, day=7).mql


def test_three_visits_to_one_service_qualify_without_naming_the_service() -> None:
    events = [visit(0, "tietoturva"), visit(1, "tietoturva"), visit(2, "tietoturva")]
    events += [event("email_click", 1), event("ad_click", 2)]
    scored = card(ONE_SERVICE, events, day=3)
    assert scored.mql
    assert "(service tietoturva)" in scored.signals[0].detail


def test_three_visits_to_three_different_services_do_not_qualify() -> None:
    events = [visit(0, "pilvi"), visit(1, "tietoturva"), visit(2, "integraatiot")]
    events += [event("email_click", 1), event("ad_click", 2)]
    assert not card(ONE_SERVICE, events, day=3).mql
