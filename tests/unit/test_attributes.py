"""Attribute types are inferred from a column of text, and values are coerced to a type or refused."""

from __future__ import annotations

from typing import Any

import pytest

from liidi.domain.attributes import TypeMismatch, coerce, infer_type, parse_type, type_of_value, widened


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["5", "0", "", "12"], "integer"),
        (["2.5", "0", "1.33"], "number"),
        (["2,5", "0", "1,33"], "number"),
        (["1,234", "5"], "text"),
        (["Yes", "No", "yes"], "boolean"),
        (["1", "0", "1"], "integer"),
        (["2026-10-01", "2026-10-03 10:00:00", "2026-10-04T08:00:00+02:00"], "datetime"),
        (["Google", "5"], "text"),
        (["", "  "], "text"),
    ],
)
def test_a_column_gets_the_narrowest_type_all_its_values_fit(values: list[str], expected: str) -> None:
    assert infer_type(values) == expected


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("812", "number", 812),
        ("2.5", "number", 2.5),
        ("2,5", "number", 2.5),
        (812, "number", 812),
        (3.0, "integer", 3),
        ("No", "boolean", False),
        ("1", "boolean", True),
        ("2026-10-04T08:00:00+02:00", "datetime", "2026-10-04T06:00:00Z"),
        ("2026-10-01", "datetime", "2026-10-01"),
        (812, "text", "812"),
        (True, "text", "true"),
        (["a"], "number", ["a"]),
    ],
)
def test_values_are_coerced_to_the_stored_form_of_their_type(value: Any, kind: str, expected: Any) -> None:
    result = coerce(value, kind)
    assert result == expected and type(result) is type(expected)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("lots", "number"),
        ("1,234", "number"),
        ("2.5", "integer"),
        (True, "number"),
        ("maybe", "boolean"),
        ("01/10/2026", "datetime"),
        (1.5, "integer"),
    ],
)
def test_a_value_that_does_not_fit_its_type_is_refused_saying_what_was_expected(
    value: Any, kind: str
) -> None:
    with pytest.raises(TypeMismatch, match="expected"):
        coerce(value, kind)


def test_declared_types_accept_common_aliases_and_name_the_allowed_ones() -> None:
    assert parse_type("Number") == "number" and parse_type("int") == "integer"
    with pytest.raises(TypeMismatch, match="integer, number, boolean, datetime, text"):
        parse_type("money")


def test_api_values_type_themselves_and_integer_widens_to_number() -> None:
    assert [type_of_value(v) for v in (True, 3, 2.5, "x", [1], None)] == [
        "boolean",
        "integer",
        "number",
        "text",
        None,
        None,
    ]
    assert widened("integer", "number") == "number" and widened("number", "integer") == "number"
    assert widened("text", "integer") == "text"
