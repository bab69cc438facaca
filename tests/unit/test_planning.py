"""The reverse funnel's arithmetic: the seed's examples exactly, rounding, rates, money and intervals."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from liidi.domain.periods import parse_period, year_before
from liidi.domain.planning import (
    DealSize,
    Lags,
    Rate,
    back_from,
    money,
    parse_count,
    parse_money,
    parse_rate,
    plan_for,
    wilson,
)
from liidi.errors import ValidationFailed

DEC = parse_period("2026-12")


def given(win: str, meeting: str, contact: str) -> dict[str, Rate]:
    rates = {"win_rate": win, "meeting_to_proposal": meeting, "contact_to_meeting": contact}
    return {name: Rate(parse_rate(text, name), "given") for name, text in rates.items()}


def test_plan_needs_375_contacts_for_50000_euros() -> None:
    plan = plan_for(
        period=DEC.name,
        period_start=DEC.start,
        revenue=parse_money("50000", "revenue"),
        deals=None,
        deal_size=DealSize(parse_money("10000", "deal_size"), "given"),
        rates=given("20%", "1/3", "20%"),
    )
    assert plan.counts.as_dict() == {"contacts": 375, "meetings": 75, "proposals": 25, "deals": 5}
    assert plan.sentence() == (
        "To reach €50,000 in 2026-12 you need 375 contacts → 75 meetings → 25 proposals → 5 deals."
    )


def test_twenty_deals_of_30000_euros_make_600000_from_60_proposals_and_120_meetings() -> None:
    plan = plan_for(
        period=DEC.name,
        period_start=DEC.start,
        revenue=None,
        deals=20,
        deal_size=DealSize(Fraction(30000), "given"),
        rates=given("1/3", "1/2", "100%"),
    )
    assert plan.revenue == 600000
    assert (plan.counts.deals, plan.counts.proposals, plan.counts.meetings) == (20, 60, 120)


def test_counts_are_rounded_up_at_each_stage_from_the_whole_count_after_it() -> None:
    rates = {
        "win_rate": Fraction(1, 3),
        "meeting_to_proposal": Fraction(1, 3),
        "contact_to_meeting": Fraction(1, 2),
    }
    # 1 deal → 3 proposals → 9 meetings → 18 contacts; 2 deals at 30 % → 7 proposals (6.67 rounded up)
    assert back_from(1, rates).as_dict() == {"contacts": 18, "meetings": 9, "proposals": 3, "deals": 1}
    rates["win_rate"] = Fraction(3, 10)
    assert back_from(2, rates).proposals == 7


def test_a_revenue_that_is_not_a_multiple_of_the_deal_size_needs_one_more_deal() -> None:
    plan = plan_for(
        period=DEC.name,
        period_start=DEC.start,
        revenue=Fraction(50001),
        deals=None,
        deal_size=DealSize(Fraction(10000), "given"),
        rates=given("1", "1", "1"),
    )
    assert plan.counts.deals == 6 and plan.counts.contacts == 6


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("20%", Fraction(1, 5)),
        ("20 %", Fraction(1, 5)),
        ("0.2", Fraction(1, 5)),
        ("1/3", Fraction(1, 3)),
        ("1 in 3", Fraction(1, 3)),
        ("1-in-3", Fraction(1, 3)),
        ("100%", Fraction(1)),
        ("12.5%", Fraction(1, 8)),
        (0.25, Fraction(1, 4)),
        (1, Fraction(1)),
    ],
)
def test_rates_read_as_percentages_decimals_or_ratios_exactly(text: object, rate: Fraction) -> None:
    assert parse_rate(text, "win_rate") == rate


@pytest.mark.parametrize(
    "text",
    [
        "0",
        "0%",
        "101%",
        "1.5",
        "abc",
        "nan",
        "inf",
        "-0.2",
        "1/0",
        "3/2",
        "",
        "1e5",
        "9" * 50,
        "2\x00%",
        True,
        None,
        [1],
        2**70,
    ],
)
def test_bad_rates_are_refused_naming_the_field_and_the_value(text: object) -> None:
    with pytest.raises(ValidationFailed) as error:
        parse_rate(text, "win_rate")
    assert error.value.errors[0].field == "win_rate"


def test_money_reads_thousands_separators_and_cents_exactly() -> None:
    assert parse_money("50,000", "revenue") == 50000
    assert parse_money("€12,500.50", "revenue") == Fraction(25001, 2)
    assert money(Fraction(25001, 2)) == "€12,500.50" and money(Fraction(600000)) == "€600,000"


@pytest.mark.parametrize(
    "text", ["0", "-5", "1e12", "10000000000000", "nan", "5,00", "abc", 2**64, float("inf")]
)
def test_bad_amounts_and_deal_counts_are_refused(text: object) -> None:
    with pytest.raises(ValidationFailed) as error:
        parse_money(text, "revenue")
    assert error.value.errors[0].field == "revenue"
    with pytest.raises(ValidationFailed):
        parse_count(text if text != "5,00" else "5.5", "deals")


def test_a_plan_needing_more_than_a_trillion_contacts_is_refused() -> None:
    rates = {
        "win_rate": Fraction(1, 10**6),
        "meeting_to_proposal": Fraction(1, 10**6),
        "contact_to_meeting": Fraction(1),
    }
    with pytest.raises(ValidationFailed) as error:
        back_from(10, rates)
    assert error.value.errors[0].field == "rates"


def test_wilson_interval_matches_published_values() -> None:
    # Newcombe (1998), method 3: 81/263 → 0.2553–0.3662; 15/148 → 0.0624–0.1605; 0/20 → 0–0.1611
    for (k, n), (low, high) in {
        (81, 263): (0.2553, 0.3662),
        (15, 148): (0.0624, 0.1605),
        (0, 20): (0.0, 0.1611),
    }.items():
        found = wilson(k, n)
        assert (round(found[0], 4), round(found[1], 4)) == (low, high)


def test_a_measured_rate_carries_its_counts_and_interval() -> None:
    shown = Rate.measured(4, 10).as_dict()
    assert (shown["fraction"], shown["percent"], shown["ci_low"], shown["ci_high"]) == (
        "2/5",
        "40%",
        0.1682,
        0.6873,
    )


def test_lags_say_when_each_stage_is_needed_for_deals_closing_in_december() -> None:
    lags = Lags(contact_to_meeting=6.5, meeting_to_proposal=14.0, proposal_to_deal=7.0)
    assert lags.needed_by(date(2026, 12, 1)) == {
        "deals": date(2026, 12, 1),
        "proposals": date(2026, 11, 24),
        "meetings": date(2026, 11, 10),
        "contacts": date(2026, 11, 3),
    }
    assert Lags(None, 3.0, None).needed_by(date(2026, 12, 1))["contacts"] is None


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-12", date(2026, 12, 1), date(2027, 1, 1)),
        ("2026-Q1", date(2026, 1, 1), date(2026, 4, 1)),
        ("2026-q4", date(2026, 10, 1), date(2027, 1, 1)),
        ("2026", date(2026, 1, 1), date(2027, 1, 1)),
    ],
)
def test_periods_are_months_quarters_or_years(text: str, start: date, end: date) -> None:
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    "text", ["2026-13", "2026-00", "2026-Q5", "26-12", "December", "", "2026-12-01", "99999"]
)
def test_unknown_periods_are_refused(text: str) -> None:
    with pytest.raises(ValidationFailed) as error:
        parse_period(text)
    assert error.value.errors[0].field == "period"


def test_the_default_window_reaches_back_twelve_calendar_months() -> None:
    assert year_before(1_772_323_200.0) == 1_740_787_200.0  # 2026-03-01 → 2025-03-01
