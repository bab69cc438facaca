"""The incremental engine: a per-person state that each new event advances, read exactly at any time.

The state keeps the events that can matter to a model (their types appear in a rule, or they carry the
model's theme or stage property) and the first moment the person qualified. Reading a card evaluates the
reference semantics over those events as of the read time, so decay is exact at read time and the card
equals the reference evaluator's over the full history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from liidi.domain.accounts import Account
from liidi.domain.events import Event
from liidi.domain.people import Person
from liidi.domain.scoring.card import QUALIFIED_BY_PRECEDENCE, ScoreCard
from liidi.domain.scoring.conditions import Subject
from liidi.domain.scoring.evaluate import card_from_history, first_qualification, fit_scores, score
from liidi.domain.scoring.history import build_history, in_order
from liidi.domain.scoring.spec import ScoringModel
from liidi.domain.scoring.windows import WindowRule, clauses_of

FOREVER = float("inf")


@dataclass(frozen=True, slots=True)
class ScoreState:
    """What the engine keeps per person and model between events."""

    events: tuple[Event, ...] = ()
    first_ts: float | None = None
    first_by: str | None = None
    fit: float | None = None
    grade: str | None = None


@dataclass(frozen=True, slots=True)
class Relevance:
    """Which events a model can look at at all."""

    types: frozenset[str]
    tag_properties: tuple[str, ...] = field(default_factory=tuple)

    def __call__(self, event: Event) -> bool:
        """True when the event may change some part of the model's card."""
        if event.type in self.types:
            return True
        return any(event.properties.get(name) not in (None, "", []) for name in self.tag_properties)


def relevance(model: ScoringModel) -> Relevance:
    """The event types and tag properties a model reads."""
    types: set[str] = set()
    for rule in model.engagement:
        types.update(rule.when.types)
    window_rules: tuple[WindowRule, ...] = (*model.signals, *model.product)
    for window_rule in window_rules:
        for clause in clauses_of(window_rule):
            types.update(clause.of.types)
    for raiser in model.hand_raisers:
        types.update(raiser.types)
    props: list[str] = []
    if model.themes is not None:
        if model.themes.events:
            types.update(model.themes.events)
        else:
            props.append(model.themes.property)
    if model.buying_stage is not None:
        types.update(event_type for event_type, _ in model.buying_stage.strong_events)
        props.append(model.buying_stage.property)
    return Relevance(frozenset(types), tuple(props))


def advance(
    model: ScoringModel,
    person: Person,
    account: Account | None,
    state: ScoreState,
    new_events: Iterable[Event],
    *,
    keep: Relevance | None = None,
) -> ScoreState:
    """Add events (duplicates and irrelevant ones skipped, any order); update the first qualification."""
    return advance_and_read(model, person, account, state, new_events, None, keep=keep)[0]


def advance_and_read(
    model: ScoringModel,
    person: Person,
    account: Account | None,
    state: ScoreState,
    new_events: Iterable[Event],
    as_of: float | None,
    *,
    keep: Relevance | None = None,
) -> tuple[ScoreState, ScoreCard | None]:
    """Advance the state and, when `as_of` is given, read its card, matching the history only once."""
    keep = keep or relevance(model)
    known = {e.event_id for e in state.events}
    added = [e for e in new_events if keep(e) and e.event_id not in known]
    subject = Subject(person, account)
    fit_rules = fit_scores(model, subject)
    fit = sum((rule.points for rule in fit_rules), 0.0)
    grade = model.grade_for(fit)
    events = in_order((*state.events, *{e.event_id: e for e in added}.values()), FOREVER)
    history = None
    first_ts, first_by = state.first_ts, state.first_by
    if added or fit != state.fit or grade != state.grade:
        since = -FOREVER if fit != state.fit or grade != state.grade else min(e.occurred_ts for e in added)
        if first_ts is None or since <= first_ts:
            history = build_history(model, subject, events)
            first_ts, first_by = first_qualification(model, history, fit, grade, None, since=since)
    new_state = ScoreState(events, first_ts, first_by, fit, grade)
    if as_of is None:
        return new_state, None
    if history is None or (events and events[-1].occurred_ts > as_of):
        history = build_history(model, subject, in_order(events, as_of))
    first = (first_ts, first_by)
    return new_state, card_from_history(model, person.id, history, fit_rules, as_of, first=first)


def card(
    model: ScoringModel, person: Person, account: Account | None, state: ScoreState, as_of: float
) -> ScoreCard:
    """The score card as of any moment, from the state alone."""
    return score(model, person, account, state.events, as_of, first=(state.first_ts, state.first_by))


def qualified_by_now(card_now: ScoreCard) -> str | None:
    """The path by which the person qualifies at the card's moment, by precedence, or None."""
    flags = {"hand_raiser": card_now.hand_raiser, "pql": card_now.pql, "mql": card_now.mql}
    return next((path for path in QUALIFIED_BY_PRECEDENCE if flags[path]), None)


def to_json(state: ScoreState) -> list[Any]:
    """The events of a state in a compact JSON form: [id, type, ts, properties] each."""
    return [[e.event_id, e.type, e.occurred_ts, dict(e.properties)] for e in state.events]


def from_row(row: dict[str, Any] | None, person_id: int) -> ScoreState:
    """A state from its stored row (or the empty state)."""
    if row is None:
        return ScoreState()
    events = tuple(
        Event(event_id=i, type=t, occurred_ts=ts, received_ts=ts, properties=p, person_id=person_id)
        for i, t, ts, p in row["events"]
    )
    return ScoreState(events, row["qualified_ts"], row["qualified_by"], row["fit"], row["grade"])


def rebuilt(
    model: ScoringModel, person: Person, account: Account | None, events: Sequence[Event]
) -> ScoreState:
    """A state built from a whole history at once (after a merge, a stitch or a new model version)."""
    return advance(model, person, account, ScoreState(), events)
