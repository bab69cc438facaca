"""Signals, product rules and the buying stage of a scoring model in pandas (part of the bench baseline).

A window rule can fire only at the time of one of its clause events. For every such (person, time) each
clause's total in [t - within, t] is a difference of two cumulative sums found with a binary search on
a (group, time rank) key; with `same:` the group is (person, value) and the best value counts.
"""

from __future__ import annotations

import numbers
import re

import numpy as np
import pandas as pd

from liidi.domain.scoring.spec import (
    DAY,
    BuyingStage,
    Condition,
    Decay,
    EventFilter,
    ProductRule,
    Signal,
    WindowClause,
)


def event_mask(filt: EventFilter, events: pd.DataFrame) -> pd.Series:
    """The events of one of the filter's types that meet every condition."""
    mask = events["type"].isin(filt.types)
    for cond in filt.where.items:
        if not isinstance(cond, Condition):
            raise ValueError("the pandas baseline reads plain event conditions only, not any_of")
        mask &= holds(cond, events)
    return mask


def holds(cond: Condition, events: pd.DataFrame) -> pd.Series:
    """One condition on an event property (text values only for equals and in: types are strict)."""
    if cond.scope != "event":
        raise ValueError(f"the pandas baseline reads event properties only, not {cond.field}")
    if cond.key not in events:
        return pd.Series(False, index=events.index)
    value = events[cond.key]
    if cond.op in ("equals", "in"):
        choices = list(cond.value) if cond.op == "in" else [cond.value]
        if not all(isinstance(choice, str) and choice for choice in choices):
            raise ValueError(f"the pandas baseline compares {cond.field} with non-empty texts only")
        return value.isin(choices)
    if cond.op == "starts_with" and _all_text(value):
        return value.str.startswith(cond.value).fillna(False).astype(bool) & value.ne("")
    if cond.op == "starts_with":
        return value.map(lambda v: isinstance(v, str) and v != "" and v.startswith(cond.value)).astype(bool)
    if cond.op == "matches":
        return search(value, cond.value)
    raise ValueError(f"the pandas baseline does not know the operator {cond.op}")


def _all_text(value: pd.Series) -> bool:
    """True when every present value is a text (no numbers, booleans or lists mixed in)."""
    return pd.api.types.infer_dtype(value, skipna=True) in ("string", "empty")


def search(value: pd.Series, pattern: str) -> pd.Series:
    """`matches`: Python's re.search, case-insensitive, on non-empty texts; run once per distinct value."""
    regex = re.compile(pattern, re.IGNORECASE)

    def test(v: object) -> bool:
        return isinstance(v, str) and v != "" and regex.search(v) is not None

    if not _all_text(value):
        return value.map(test).astype(bool)
    codes, distinct = pd.factorize(value)
    found = np.array([test(v) for v in distinct] + [False], dtype=bool)
    return pd.Series(found[codes], index=value.index)


def decay(rule: Decay, age_days: pd.Series) -> pd.Series:
    """The fraction of the points kept at each age in days."""
    if rule.kind == "half_life":
        return 0.5 ** (age_days / (rule.period / DAY))
    if rule.kind == "lifespan":
        return np.maximum(0.0, 1.0 - age_days / (rule.period / DAY))
    kept = pd.Series(1.0, index=age_days.index)
    for step in rule.steps if rule.kind == "step" else ():
        kept = kept.where(age_days < step.after / DAY, step.keep)
    return kept


def window_rule(rule: Signal | ProductRule, events: pd.DataFrame, as_of: float) -> pd.DataFrame:
    """Per person whose rule has fired by as_of: active (bool) and points (decayed, 0 when inactive).

    The candidate moments are the clause events' times; each clause keeps those where it reaches at_least,
    the clauses without `same` first (they are cheaper and leave fewer candidates for the others).
    """
    clauses = rule.clauses if isinstance(rule, Signal) else (rule.clause,)
    hits = [_clause_hits(clause, events) for clause in clauses]
    candidates = pd.concat([h[["person_id", "ts"]] for h in hits]).drop_duplicates(ignore_index=True)
    for clause, clause_hits in sorted(zip(clauses, hits, strict=True), key=lambda c: c[0].same is not None):
        reached = _clause_total(clause, clause_hits, candidates) >= clause.at_least
        candidates = candidates[reached].reset_index(drop=True)
    last = candidates.groupby("person_id")["ts"].max()
    age = as_of - last
    active = age <= rule.active_for
    points = (rule.points * decay(rule.decay, age / DAY)).where(active, 0.0)
    return pd.DataFrame({"active": active, "points": points})


