"""A feedback reasons file: read from YAML, every problem reported with its line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from liidi.domain.feedback import FeedbackReasons
from liidi.domain.feedback_load import load_reasons_text
from liidi.domain.lifecycle import Stage
from liidi.domain.scoring.issues import issues_of
from liidi.errors import SpecError

GOOD = """\
# what our reps may say
reject:
  not_ready: recycle
  partner: {to: disqualify, description: one of our resellers}
step_back:
  later: the buyer asked to talk next quarter
"""


def problems(text: str) -> list[str]:
    with pytest.raises(SpecError) as caught:
        load_reasons_text(text, "reasons.yaml")
    return [i.one_line() for i in issues_of(caught.value)]


def test_a_file_replaces_the_sections_it_names_and_keeps_the_others() -> None:
    reasons = load_reasons_text(GOOD, "reasons.yaml")
    assert list(reasons.reject) == ["not_ready", "partner"]
    assert reasons.rejected_to("partner") is Stage.DISQUALIFIED
    assert reasons.reject["partner"].description == "one of our resellers"
    assert list(reasons.step_back) == ["later"]
    assert reasons.lost == FeedbackReasons.default().lost


def test_step_back_reasons_may_be_a_plain_list_of_codes() -> None:
    reasons = load_reasons_text("step_back: [not_ready, timing]\n")
    assert list(reasons.step_back) == ["not_ready", "timing"]


def test_a_verdict_other_than_recycle_or_disqualify_is_reported_at_its_line() -> None:
    found = problems("reject:\n  not_ready: recycle\n  spam: delete\n")
    assert found == ["reasons.yaml:3:9 reject.spam: expected recycle, disqualify, got 'delete'"]


def test_every_problem_is_reported_not_only_the_first() -> None:
    text = "reject:\n  Bad Code: recycle\n  ok: maybe\nlostt:\n  price: recycle\nstep_back: [a, a]\n"
    found = problems(text)
    assert len(found) == 4
    assert found[0].startswith("reasons.yaml:2:3 ") and "not a reason code" in found[0]
    assert found[1].startswith("reasons.yaml:3:7 ")
    assert found[2].startswith("reasons.yaml:4:1 ") and "did you mean 'lost'" in found[2]
    assert found[3].startswith("reasons.yaml:6:16 ") and "given twice" in found[3]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "1:1 reasons: the file is empty"),
        ("# only a comment\n", "1:1 reasons: the file is empty"),
        ("reject: [a, b\n", "not valid YAML"),
        ("reject: {}\n", "needs at least one reason"),
        ("- reject\n", "expected a mapping"),
        ("reject:\n  spam: {description: x}\n", "'to' is required"),
    ],
)
def test_broken_files_are_refused_with_a_located_reason(text: str, expected: str) -> None:
    assert any(expected in line for line in problems(text))


def test_the_example_reasons_file_loads_and_adds_a_partner_disqualification() -> None:
    path = Path(__file__).resolve().parents[2] / "examples" / "reasons.yaml"
    reasons = load_reasons_text(path.read_text(encoding="utf-8"), str(path))
    assert reasons.rejected_to("partner") is Stage.DISQUALIFIED
    assert set(FeedbackReasons.default().reject) < set(reasons.reject)
    assert reasons.lost["price"].verdict.stage is Stage.RECYCLED
