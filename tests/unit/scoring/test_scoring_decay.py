"""Decay: how engagement points fade with age — none, half-life, lifespan and steps, with exact numbers."""

from __future__ import annotations

import math

import pytest
from scoring_support import card, event, model

from liidi.domain.scoring import ScoringModel
from liidi.domain.scoring.spec import Decay, DecayStep


def one_rule(decay: str) -> ScoringModel:
    """A model with a single 10-point download rule and the given decay."""
    return model(
        f"""
        model: decay
        engagement:
          - name: guide download
            when: {{event: download}}
            points: 10
            decay: {decay}
        """
    )


def points_after(decay: str, age_days: float) -> float:
    """The rule's points for one download `age_days` before the as-of time."""
    return card(one_rule(decay), [event("download", 0)], day=age_days).engagement


def test_points_do_not_fade_without_decay() -> None:
    assert points_after("none", 1000) == 10


@pytest.mark.parametrize(("age", "expected"), [(0, 10.0), (7, 10 / math.sqrt(2)), (14, 5.0), (28, 2.5)])
def test_half_life_halves_the_points_every_half_life(age: float, expected: float) -> None:
    assert points_after("{half_life: 14d}", age) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(("age", "expected"), [(0, 10.0), (45, 5.0), (81, 1.0), (90, 0.0), (120, 0.0)])
def test_lifespan_fades_linearly_to_zero(age: float, expected: float) -> None:
    assert points_after("{lifespan: 90d}", age) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(("age", "expected"), [(0, 10.0), (29.99, 10.0), (30, 5.0), (89, 5.0), (90, 0.0)])
def test_step_decay_keeps_a_fraction_from_each_step_on(age: float, expected: float) -> None:
    steps = "{step: [{after: 30d, keep: 0.5}, {after: 90d, keep: 0}]}"
    assert points_after(steps, age) == pytest.approx(expected, abs=1e-12)


def test_durations_in_hours_and_weeks_are_understood() -> None:
    assert points_after("{half_life: 2w}", 14) == pytest.approx(5.0)
    assert points_after("{half_life: 36h}", 1.5) == pytest.approx(5.0)


def test_the_decay_factor_is_defined_on_age_in_days() -> None:
    assert Decay("half_life", 14 * 86400).factor(14.0) == 0.5
    assert Decay("lifespan", 90 * 86400).factor(100.0) == 0.0
    assert Decay("step", 0, (DecayStep(30 * 86400, 0.25),)).factor(30.0) == 0.25


def test_the_explanation_says_how_points_decayed() -> None:
    scored = card(one_rule("{half_life: 14d}"), [event("download", 0)], day=14)
    assert scored.explanation[0] == "+5 guide download: 1 event, 10.0 raw, decayed (half-life 14d)"
