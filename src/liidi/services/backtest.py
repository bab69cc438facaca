"""Backtesting use cases: check the parameters, pick the two models and the engine, replay, store jobs."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from liidi.analytics import backtest as bt
from liidi.analytics.arrivals import arrived
from liidi.domain.scoring import ScoreCard, ScoringModel, diff_specs, fingerprint, load_model_text, score
from liidi.engines.batch import BatchEngine, BatchRow, StepScores
from liidi.errors import FieldError, NotFound, ValidationFailed
from liidi.services.backtest_params import (
    MAX_STEPS,
    Params,
    check_params,
    default_window,
    duration,
    engine_errors,
    engine_names,
    iso,
)
from liidi.services.batch import SparkOptions, load_people
from liidi.services.batch import open_engine as open_batch_engine
from liidi.services.models import get_version, parse_label
from liidi.services.scoring import published_models
from liidi.services.unit_of_work import UnitOfWork

NewUow = Callable[[], UnitOfWork]
Progress = Callable[[float], None]
SCHEMA = "liidi.backtest/1"
DRIVER_SAMPLE = 20
__all__ = [
    "MAX_STEPS",
    "Params",
    "Side",
    "check_params",
    "default_window",
    "duration",
    "engine_names",
    "pick_model",
    "run_backtest",
    "side_from_text",
]


@dataclass(frozen=True, slots=True)
class Side:
    """One of the two models compared, with the label the report shows."""

    label: str
    model: ScoringModel


def side_from_text(text: str, source_name: str) -> Side:
    """A model given as YAML (a file); its label names the model and the file."""
    model = load_model_text(text, source_name)
    return Side(f"{model.name} ({source_name.rsplit('/', 1)[-1]})", model)


def pick_model(uow: UnitOfWork, *, ref: str, name: str | None = None, field: str = "against") -> Side:
    """A stored model: 'name@vN', or 'published' (the published version of model `name`)."""
    if ref == "published":
        with uow:
            found = next((p for p in published_models(uow) if p.name == name), None)
        if found is None:
            raise NotFound(f"scoring model '{name}' has no published version to compare with")
        return Side(found.label, found.model)
    parsed = parse_label(ref)
    if parsed is None:
        raise ValidationFailed(
            [FieldError(field, ref, "must be 'published', a file or a version like core@v2")]
        )
    stored = get_version(uow, name=parsed[0], version=parsed[1])
    return Side(stored.label, load_model_text(stored.source, stored.label))


@contextmanager
def open_engine(new_uow: NewUow, name: str) -> Iterator[BatchEngine]:
    """The named engine over the store (DuckDB and Spark read a fresh export of it)."""
    if errors := engine_errors(name):
        raise ValidationFailed(errors)
    with open_batch_engine(new_uow, name, source=None, spark=SparkOptions()) as engine:
        yield engine


def run_backtest(
    new_uow: NewUow, *, new: Side, against: Side, params: Params, progress: Progress | None = None
) -> dict[str, Any]:
    """Replay the window through the engine under both models; the report as JSON-ready data."""
    began, tell = time.perf_counter(), progress or (lambda _share: None)
    window, steps = params.window(), params.window().steps()
    outcomes, arrivals = load_history(new_uow, touch_types(new.model, against.model), empty_until=params.end)
    scores, timing = {}, {}
    with open_engine(new_uow, params.engine) as engine:
        tell(0.1)
        timing["load_s"] = time.perf_counter() - began
        for i, (key, side) in enumerate((("new", new), ("against", against))):
            started = time.perf_counter()
            found = _score(engine, side.model, steps, _part(tell, 0.1 + 0.4 * i, 0.4))
            scores[key] = arrived(found, arrivals)
            timing[f"score_{key}_s"] = time.perf_counter() - started
    models = {
        key: {"label": side.label, "fingerprint": fingerprint(side.model)}
        | bt.summarise(scores[key], outcomes, window, params.capacity)
        for key, side in (("new", new), ("against", against))
    }
    comparison = _compare(new_uow, new, against, scores)
    timing["total_s"] = time.perf_counter() - began
    tell(1.0)
    return {
        "schema": SCHEMA,
        "params": params.as_json() | {"model": new.label, "against": against.label, "steps": len(steps)},
        "outcomes_until": iso(outcomes.until),
        "models": models,
        "comparison": comparison,
        "timing": timing,
    }


def _part(tell: Progress, offset: float, width: float) -> Progress:
    """Progress of a part of the work as progress of the whole."""
    return lambda share: tell(offset + width * share)


def _score(engine: BatchEngine, model: ScoringModel, steps: Sequence[float], tell: Progress) -> StepScores:
    """Everyone's scores at every step: in one call if the engine gives columns, else rows in a few chunks."""
    score_steps = getattr(engine, "score_steps", None)
    if score_steps is not None:
        tell(0.0)
        scores: StepScores = score_steps(model, steps)
        tell(1.0)
        return scores
    size = max(1, -(-len(steps) // 4))
    rows: dict[float, list[BatchRow]] = {}
    for start in range(0, len(steps), size):
        rows |= engine.score_many(model, steps[start : start + size])
        tell(min(1.0, (start + size) / len(steps)))
    return StepScores.from_rows(rows)


def touch_types(*models: ScoringModel) -> list[str]:
    """sales_touch and the plain hand-raiser event types of the models (filters with conditions left out)."""
    found = {t for m in models for f in m.hand_raisers if not f.where.items for t in f.types}
    return sorted(found | {"sales_touch"})


def load_history(
    new_uow: NewUow, types: list[str], empty_until: float
) -> tuple[bt.Outcomes, dict[int, float]]:
    """Outcomes (until `empty_until` if the store is empty) and each person's arrival, in one read."""
    with new_uow() as uow:
        return load_outcomes_in(uow, types, empty_until), uow.backtests.arrivals()


def load_outcomes_in(uow: UnitOfWork, types: list[str], empty_until: float) -> bt.Outcomes:
    """Stage changes, deals, touches and accounts from the store."""
    deals = [_deal(d) for d in uow.backtests.deals()]
    return bt.Outcomes(
        stage_changes=uow.backtests.stage_changes(),
        deals=deals,
        touches=uow.backtests.touches(types),
        accounts=uow.backtests.person_accounts(),
        until=uow.backtests.latest_ts() or empty_until,
    )


def _deal(row: Mapping[str, Any]) -> bt.Deal:
    won = row["stage"] == "won"
    return bt.Deal(row["id"], row["person_id"], row["account_id"], won, row["created_ts"], row["closed_ts"])


def _compare(
    new_uow: NewUow,
    new: Side,
    against: Side,
    scores: Mapping[str, StepScores],
) -> dict[str, Any]:
    """Who only one model flagged, the spec changes, and the rules behind the difference for a sample."""
    flags = {key: bt.first_flags(scores[key]) for key in scores}
    split = bt.overlap(flags["new"], flags["against"])
    drivers = {}
    for key, ids, first, second in (
        ("new", split["only_first"], new, against),
        ("against", split["only_second"], against, new),
    ):
        chosen = bt.sample(ids, DRIVER_SAMPLE)
        at = {pid: flags[key][pid].ts for pid in chosen}
        pairs = _card_pairs(new_uow, first, second, at)
        drivers[f"only_{key}"] = {"sampled": chosen, "rules": bt.rule_contributions(pairs)}
    return {
        "both": len(split["both"]),
        "only_new": len(split["only_first"]),
        "only_against": len(split["only_second"]),
        "spec_changes": diff_specs(against.model, new.model),
        "drivers": drivers,
    }


def _card_pairs(
    new_uow: NewUow, first: Side, second: Side, at: Mapping[int, float]
) -> list[tuple[ScoreCard, ScoreCard]]:
    """Reference cards of these people under both models at the step the first model flagged them."""
    if not at:
        return []
    people, accounts, events = load_people(new_uow, set(at))
    pairs = []
    for pid, ts in at.items():
        person = people[pid]
        account = accounts.get(person.account_id) if person.account_id else None
        one, two = (
            score(s.model, person, account, events[pid], ts, first=(None, None)) for s in (first, second)
        )
        pairs.append((one, two))
    return pairs
