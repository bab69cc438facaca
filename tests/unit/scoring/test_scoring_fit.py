"""Fit rules (R4): conditions on the person and the account, and the grade from the fit total."""

from __future__ import annotations

import pytest
from scoring_support import T0, account, card, model, person

from liidi.domain.people import BuyingRole, FirstTouch
from liidi.domain.scoring import score


def fit_points(when: str, **changes: object) -> float:
    """The fit total of a one-rule model worth 10 points, for the default person/account with changes."""
    spec = model(
        f"""
        model: fit
        fit:
          - name: the rule
            when: {when}
            points: 10
        """
    )
    who = person(**{k[len("person_") :]: v for k, v in changes.items() if k.startswith("person_")})
    where = account(**{k[len("account_") :]: v for k, v in changes.items() if k.startswith("account_")})
    return card(spec, [], day=0, who=who, where=where).fit


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("{account.industry: manufacturing}", 10),
        ("{account.industry: {equals: software}}", 0),
        ("{account.industry: {not: software}}", 10),
        ("{account.industry: [software, manufacturing]}", 10),
        ("{account.industry: {not_in: [software, manufacturing]}}", 0),
        ("{account.employees: {between: [50, 200]}}", 10),
        ("{account.employees: {between: [201, 500]}}", 0),
        ("{account.employees: {above: 200}}", 0),
        ("{account.employees: {at_least: 200}}", 10),
        ("{account.employees: {below: 200}}", 0),
        ("{account.employees: {at_most: 200}}", 10),
        ("{account.employees: {at_least: 100, below: 300}}", 10),
        ("{person.title: {matches: '^c[it]o$'}}", 10),
        ("{person.title: {contains: IO}}", 10),
        ("{person.title: {starts_with: ci}}", 0),
        ("{account.revenue_band: {missing: true}}", 10),
        ("{account.industry: {missing: false}}", 10),
        ("{person.email_domain: acme.fi}", 10),
        ("{person.role: decision_maker, account.tier: most_wanted}", 10),
        ("{person.role: decision_maker, account.tier: tier_2}", 0),
        ("{any: [{account.tier: tier_2}, {account.country: FI}]}", 10),
    ],
)
def test_fit_conditions_test_the_default_person_and_account(when: str, expected: float) -> None:
    assert fit_points(when) == expected


def test_operators_other_than_missing_are_false_on_a_missing_value() -> None:
    assert fit_points("{account.revenue_band: {not: 1M-10M}}") == 0
    assert fit_points("{account.employees: {below: 10}}", account_employees=None) == 0


def test_country_no_means_norway_not_false() -> None:
    assert fit_points("{account.country: NO}", account_country="NO") == 10


def test_traits_and_first_touch_attributes_can_be_tested() -> None:
    assert fit_points("{account.traits.erp: sap}", account_traits={"erp": "sap"}) == 10
    assert fit_points("{person.traits.partner: true}", person_traits={"partner": True}) == 10
    assert fit_points("{person.traits.partner: true}", person_traits={"partner": 1}) == 0
    touch = FirstTouch(lead_tool="guide", channel="linkedin")
    assert fit_points("{person.lead_tool: guide, person.channel: linkedin}", person_first_touch=touch) == 10


def test_account_conditions_do_not_hold_without_an_account() -> None:
    spec = model(
        """
        model: fit
        fit:
          - {name: known company, when: {account.domain: {missing: false}}, points: 5}
          - {name: no company, when: {account.domain: {missing: true}}, points: -10}
        """
    )
    scored = score(spec, person(role=BuyingRole.OTHER), None, [], T0)
    assert scored.fit == -10


GRADED = """
model: grades
grades: {{A: 60, B: 40, C: 20}}
fit:
  - name: fixed
    when: {{account.country: FI}}
    points: {points}
"""


@pytest.mark.parametrize(
    ("points", "grade"),
    [(100, "A"), (60, "A"), (59.99, "B"), (40, "B"), (39.5, "C"), (20, "C"), (19.99, "D"), (-50, "D")],
)
def test_the_grade_is_the_first_threshold_the_fit_total_reaches(points: float, grade: str) -> None:
    assert card(model(GRADED.format(points=points)), [], day=0).grade == grade


def test_a_model_without_grades_gives_no_grade() -> None:
    assert card(model("model: plain"), [], day=0).grade is None
