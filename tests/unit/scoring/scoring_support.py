"""Builders for the scoring tests: a person, an account, events on a day grid, a model from YAML."""

from __future__ import annotations

import itertools
import textwrap
from collections.abc import Iterable
from typing import Any

from liidi.domain.accounts import Account, Tier
from liidi.domain.events import Event
from liidi.domain.people import BuyingRole, Person
from liidi.domain.scoring import ScoreCard, ScoringModel, load_model_text, score

DAY = 86400.0
T0 = 1_700_006_400.0  # 2023-11-15 00:00 UTC, a whole number of days since the epoch
_ids = itertools.count()


def person(**overrides: Any) -> Person:
    """A decision maker at acme.fi unless told otherwise."""
    values: dict[str, Any] = {
        "id": 1,
        "emails": ("anna@acme.fi",),
        "title": "CIO",
        "role": BuyingRole.DECISION_MAKER,
    }
    return Person(**(values | overrides))


def account(**overrides: Any) -> Account:
    """A Finnish mid-size manufacturer on the Most Wanted list unless told otherwise."""
    values: dict[str, Any] = {
        "id": 1,
        "domain": "acme.fi",
        "industry": "manufacturing",
        "country": "FI",
        "employees": 200,
        "tier": Tier.MOST_WANTED,
    }
    return Account(**(values | overrides))


def event(kind: str, day: float, event_id: str | None = None, **properties: Any) -> Event:
    """An event `day` days after T0 (fractions allowed), with a fresh id unless one is given."""
    return Event(
        event_id=event_id or f"e{next(_ids):06d}",
        type=kind,
        occurred_ts=T0 + day * DAY,
        received_ts=T0 + day * DAY,
        properties=properties,
        person_id=1,
    )


def model(text: str) -> ScoringModel:
    """A model from an indented YAML snippet."""
    return load_model_text(textwrap.dedent(text), "test.yaml")


def card(
    spec: ScoringModel,
    events: Iterable[Event],
    day: float,
    who: Person | None = None,
    where: Account | None = None,
) -> ScoreCard:
    """Score the default person and account as of `day` days after T0."""
    return score(
        spec, who or person(), where if where is not None else account(), list(events), T0 + day * DAY
    )
