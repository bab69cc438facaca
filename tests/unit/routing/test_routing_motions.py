"""Motion by potential (R14): high, low or no touch by account potential, hand-raisers and manual moves."""

from __future__ import annotations

from liidi.domain.routing import Lead, Method, Motion, route
from routing_support import MONDAY, TEAMS, account, lead, plan

MOTIONS = (
    TEAMS
    + """
motions:
  - name: target accounts and large companies
    when:
      any:
        - {account.tier: [most_wanted, tier_2]}
        - {account.employees: {at_least: 1000}}
        - {account.revenue_band: [250M-1B, ">1B"]}
    motion: high_touch
  - name: hand-raisers and manual moves are called
    qualified_by: [hand_raiser, manual]
    motion: low_touch
  - name: mid-size companies
    when: {account.employees: {at_least: 50}}
    motion: low_touch
  - name: small or unknown companies
    motion: no_touch
"""
)


def test_a_most_wanted_account_gets_a_high_touch_motion() -> None:
    decision = route(plan(MOTIONS), lead(account(tier="most_wanted", employees=20)), {}, MONDAY)
    assert decision.motion is Motion.HIGH_TOUCH and decision.owner == "anna@firma.fi"


def test_a_large_company_or_a_large_revenue_band_is_high_touch() -> None:
    assert route(plan(MOTIONS), lead(account(employees=5000)), {}, MONDAY).motion is Motion.HIGH_TOUCH
    big = account(employees=20, revenue_band=">1B")
    assert route(plan(MOTIONS), lead(big), {}, MONDAY).motion is Motion.HIGH_TOUCH


def test_a_mid_size_company_is_low_touch() -> None:
    assert route(plan(MOTIONS), lead(account(employees=300)), {}, MONDAY).motion is Motion.LOW_TOUCH


def test_a_small_company_is_no_touch_left_to_automation_without_an_owner() -> None:
    decision = route(plan(MOTIONS), lead(account(employees=12)), {}, MONDAY)
    assert (decision.motion, decision.method, decision.owner) == (Motion.NO_TOUCH, Method.NO_TOUCH, None)
    assert decision.team == "nordics" and decision.rule == "small or unknown companies"
    assert decision.reason == "no-touch: automation only (motion rule 'small or unknown companies')"


def test_a_small_companys_hand_raiser_is_still_called_because_the_earlier_rule_matches_first() -> None:
    decision = route(plan(MOTIONS), lead(account(employees=12), qualified_by="hand_raiser"), {}, MONDAY)
    assert decision.motion is Motion.LOW_TOUCH and decision.owner == "anna@firma.fi"


def test_a_manual_move_matches_a_rule_for_manual_moves() -> None:
    decision = route(plan(MOTIONS), lead(account(employees=12), qualified_by="manual"), {}, MONDAY)
    assert decision.motion is Motion.LOW_TOUCH


def test_a_lead_without_an_account_reads_every_account_attribute_as_missing() -> None:
    lonely = Lead(lead().person, None, "mql")
    decision = route(plan(MOTIONS), lonely, {}, MONDAY)
    assert (decision.motion, decision.team, decision.owner) == (Motion.NO_TOUCH, "rest", None)


def test_without_motion_rules_a_lead_has_no_motion_and_is_routed_as_usual() -> None:
    decision = route(plan(), lead(account(employees=12)), {}, MONDAY)
    assert decision.motion is None and decision.owner == "anna@firma.fi"


def test_an_owned_lead_keeps_its_owner_and_still_gets_its_motion() -> None:
    decision = route(plan(MOTIONS), lead(account(employees=12), owner="x@firma.fi"), {}, MONDAY)
    assert (decision.method, decision.owner, decision.motion) == (Method.KEPT, "x@firma.fi", Motion.NO_TOUCH)
