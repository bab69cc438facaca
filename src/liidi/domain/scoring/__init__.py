"""Scoring models: the spec (frozen data), the YAML loader, the reference evaluator and explanations."""

from __future__ import annotations

from liidi.domain.scoring.card import RuleScore, ScoreCard, SignalHit, Theme
from liidi.domain.scoring.evaluate import score
from liidi.domain.scoring.explain import format_card
from liidi.domain.scoring.issues import SpecIssue, issues_of
from liidi.domain.scoring.load import check_model_text, load_model_file, load_model_text, load_models
from liidi.domain.scoring.spec import ScoringModel
from liidi.domain.scoring.versions import diff_specs, fingerprint

__all__ = [
    "RuleScore",
    "ScoreCard",
    "ScoringModel",
    "SignalHit",
    "SpecIssue",
    "Theme",
    "check_model_text",
    "diff_specs",
    "fingerprint",
    "format_card",
    "issues_of",
    "load_model_file",
    "load_model_text",
    "load_models",
    "score",
]
