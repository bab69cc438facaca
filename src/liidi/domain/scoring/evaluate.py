"""The reference evaluator: the definition of what a scoring model means (engines must agree with it)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from liidi.domain.accounts import Account
from liidi.domain.events import Event
from liidi.domain.people import Person
from liidi.domain.scoring import describe
from liidi.domain.scoring.card import QUALIFIED_BY_PRECEDENCE, RuleScore, ScoreCard, SignalHit
from liidi.domain.scoring.conditions import Subject
from liidi.domain.scoring.engagement import engagement_scores
from liidi.domain.scoring.history import History, build_history, in_order
from liidi.domain.scoring.profile import buying_stage_at, top_themes
from liidi.domain.scoring.spec import GRADE_LETTERS, ScoringModel
from liidi.domain.scoring.windows import WindowRule, window_hit, window_rule_score

GRADE_RANKS: dict[str, int] = {letter: len(GRADE_LETTERS) - i for i, letter in enumerate(GRADE_LETTERS)}


@dataclass(frozen=True, slots=True)
class State:
    """Everything behavioural at one moment: rule scores, fired window rules, engagement and stage."""

    rules: tuple[RuleScore, ...]
    signals: tuple[SignalHit, ...]
    products: tuple[SignalHit, ...]
    engagement: float
    stage: str | None


def score(
    model: ScoringModel,
    person: Person,
    account: Account | None,
    events: Iterable[Event],
    as_of_ts: float,
    *,
    first: tuple[float | None, str | None] | None = None,
) -> ScoreCard:
    """Score one person as of a moment; events after it are ignored and input order never matters.

    `first` may give the first qualification over the check times of the person's whole history, as an
    incremental engine keeps it; the card then evaluates only the as-of moment instead of every check time.
    """
    subject = Subject(person, account)
    history = build_history(model, subject, in_order(events, as_of_ts))
    return card_from_history(model, person.id, history, fit_scores(model, subject), as_of_ts, first=first)


def card_from_history(
    model: ScoringModel,
    person_id: int,
    history: History,
    fit_rules: tuple[RuleScore, ...],
    as_of_ts: float,
    *,
    first: tuple[float | None, str | None] | None = None,
) -> ScoreCard:
    """The card from an already matched history (events at or before as_of) and the fit rules that hold."""
    fit = sum((rule.points for rule in fit_rules), 0.0)
    grade = model.grade_for(fit)
    now = state_at(model, history, as_of_ts)
    verdict = verdict_at(model, history, fit, grade, now, as_of_ts)
    if first is None:
        first_ts, first_by = first_qualification(model, history, fit, grade, as_of_ts)
    else:
        first_ts, first_by = _first_by_as_of(first, verdict, as_of_ts)
    rules = (*fit_rules, *now.rules)
    total = fit + now.engagement
    return ScoreCard(
        model=model.name,
        person_id=person_id,
        as_of_ts=as_of_ts,
        fit=fit,
        grade=grade,
        engagement=now.engagement,
        score=total,
        rules=rules,
        signals=now.signals,
        products=now.products,
        mql=verdict["mql"],
        pql=verdict["pql"],
        hand_raiser=verdict["hand_raiser"],
        qualified_by=first_by,
        qualified_at_ts=first_ts,
        themes=top_themes(model.themes, history.events, as_of_ts) if model.themes else (),
        buying_stage=now.stage,
        explanation=explanation(rules, fit, grade, now.engagement),
    )


def _first_by_as_of(
    first: tuple[float | None, str | None], verdict: dict[str, bool], as_of_ts: float
) -> tuple[float | None, str | None]:
    """The first qualification seen from as_of: the known first check time, else as_of itself if it holds."""
    if first[0] is not None and first[0] <= as_of_ts:
        return first
    path = next((p for p in QUALIFIED_BY_PRECEDENCE if verdict[p]), None)
    return (as_of_ts, path) if path else (None, None)


def fit_scores(model: ScoringModel, subject: Subject) -> tuple[RuleScore, ...]:
    """Every fit rule whose conditions hold."""
    return tuple(
        RuleScore(rule.name, "fit", rule.points, rule.points, 0, False, describe.predicate(rule.when))
        for rule in model.fit
        if subject.holds(rule.when)
    )


def state_at(model: ScoringModel, history: History, t: float) -> State:
    """The behavioural state at time t, from the events at or before t."""
    rules = engagement_scores(model, history.engagement, history.engagement_times, t)
    signals = _hits(model, history, t, "signal")
    products = _hits(model, history, t, "product")
    window_rules: tuple[WindowRule, ...] = (*model.signals, *model.product)
    by_name = {rule.name: rule for rule in window_rules}
    rules += [window_rule_score(hit, by_name[hit.name]) for hit in (*signals, *products)]
    engagement = sum((rule.points for rule in rules), 0.0)
    stage = _stage_at(model, history, t)
    return State(tuple(rules), signals, products, engagement, stage)


def _stage_at(model: ScoringModel, history: History, t: float) -> str | None:
    """The buying stage at t, from the events inside its look-back."""
    spec = model.buying_stage
    if spec is None:
        return None
    start = bisect_left(history.times, t - spec.within)
    return buying_stage_at(spec, history.events[start : bisect_right(history.times, t)], t)


def _hits(model: ScoringModel, history: History, t: float, kind: str) -> tuple[SignalHit, ...]:
    """The signals (or product rules) that have fired by time t."""
    rules = model.signals if kind == "signal" else model.product
    found = (window_hit(r, kind, history.fires[r.name], history.window_hits[r.name], t) for r in rules)
    return tuple(hit for hit in found if hit is not None)


def verdict_at(
    model: ScoringModel, history: History, fit: float, grade: str | None, state: State, t: float
) -> dict[str, bool]:
    """Whether each qualification path holds at time t."""
    env: dict[str, Any] = {
        "fit": fit,
        "grade": grade,
        "engagement": state.engagement,
        "score": fit + state.engagement,
        "stage": state.stage,
    }
    active = {f"{h.kind}.{h.key}" for h in (*state.signals, *state.products) if h.active}
    env |= {f"signal.{s.key}": f"signal.{s.key}" in active for s in model.signals}
    env |= {f"product.{p.key}": f"product.{p.key}" in active for p in model.product}
    ranks = {"grade": GRADE_RANKS, "stage": _stage_ranks(model)}
    mql, pql = model.qualify.mql, model.qualify.pql
    return {
        "hand_raiser": history.hand_raiser_ts is not None and history.hand_raiser_ts <= t,
        "pql": pql.evaluate(env, ranks) if pql else False,
        "mql": mql.evaluate(env, ranks) if mql else False,
    }


def _stage_ranks(model: ScoringModel) -> dict[str, int]:
    """Stage name → position in the buying order."""
    return {stage: i for i, stage in enumerate(model.buying_stage.order)} if model.buying_stage else {}


def first_qualification(
    model: ScoringModel,
    history: History,
    fit: float,
    grade: str | None,
    as_of_ts: float | None,
    since: float | None = None,
) -> tuple[float | None, str | None]:
    """The first check time (a matching event's time, or the as-of time) at which any path held, and which.

    With `since`, only check times at or after it are visited; without `as_of_ts`, only event times.
    """
    if model.qualify.mql is None and model.qualify.pql is None:
        return history.hand_raiser_ts, "hand_raiser" if history.hand_raiser_ts is not None else None
    times = {*history.check_times} if as_of_ts is None else {*history.check_times, as_of_ts}
    for t in sorted(x for x in times if since is None or x >= since):
        verdict = verdict_at(model, history, fit, grade, state_at(model, history, t), t)
        path = next((p for p in QUALIFIED_BY_PRECEDENCE if verdict[p]), None)
        if path is not None:
            return t, path
    return None, None


def explanation(
    rules: tuple[RuleScore, ...], fit: float, grade: str | None, engagement: float
) -> tuple[str, ...]:
    """One line per rule ('+15 service binge: …') and a closing total."""
    lines = [f"{describe.signed(rule.points)} {rule.rule}: {rule.detail}" for rule in rules]
    graded = f", grade {grade}" if grade else ""
    total = describe.number(fit + engagement)
    lines.append(
        f"= {total} score (fit {describe.number(fit)}{graded}; engagement {describe.number(engagement)})"
    )
    return tuple(lines)