def _clause_hits(clause: WindowClause, events: pd.DataFrame) -> pd.DataFrame:
    """The clause's events: person, time, what each adds, and the `same` value (rows without it dropped)."""
    hits = events.loc[event_mask(clause.of, events), ["person_id", "ts"]]
    if clause.measure == "count":
        hits["amount"] = 1.0
    elif clause.measure == "sum" and clause.field in events:
        value = events.loc[hits.index, clause.field]
        numeric = pd.api.types.is_numeric_dtype(value) and not pd.api.types.is_bool_dtype(value)
        hits["amount"] = value.astype(float).fillna(0.0) if numeric else value.map(_number)
    elif clause.measure == "sum":
        hits["amount"] = 0.0
    else:
        raise ValueError(f"the pandas baseline does not know the measure {clause.measure}")
    if clause.same is not None:
        same = events.loc[hits.index, clause.same] if clause.same in events else pd.Series(index=hits.index)
        hits["same"] = same
        hits = hits[same.notna() & same.ne("") if _all_text(same) else same.map(_usable_same).astype(bool)]
    return hits.reset_index(drop=True)


def _number(value) -> float:
    """A summed property: numbers count (not booleans, not NaN for an absent key), anything else 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or value != value:
        return 0.0
    return float(value)


def _usable_same(value) -> bool:
    """A `same` value groups events when it is a non-empty text or a number (not a boolean, not absent)."""
    if isinstance(value, bool) or value is None or value == "":
        return False
    if isinstance(value, float) and value != value:
        return False
    return isinstance(value, str | int | float)


def _clause_total(clause: WindowClause, hits: pd.DataFrame, candidates: pd.DataFrame) -> np.ndarray:
    """The clause's total in the window ending at each candidate; with `same`, the best value's."""
    if clause.same is None:
        return _window_sums(hits, candidates, ["person_id"], clause.within)
    values = hits[["person_id", "same"]].drop_duplicates()
    queries = candidates.reset_index().merge(values, on="person_id")
    queries["total"] = _window_sums(hits, queries, ["person_id", "same"], clause.within)
    best = queries.groupby("index")["total"].max()
    return best.reindex(candidates.index, fill_value=0.0).to_numpy()


def _window_sums(hits: pd.DataFrame, queries: pd.DataFrame, by: list[str], within: float) -> np.ndarray:
    """Sum of hit amounts with the query's `by` values and ts in [query ts - within, query ts]."""
    groups = pd.concat([hits[by], queries[by]], ignore_index=True).groupby(by, sort=False).ngroup()
    hit_group, query_group = groups[: len(hits)].to_numpy(), groups[len(hits) :].to_numpy()
    starts = queries["ts"].to_numpy() - within
    times = np.unique(np.concatenate([hits["ts"].to_numpy(), queries["ts"].to_numpy(), starts]))
    width = len(times) + 1
    hit_key = hit_group * width + np.searchsorted(times, hits["ts"].to_numpy())
    order = np.argsort(hit_key, kind="stable")
    sorted_keys = hit_key[order]
    running = np.concatenate([[0.0], np.cumsum(hits["amount"].to_numpy()[order])])
    high = np.searchsorted(sorted_keys, query_group * width + np.searchsorted(times, queries["ts"]), "right")
    low = np.searchsorted(sorted_keys, query_group * width + np.searchsorted(times, starts), "left")
    return running[high] - running[low]


def buying_stage(spec: BuyingStage, events: pd.DataFrame, as_of: float) -> pd.Series:
    """Per person, the position in spec.order of the buying stage at as_of (people without one absent)."""
    recent = events[events["ts"] >= as_of - spec.within]
    tagged = _stage_tags(spec, recent).assign(weight=1)
    strong = pd.DataFrame(
        [(t, s) for t, s in spec.strong_events if s in spec.order], columns=["type", "stage"]
    )
    strong = recent[["person_id", "ts", "type"]].merge(strong, on="type").assign(weight=spec.min_events)
    evidence = pd.concat([tagged, strong[["person_id", "ts", "stage", "weight"]]], ignore_index=True)
    totals = evidence.groupby(["person_id", "stage"]).agg(weight=("weight", "sum"), latest=("ts", "max"))
    totals = totals[totals["weight"] >= spec.min_events].reset_index()
    totals["rank"] = totals["stage"].map({stage: i for i, stage in enumerate(spec.order)})
    chosen = totals.sort_values(["person_id", "latest", "rank"]).groupby("person_id").tail(1)
    return chosen.set_index("person_id")["rank"]


def _stage_tags(spec: BuyingStage, events: pd.DataFrame) -> pd.DataFrame:
    """(person_id, ts, stage) per distinct known stage tag of an event (one text or a list of texts)."""
    if spec.property not in events:
        return pd.DataFrame(columns=["person_id", "ts", "stage"])
    frame = events[["person_id", "ts"]].assign(stage=events[spec.property])
    if not _all_text(frame["stage"]):
        frame["stage"] = frame["stage"].map(
            lambda v: list(dict.fromkeys(x for x in v if isinstance(x, str))) if isinstance(v, list) else [v]
        )
        frame = frame.explode("stage")
    return frame[frame["stage"].isin(spec.order)]
