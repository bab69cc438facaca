"""Comparing a model's reads with a profile of the store, without a database."""

from __future__ import annotations

from liidi.domain.scoring.data_check import DataProfile, KeyProfile, data_warnings

MODEL = """model: m
fit:
  - {name: industry, when: {account.industry: [Software, Retail]}, points: 5}
  - {name: big, when: {account.employees: {at_least: 50}}, points: 5}
"""


def profile(values: tuple[tuple[object, int], ...], complete: bool = True) -> DataProfile:
    industry = KeyProfile(rows=10, texts=10, values=values, complete=complete)
    employees = KeyProfile(rows=10, numbers=10, values=((12, 4), (80, 6)))
    return DataProfile(accounts=10, account={"industry": industry, "employees": employees})


def test_values_held_by_the_store_and_numbers_on_numbers_give_no_warning() -> None:
    assert data_warnings(MODEL, "m.yaml", profile((("Software", 6), ("Retail", 4)))) == []


def test_a_value_beyond_the_most_common_says_only_those_were_compared() -> None:
    (found,) = data_warnings(MODEL, "m.yaml", profile((("Software", 6), ("retail", 4)), complete=False))
    assert (found.line, found.column, found.rule, found.value) == (3, 58, "fit rule 'industry'", "Retail")
    assert found.reason == (
        "'Retail' never occurs in account.industry among the 2 most common values; closest: 'retail'"
    )


def test_a_model_with_problems_gives_no_warnings_only_its_errors_count() -> None:
    assert data_warnings(MODEL + "colour: blue\n", "m.yaml", profile(())) == []
