"""Loading models from YAML: every problem reported with line, column, rule and what was expected."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from liidi.domain.scoring import (
    SpecIssue,
    check_model_text,
    issues_of,
    load_model_file,
    load_model_text,
    load_models,
)
from liidi.errors import FieldError, SpecError

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "scoring.yaml"


def problems(text: str) -> list[str]:
    """Every issue of a snippet as one-line text."""
    return [issue.one_line() for issue in check_model_text(textwrap.dedent(text).lstrip(), "x.yaml")]


def test_the_example_model_loads_cleanly() -> None:
    spec = load_model_file(EXAMPLE)
    assert spec.name == "core-services"
    assert len(spec.fit) + len(spec.engagement) + len(spec.signals) + len(spec.product) >= 30
    assert len(spec.signals) == 3


def test_several_problems_in_one_file_are_all_reported_with_line_and_column() -> None:
    text = """
    model: broken
    engagement:
      - name: guide download
        when: {event: downlod}
        points: ten
        decay: {halflife: 14d}
    """
    assert problems(text) == [
        "x.yaml:4:19 engagement rule 'guide download': when.event: 'downlod': unknown event type; "
        "use one of the standard types or the 'custom.' prefix (did you mean 'download'?)",
        "x.yaml:5:13 engagement rule 'guide download': points: expected a number, got 'ten'",
        "x.yaml:6:13 engagement rule 'guide download': decay: unknown key 'halflife'; "
        "expected one of half_life, lifespan, step (did you mean 'half_life'?)",
    ]


def test_a_spec_error_carries_structured_issues_that_are_field_errors() -> None:
    with pytest.raises(SpecError) as caught:
        load_model_text("model: x\nfit:\n  - {name: f, when: {account.size: 3}, points: 1}\n", "x.yaml")
    [issue] = issues_of(caught.value)
    assert isinstance(issue, FieldError) and isinstance(issue, SpecIssue)
    assert (issue.line, issue.column, issue.rule) == (3, 22, "fit rule 'f'")
    assert issue.field == "3:22 fit[0].when.account.size"
    assert issue.as_dict()["reason"].startswith("when.account.size: unknown account attribute 'size'")
    assert "1 problem in the scoring model" in caught.value.message


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("colour: red", "x.yaml:2:1 model: unknown key 'colour'"),
        ("fit:\n  - {name: f, when: {account.tier: gold}, points: 1}", "'gold' is not a known value"),
        (
            "engagement:\n  - {name: e, when: {event: page_view}, points: 1, cap: {points: 5, per: 30 days}}",
            "cap.per: expected a duration such as 14d, 36h or 2w, got '30 days'",
        ),
        (
            "engagement:\n  - {name: e, when: {event: page_view}, points: 1, decay: {half_life: 14}}",
            "decay.half_life: expected a duration",
        ),
        (
            "engagement:\n  - {name: e, when: {event: page_view}, points: 1, decay: {lifespan: 0d}}",
            "decay.lifespan: expected a duration",
        ),
        (
            "engagement:\n  - {name: e, when: {event: page_view, path: {matches: '(x'}}, points: 1}",
            "when.path.matches: not a valid regular expression",
        ),
        (
            "engagement:\n  - {name: e, when: {event: page_view, path: {startswith: /x}}, points: 1}",
            "unknown operator 'startswith'",
        ),
        (
            "engagement:\n  - {name: e, when: {event: page_view}, points: 1, group: web}",
            "unknown group 'web'",
        ),
        ("engagement:\n  - {name: e, when: {path: /x}, points: 1}", "'event' is required"),
        ("grades: {A: 40, B: 40}", "grades must fall: B (40) must be below A (40)"),
        ("grades: {A: 60, D: 10}", "unknown key 'D'"),
        ("fit:\n  - {name: f, when: {account.employees: {between: [500, 50]}}, points: 1}", "low ≤ high"),
        ("fit:\n  - {name: f, when: {industry: software}, points: 1}", "did you mean 'account.industry'?"),
        (
            "fit:\n  - {name: f, when: {account.tier: most_wanted}, points: 1}\n"
            "  - {name: f, when: {account.tier: tier_2}, points: 2}",
            "the name 'f' is already used on line 3",
        ),
        ("signals:\n  - {name: s, at_least: 2, of: {event: page_view}}", "'within' is required"),
        (
            "signals:\n  - {name: s, at_least: 2, of: {event: page_view},"
            " sum: {event: page_view}, within: 1d}",
            "expected exactly one of 'of'",
        ),
        (
            "engagement:\n  - name: e\n    when: {event: page_view}\n    points: 1\n    decay:\n      step:\n"
            "        - {after: 30d, keep: 0.5}\n        - {after: 20d, keep: 0.2}",
            "steps must come in order",
        ),
        ("buying_stage: {order: [a, b], strong_events: {demo_request: c}}", "unknown stage 'c'"),
        ("model: again", "'model' is given twice"),
        ("fit: [", "not valid YAML"),
    ],
)
def test_each_kind_of_problem_is_named(snippet: str, expected: str) -> None:
    found = problems("model: x\n" + snippet + "\n")
    assert any(expected in line for line in found), found


def test_an_unknown_signal_in_qualify_is_reported_at_its_column() -> None:
    text = """
    model: x
    signals:
      - {name: service binge, at_least: 3, of: {event: page_view}, within: 7d}
    qualify:
      mql: engagement >= 40 or signal.servce_binge
    """
    assert problems(text) == [
        "x.yaml:5:28 qualify mql: unknown signal 'servce_binge' (known: service_binge); "
        "did you mean 'service_binge'?"
    ]


def test_a_multi_line_expression_error_names_the_column_of_the_expression() -> None:
    text = "model: x\nqualify:\n  mql: >-\n    engagement >= 40\n    and grade >= B\n"
    [line] = problems(text)
    assert "'grade' needs a grades section (column 22 of the expression)" in line


def test_an_empty_file_is_a_problem() -> None:
    assert problems("") == ["x.yaml:1:1 model: the file is empty; it needs at least 'model: <name>'"]


def test_a_valid_model_has_no_problems() -> None:
    assert check_model_text("model: x\nhand_raisers: [contact_request]\n") == []


def test_several_models_load_side_by_side_with_unique_names() -> None:
    models = load_models({"a.yaml": "model: services\n", "b.yaml": "model: products\n"})
    assert [m.name for m in models] == ["services", "products"]
    assert [m.source for m in models] == ["a.yaml", "b.yaml"]
    with pytest.raises(SpecError) as caught:
        load_models([("a.yaml", "model: services\n"), ("b.yaml", "model: services\n")])
    assert [i.one_line() for i in issues_of(caught.value)] == [
        "b.yaml:1:8 model: model name 'services' is already used by a.yaml; names must be unique"
    ]


def test_an_event_type_alone_is_short_for_an_event_filter() -> None:
    spec = load_model_text(
        "model: x\nengagement:\n  - {name: d, when: download, points: 2}\n"
        "signals:\n  - {name: s, at_least: 2, of: download, within: 1d}\n",
        "x.yaml",
    )
    assert spec.engagement[0].when.types == ("download",)
    assert spec.signals[0].clauses[0].of.types == ("download",)


def test_nested_conditions_report_their_path() -> None:
    text = (
        "model: x\nfit:\n  - name: f\n    when:\n      any:\n"
        "        - {person.title: {matches: '[x'}}\n    points: 1\n"
    )
    [line] = problems(text)
    assert line.startswith("x.yaml:6:36 fit rule 'f': when.any[0].person.title.matches: not a valid regular")
