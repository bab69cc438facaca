"""The qualify expression language: precedence, grade and stage ordering, and errors with columns."""

from __future__ import annotations

from typing import Any

import pytest

from liidi.domain.scoring.evaluate import GRADE_RANKS
from liidi.domain.scoring.expression_check import BOOL, GRADE, NUMBER, STAGE, compile_expression
from liidi.domain.scoring.expressions import Expression, ExpressionError

STAGES = ("early_interest", "need_recognised", "comparing_solutions", "deciding")
KINDS = {
    "fit": NUMBER,
    "engagement": NUMBER,
    "score": NUMBER,
    "grade": GRADE,
    "stage": STAGE,
    "signal.binge": BOOL,
    "signal.webinar": BOOL,
    "product.active_team": BOOL,
}
VOCAB = {GRADE: ("A", "B", "C", "D"), STAGE: STAGES}
RANKS = {"grade": GRADE_RANKS, "stage": {s: i for i, s in enumerate(STAGES)}}


def compiled(text: str) -> Expression:
    """A checked expression over the test names."""
    return compile_expression(text, KINDS, VOCAB)


def holds(text: str, **env: Any) -> bool:
    """Evaluate with defaults for every name."""
    values: dict[str, Any] = {k: False for k, kind in KINDS.items() if kind == BOOL}
    values |= {"fit": 0.0, "engagement": 0.0, "score": 0.0, "grade": "D", "stage": None}
    values |= {k.replace("__", "."): v for k, v in env.items()}
    return compiled(text).evaluate(values, RANKS)


@pytest.mark.parametrize(("grade", "expected"), [("A", True), ("B", True), ("C", False), ("D", False)])
def test_grade_at_least_b_means_a_or_b(grade: str, expected: bool) -> None:
    assert holds("grade >= B", grade=grade) is expected
    assert holds("grade in [A, B]", grade=grade) is expected
    assert holds("grade not in [A, B]", grade=grade) is not expected


def test_grades_compare_in_order_from_d_up_to_a() -> None:
    assert holds("grade > C", grade="B")
    assert holds("grade < C", grade="D")
    assert holds("grade != D", grade="C")
    assert holds("B <= grade", grade="A")


def test_and_binds_tighter_than_or_and_not_tighter_than_and() -> None:
    assert compiled("signal.binge or signal.webinar and fit > 1").canonical() == (
        "signal.binge or (signal.webinar and fit > 1)"
    )
    assert holds("signal.binge or signal.webinar and fit > 1", signal__binge=True)
    assert not holds("not signal.binge and signal.webinar", signal__binge=True, signal__webinar=True)
    assert holds("not (signal.binge and signal.webinar)", signal__binge=True)


def test_parentheses_group_and_keywords_may_be_upper_case() -> None:
    text = "grade in [A, B] AND (engagement >= 40 OR signal.binge)"
    assert holds(text, grade="B", signal__binge=True)
    assert not holds(text, grade="C", signal__binge=True)
    assert holds(text, grade="A", engagement=40.0)


def test_numbers_compare_with_numbers_including_negative_ones() -> None:
    assert holds("score > -5 and fit <= 10.5", score=0.0, fit=10.5)
    assert holds("engagement == 12", engagement=12.0)


def test_stages_compare_by_their_buying_order_and_an_unknown_stage_is_never_true() -> None:
    assert holds("stage >= comparing_solutions", stage="deciding")
    assert not holds("stage >= comparing_solutions", stage="need_recognised")
    assert not holds("stage >= early_interest", stage=None)
    assert not holds("stage not in [deciding]", stage=None)


@pytest.mark.parametrize(
    ("text", "column", "words"),
    [
        ("grade >= E", 10, "expected a grade (A, B, C, D), got 'E'"),
        ("engagement >", 13, "expected a name or a number, got the end of the expression"),
        ("fit = 3", 5, "use '=='"),
        ("fit >= 10 $", 11, "unexpected character '$'"),
        (
            "signal.bnge and fit > 1",
            1,
            "unknown signal 'bnge' (known: binge, webinar); did you mean 'binge'?",
        ),
        ("grade > 3", 7, "cannot compare a grade with a number"),
        ("engagement", 1, "'engagement' is a number, not true or false"),
        ("signal.binge == 1", 14, "a signal is true or false"),
        ("(fit > 1", 9, "expected ')'"),
        ("fit > 1 fit", 9, "unexpected 'fit'"),
        ("", 1, "the expression is empty"),
        ("stage == buying", 10, "expected a stage"),
        ("grade in [A, 3]", 14, "expected a grade in the list"),
        ("leads > 3", 1, "unknown name 'leads'"),
    ],
)
def test_errors_name_the_problem_and_its_column(text: str, column: int, words: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        compiled(text)
    assert caught.value.column == column
    assert words in caught.value.message


def test_expressions_are_never_evaluated_as_python() -> None:
    with pytest.raises(ExpressionError):
        compiled("__import__('os').system('true')")
