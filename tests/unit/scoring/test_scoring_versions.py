"""Versioning models: a fingerprint that only changes with scoring, and a diff a person can read."""

from __future__ import annotations

from pathlib import Path

from scoring_support import model

from liidi.domain.scoring import diff_specs, fingerprint, load_model_file

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "scoring.yaml"

BASE = """
model: m
description: first draft
grades: {A: 60, B: 40, C: 20}
fit:
  - {name: decision maker, when: {person.role: decision_maker}, points: 15}
  - {name: most wanted, when: {account.tier: most_wanted}, points: 25}
engagement:
  - {name: visit, when: {event: page_view}, points: 3, decay: {half_life: 14d}}
qualify:
  mql: grade >= B and engagement >= 40
"""


def test_the_fingerprint_is_stable_and_ignores_comments_descriptions_order_and_spacing() -> None:
    reordered = """
    # a comment
    model: m
    description: second draft, same scoring
    grades: {A: 60, B: 40, C: 20}
    fit:
      - {name: most wanted, when: {account.tier: most_wanted}, points: 25.0}
      - {name: decision maker, when: {person.role: decision_maker}, points: 15, description: why}
    engagement:
      - {name: visit, when: {event: page_view}, points: 3, decay: {half_life: 2w}}
    qualify:
      mql: "grade>=B   and engagement>=40"
    """
    assert model(BASE).fingerprint() == model(reordered).fingerprint() == fingerprint(model(BASE))
    assert len(model(BASE).fingerprint()) == 16


def test_the_fingerprint_changes_when_points_change() -> None:
    assert model(BASE).fingerprint() != model(BASE.replace("points: 3", "points: 4")).fingerprint()


def test_the_example_fingerprint_does_not_change_between_loads() -> None:
    assert load_model_file(EXAMPLE).fingerprint() == load_model_file(EXAMPLE).fingerprint()


CAREERS = "  - {name: careers page, when: {event: page_view, path: {starts_with: /rekry/}}, points: -10}\n"


def test_the_diff_lists_changed_points_and_added_and_removed_rules() -> None:
    changed = (
        BASE.replace("points: 3, decay: {half_life: 14d}", "points: 5, decay: {half_life: 21d}")
        .replace("  - {name: most wanted, when: {account.tier: most_wanted}, points: 25}\n", "")
        .replace("B: 40", "B: 45")
        .replace("engagement >= 40", "engagement >= 30")
        .replace("qualify:", CAREERS + "qualify:")
    )
    assert diff_specs(model(BASE), model(changed)) == [
        "grade B threshold 40 → 45",
        "fit rule 'most wanted' removed (was points 25, when account.tier = most_wanted)",
        "engagement rule 'careers page' added: points -10, when page_view where path starts with /rekry/, "
        "decay no decay",
        "engagement rule 'visit': points 3 → 5",
        "engagement rule 'visit': decay half-life 14d → half-life 21d",
        "qualify mql: grade >= B and engagement >= 40 → grade >= B and engagement >= 30",
    ]


def test_two_equal_models_have_no_differences() -> None:
    assert diff_specs(model(BASE), model(BASE)) == []
