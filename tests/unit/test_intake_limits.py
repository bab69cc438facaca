"""The limits that keep any input storable on every backend: 64-bit numbers, NUL, NaN, nesting, times."""

from __future__ import annotations

import math

import pytest

from liidi.domain.bounds import MAX_INT64, MAX_NESTING, json_value_problem, moment_of
from liidi.domain.intake import parse_account_fields, parse_events, parse_person_fields
from liidi.errors import ValidationFailed

NOW = 1_793_000_000.0


def reasons(call: object) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        call()  # type: ignore[operator]
    return {e.field: e.reason for e in caught.value.errors}


def test_the_largest_64_bit_id_is_taken_and_one_more_is_refused() -> None:
    assert parse_person_fields({"account_id": MAX_INT64}).account_id == MAX_INT64
    assert "at most" in reasons(lambda: parse_person_fields({"account_id": MAX_INT64 + 1}))["account_id"]


def test_employees_must_fit_the_32_bit_column() -> None:
    assert parse_account_fields({"domain": "a.fi", "employees": 2**31 - 1})["employees"] == 2**31 - 1
    assert "employees" in reasons(lambda: parse_account_fields({"domain": "a.fi", "employees": 2**31}))


@pytest.mark.parametrize("value", [math.nan, math.inf, "NaN", "1e400"])
def test_a_person_id_that_is_not_a_whole_number_is_refused(value: object) -> None:
    event = {"type": "page_view", "person_id": value}
    assert "person_id" in reasons(lambda: parse_events([event], now=NOW, tolerance=300))


@pytest.mark.parametrize("when", [1e12, 1e17, -1e95, math.nan, math.inf])
def test_an_event_time_outside_the_calendar_is_refused(when: float) -> None:
    event = {"type": "page_view", "email": "a@firma.fi", "occurred_at": when}
    assert "occurred_at" in reasons(lambda: parse_events([event], now=NOW, tolerance=300))


def test_nul_in_text_is_refused_by_field() -> None:
    assert "NUL" in reasons(lambda: parse_person_fields({"title": "CT\x00O"}))["title"]


@pytest.mark.parametrize(
    ("value", "where"),
    [
        ({"a": [1, {"b": math.nan}]}, "a[1].b"),
        ({"a": -math.inf}, "a"),
        ({"a": "x\x00"}, "a"),
        ({"k\x00": 1}, "'k\\x00'"),
    ],
)
def test_values_one_backend_cannot_store_are_named_by_path(value: object, where: str) -> None:
    problem = json_value_problem(value)
    assert problem is not None and problem[0] == where


def test_nesting_is_allowed_up_to_the_limit_and_refused_past_it() -> None:
    def nested(levels: int) -> object:
        value: object = "leaf"
        for _ in range(levels):
            value = {"x": value}
        return value

    assert json_value_problem(nested(MAX_NESTING)) is None
    assert json_value_problem(nested(MAX_NESTING + 1)) is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1793000000", 1_793_000_000.0),
        ("2026-11-01", 1_793_491_200.0),
        ("2026-11-01T02:00:00+02:00", 1_793_491_200.0),
        ("2026-11-01T00:00:00Z", 1_793_491_200.0),
        ("1e12", None),
        ("-1", None),
        ("nan", None),
        ("inf", None),
        ("soon", None),
    ],
)
def test_moments_are_epoch_seconds_or_iso_times_within_the_calendar(
    text: str, expected: float | None
) -> None:
    assert moment_of(text) == expected
