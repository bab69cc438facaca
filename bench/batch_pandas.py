"""The engagement part of a scoring model the way a data analyst would write it in pandas (bench baseline).

Parse each event's JSON, mask each rule's events, fill caps latest first with a grouped cumulative sum,
pool a group's rules for the group cap, decay by age and sum per person. Rule points only: signals and
product rules are not part of it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from liidi.domain.scoring.spec import DAY, Cap, Condition, Decay, ScoringModel


def load_events(directory: Path, as_of: float) -> pd.DataFrame:
    """events_flat.parquet up to as_of, with the JSON properties spread into columns."""
    events = pd.read_parquet(directory / "events_flat.parquet")
    events = events[events["ts"] <= as_of].reset_index(drop=True)
    props = pd.DataFrame(events["properties"].map(json.loads).tolist())
    return pd.concat([events.drop(columns="properties"), props], axis=1)


def engagement(model: ScoringModel, events: pd.DataFrame, as_of: float) -> pd.Series:
    """Engagement rule points per person as of `as_of` (people without points are absent)."""
    parts = []
    for rule in model.engagement:
        mask = events["type"].isin(rule.when.types)
        for cond in rule.when.where.items:
            mask &= _holds(cond, events)
        part = events.loc[mask, ["person_id", "ts", "event_id"]].assign(
            amount=abs(rule.points), rule=rule.name, group=rule.group, sign=np.sign(rule.points) or 1.0
        )
        for cap in rule.caps:
            part = _capped(part, cap)
        part["decay"] = _decay(rule.decay, (as_of - part["ts"]) / DAY)
        parts.append(part)
    earned = pd.concat(parts, ignore_index=True)
    for group in model.groups:
        members = earned["group"] == group.name
        pooled = earned[members]
        for cap in group.caps:
            pooled = _capped(pooled, cap)
        earned = pd.concat([earned[~members], pooled], ignore_index=True)
    points = earned["sign"] * earned["amount"] * earned["decay"]
    return points.groupby(earned["person_id"]).sum()


def _holds(cond: Condition, events: pd.DataFrame) -> pd.Series:
    if cond.scope != "event":
        raise ValueError(f"the pandas baseline reads event properties only, not {cond.field}")
    if cond.key not in events:
        return pd.Series(False, index=events.index)
    value = events[cond.key]
    if cond.op == "equals":
        return value == cond.value
    if cond.op == "in":
        return value.isin(list(cond.value))
    text = value.where(value.map(lambda v: isinstance(v, str)), None).astype("string")
    if cond.op == "starts_with":
        return text.str.startswith(cond.value).fillna(False).astype(bool)
    if cond.op == "matches":
        return text.str.contains(cond.value, case=False, regex=True).fillna(False).astype(bool)
    raise ValueError(f"the pandas baseline does not know the operator {cond.op}")


def _capped(part: pd.DataFrame, cap: Cap) -> pd.DataFrame:
    """Fill each period up to the cap, latest first by (ts, event_id, rule); older events get what is left."""
    period = np.floor(part["ts"] / cap.per) if cap.per else 0.0
    part = part.assign(period=period).sort_values(
        ["person_id", "period", "ts", "event_id", "rule"], ascending=[True, True, False, False, False]
    )
    before = part.groupby(["person_id", "period"])["amount"].cumsum() - part["amount"]
    part["amount"] = np.minimum(part["amount"], np.maximum(0.0, cap.points - before))
    return part.drop(columns="period")


def _decay(decay: Decay, age: pd.Series) -> pd.Series | float:
    if decay.kind == "half_life":
        return 0.5 ** (age / (decay.period / DAY))
    if decay.kind == "lifespan":
        return np.maximum(0.0, 1.0 - age / (decay.period / DAY))
    if decay.kind == "step":
        kept = pd.Series(1.0, index=age.index)
        for step in decay.steps:
            kept = kept.where(age < step.after / DAY, step.keep)
        return kept
    return 1.0
