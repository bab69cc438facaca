"""Feedback rules: which stage each reason leads to, which stage each action starts from, amounts."""

from __future__ import annotations

import pytest

from liidi.domain.feedback import (
    Action,
    FeedbackReasons,
    actions_from,
    check_action,
    check_amount,
    check_currency,
)
from liidi.domain.lifecycle import Stage
from liidi.errors import InvalidTransition, ValidationFailed

DEFAULT = FeedbackReasons.default()


@pytest.mark.parametrize(
    ("reason", "stage"),
    [
        ("not_ready", Stage.RECYCLED),
        ("no_budget", Stage.RECYCLED),
        ("wrong_person", Stage.RECYCLED),
        ("competitor", Stage.DISQUALIFIED),
        ("student", Stage.DISQUALIFIED),
        ("spam", Stage.DISQUALIFIED),
        ("duplicate", Stage.DISQUALIFIED),
    ],
)
def test_a_rejection_recycles_or_disqualifies_as_its_reason_says(reason: str, stage: Stage) -> None:
    assert DEFAULT.rejected_to(reason) is stage


def test_an_unknown_rejection_reason_is_refused_listing_the_known_ones() -> None:
    with pytest.raises(ValidationFailed) as caught:
        DEFAULT.rejected_to("bored")
    error = caught.value.errors[0]
    assert (error.field, error.value) == ("reason", "bored")
    assert "not_ready" in error.reason and "spam" in error.reason


def test_a_rejection_without_a_reason_says_the_reason_is_required() -> None:
    with pytest.raises(ValidationFailed) as caught:
        DEFAULT.rejected_to(None)
    assert caught.value.errors[0].reason.startswith("is required")


def test_a_step_back_only_takes_its_own_reasons_and_always_recycles() -> None:
    assert DEFAULT.check_step_back("timing") == "timing"
    assert {r.verdict.stage for r in DEFAULT.step_back.values()} == {Stage.RECYCLED}
    with pytest.raises(ValidationFailed):
        DEFAULT.check_step_back("spam")


def test_a_lost_deal_sends_its_person_where_the_lost_reason_says() -> None:
    assert DEFAULT.lost_to("price") is Stage.RECYCLED
    assert DEFAULT.lost_to("not_a_fit") is Stage.DISQUALIFIED
    with pytest.raises(ValidationFailed):
        DEFAULT.lost_to("student")


def test_the_listing_names_each_reason_with_its_action_and_stage() -> None:
    rows = DEFAULT.listing()
    assert {"action": "reject", "reason": "spam", "to": "disqualified"}.items() <= rows[6].items()
    assert {r["action"] for r in rows} == {"reject", "step-back", "close-lost"}
    assert all(r["to"] == "recycled" for r in rows if r["action"] == "step-back")


def test_accept_and_reject_start_only_from_a_hand_over() -> None:
    check_action(Action.ACCEPT, Stage.MQL, 1)
    check_action(Action.REJECT, Stage.MQL, 1)
    with pytest.raises(InvalidTransition) as caught:
        check_action(Action.REJECT, Stage.SAL, 7)
    assert caught.value.allowed == ["step-back", "convert"]
    assert "person 7" in caught.value.message and "reject needs mql" in caught.value.message


def test_a_lead_already_out_of_sales_hands_has_no_feedback_action_open() -> None:
    assert actions_from(Stage.RECYCLED) == []
    with pytest.raises(InvalidTransition) as caught:
        check_action(Action.ACCEPT, Stage.RECYCLED, 1)
    assert caught.value.allowed == [] and "no feedback action is open now" in caught.value.message


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (float("nan"), "finite"),
        (float("inf"), "finite"),
        (-1, "negative"),
        (10**400, "at most"),
        (1e16, "at most"),
        (True, "a number"),
        ("12000", "a number"),
    ],
)
def test_an_amount_that_is_not_a_storable_deal_value_is_refused(value: object, reason: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        check_amount(value)
    assert caught.value.errors[0].field == "amount" and reason in caught.value.errors[0].reason


def test_amounts_and_currencies_within_bounds_are_kept() -> None:
    assert check_amount(0) == 0.0 and check_amount(12000) == 12000.0 and check_amount(1e15) == 1e15
    assert check_currency(None) == "EUR" and check_currency(" usd ") == "USD"
    with pytest.raises(ValidationFailed):
        check_currency("euro")
