"""A whole scoring model the way a data analyst would write it in pandas (bench baseline).

Fit: one boolean mask per rule over people_flat, points added in rule order, the grade from the first
threshold reached. Engagement: parse each event's JSON, mask each rule's events, fill caps latest first with
a grouped cumulative sum, pool a group's rules for the group cap, decay by age and sum per person; then add
the active signals and product rules (batch_pandas_signals). mql and pql evaluate the qualify expressions
column-wise, with grades and stages compared by rank. Only what examples/scoring.yaml uses is supported.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from batch_pandas_signals import buying_stage, decay, event_mask, search, window_rule
from liidi.domain.scoring import expressions as ex
from liidi.domain.scoring.spec import DAY, Cap, Condition, FitRule, ScoringModel
from liidi.engines.layout import ACCOUNT_ATTRIBUTE_COLUMNS, PERSON_ATTRIBUTE_COLUMNS

GRADE_RANKS = {"A": 4, "B": 3, "C": 2, "D": 1}


def load_people(directory: Path) -> pd.DataFrame:
    """people_flat.parquet: one row per live person, with their account's attributes."""
    return pd.read_parquet(directory / "people_flat.parquet")


def load_events(directory: Path, as_of: float) -> pd.DataFrame:
    """events_flat.parquet up to as_of, with the JSON properties spread into columns."""
    events = pd.read_parquet(directory / "events_flat.parquet")
    events = events[events["ts"] <= as_of].reset_index(drop=True)
    props = pd.DataFrame(events["properties"].map(json.loads).tolist())
    clash = set(props.columns) & set(events.columns)
    if clash:
        raise ValueError(f"the pandas baseline cannot spread properties named like columns: {sorted(clash)}")
    return pd.concat([events.drop(columns="properties"), props], axis=1)


def engagement(model: ScoringModel, events: pd.DataFrame, as_of: float) -> pd.Series:
    """Engagement rule points per person as of `as_of` (people without points are absent)."""
    parts = []
    for rule in model.engagement:
        mask = event_mask(rule.when, events)
        part = events.loc[mask, ["person_id", "ts", "event_id"]].assign(
            amount=abs(rule.points), rule=rule.name, group=rule.group, sign=np.sign(rule.points) or 1.0
        )
        for cap in rule.caps:
            part = _capped(part, cap)
        part["decay"] = decay(rule.decay, (as_of - part["ts"]) / DAY)
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


def score_people(
    model: ScoringModel, people: pd.DataFrame, events: pd.DataFrame, as_of: float
) -> pd.DataFrame:
    """One row per person of `people`: person_id, fit, grade, engagement, score, mql, pql, hand_raiser, plus
    one bool column per signal/product rule (named signal__<key> / product__<key>)."""
    events = events[events["ts"] <= as_of]
    out = people[["person_id"]].sort_values("person_id", ignore_index=True)
    index = pd.Index(out["person_id"])
    fit = fit_points(model, people.set_index("person_id")).reindex(index)
    out["fit"] = fit.to_numpy()
    out["grade"] = _grades(model, fit).to_numpy()
    out = pd.concat([out, _behaviour(model, events, as_of, index)], axis=1)
    out["score"] = out["fit"] + out["engagement"]
    for name in ("mql", "pql"):
        expression = getattr(model.qualify, name)
        out[name] = _known(_evaluate(expression.root, out, _stage_order(model))) if expression else False
    columns = ["person_id", "fit", "grade", "engagement", "score", "mql", "pql", "hand_raiser"]
    return out[columns + [c for c in out if c.startswith(("signal__", "product__"))]]


def _behaviour(model: ScoringModel, events: pd.DataFrame, as_of: float, index: pd.Index) -> pd.DataFrame:
    """Per person (in index order): engagement, the rule flags, hand_raiser and the buying stage's rank."""
    total = engagement(model, events, as_of).reindex(index, fill_value=0.0)
    flags = {}
    for kind, rules in (("signal", model.signals), ("product", model.product)):
        for rule in rules:
            fired = window_rule(rule, events, as_of).reindex(index)
            flags[f"{kind}__{rule.key}"] = fired["active"].fillna(False).astype(bool).to_numpy()
            total = total + fired["points"].fillna(0.0)
    raised = [events.loc[event_mask(f, events), "person_id"] for f in model.hand_raisers]
    hand_raiser = index.isin(pd.concat(raised)) if raised else np.zeros(len(index), dtype=bool)
    stage = _stage_ranks(model, events, as_of, index)
    return pd.DataFrame({"engagement": total.to_numpy(), **flags, "hand_raiser": hand_raiser, "stage": stage})


def fit_points(model: ScoringModel, people: pd.DataFrame) -> pd.Series:
    """0.0 plus the points of each fit rule that holds, in rule order."""
    fit = pd.Series(0.0, index=people.index)
    for rule in model.fit:
        fit = fit + np.where(_fit_holds(rule, people), rule.points, 0.0)
    return fit


def _fit_holds(rule: FitRule, people: pd.DataFrame) -> pd.Series:
    mask = pd.Series(True, index=people.index)
    for cond in rule.when.items:
        if not isinstance(cond, Condition):
            raise ValueError("the pandas baseline reads plain fit conditions only, not any_of")
        mask &= _attribute_holds(cond, _attribute(cond, people))
    return mask


def _attribute(cond: Condition, people: pd.DataFrame) -> pd.Series:
    columns = {"person": PERSON_ATTRIBUTE_COLUMNS, "account": ACCOUNT_ATTRIBUTE_COLUMNS}.get(cond.scope, {})
    if cond.key not in columns:
        raise ValueError(f"the pandas baseline reads person and account attributes only, not {cond.field}")
    return people[columns[cond.key]]


def _attribute_holds(cond: Condition, value: pd.Series) -> pd.Series:
    """One operator on a column; every operator but `missing` is false on a missing value (null or '')."""
    missing = value.isna() | (value == "")
    if cond.op == "missing":
        return missing if cond.value else ~missing
    if cond.op in ("equals", "in"):
        choices = list(cond.value) if cond.op == "in" else [cond.value]
        if not all(isinstance(choice, str) and choice for choice in choices):
            raise ValueError(f"the pandas baseline compares {cond.field} with non-empty texts only")
        return value.isin(choices) & ~missing
    if cond.op in ("between", "at_least", "below"):
        if not pd.api.types.is_numeric_dtype(value) or pd.api.types.is_bool_dtype(value):
            raise ValueError(f"the pandas baseline compares numeric columns only, not {cond.field}")
        number = value.astype(float)
        if cond.op == "between":
            return number.between(*cond.value).fillna(False).astype(bool)
        held = number >= cond.value if cond.op == "at_least" else number < cond.value
        return held.fillna(False).astype(bool)
    if cond.op == "matches":
        return search(value, cond.value)
    raise ValueError(f"the pandas baseline does not know the operator {cond.op} on {cond.field}")


def _grades(model: ScoringModel, fit: pd.Series) -> pd.Series:
    """The first grade whose threshold the fit reaches, else D (None without grades)."""
    if not model.grades:
        return pd.Series(None, index=fit.index, dtype=object)
    grade = pd.Series("D", index=fit.index, dtype=object)
    for letter, floor in reversed(model.grades):
        grade = grade.mask(fit >= floor, letter)
    return grade


def _stage_ranks(model: ScoringModel, events: pd.DataFrame, as_of: float, index: pd.Index) -> np.ndarray:
    if model.buying_stage is None:
        return np.full(len(index), np.nan)
    return buying_stage(model.buying_stage, events, as_of).reindex(index).astype(float).to_numpy()


def _stage_order(model: ScoringModel) -> dict[str, int]:
    """Stage name -> position in the buying order."""
    return {stage: i for i, stage in enumerate(model.buying_stage.order)} if model.buying_stage else {}


def _evaluate(node: ex.Node, out: pd.DataFrame, stages: dict[str, int]):
    """A qualify expression node over the scored columns; unknown values are NaN and never true."""
    if isinstance(node, ex.BoolOp):
        items = [_known(_evaluate(item, out, stages)) for item in node.items]
        combined = items[0]
        for item in items[1:]:
            combined = combined & item if node.op == "and" else combined | item
        return combined
    if isinstance(node, ex.Not):
        return ~_known(_evaluate(node.item, out, stages))
    if isinstance(node, ex.Compare):
        return _compare(_operand(node.left, out, stages), node.op, _operand(node.right, out, stages))
    if isinstance(node, ex.InList):
        raise ValueError("the pandas baseline does not evaluate `in` lists")
    return _operand(node, out, stages)


def _operand(node: ex.Node, out: pd.DataFrame, stages: dict[str, int]):
    if isinstance(node, ex.Number):
        return float(node.value)
    if isinstance(node, ex.Word):
        ranks = GRADE_RANKS if node.kind == "grade" else stages
        return float(ranks.get(node.text, np.nan))
    if node.text == "grade":
        return out["grade"].map(GRADE_RANKS).astype(float)
    if node.text in ("fit", "engagement", "score", "stage"):
        return out[node.text]
    return out[node.text.replace(".", "__", 1)]


def _compare(left, op: str, right) -> pd.Series:
    known = pd.notna(left) & pd.notna(right)
    held = {
        "==": lambda: left == right,
        "!=": lambda: left != right,
        ">=": lambda: left >= right,
        "<=": lambda: left <= right,
        ">": lambda: left > right,
        "<": lambda: left < right,
    }[op]()
    return known & held


def _known(value) -> pd.Series:
    return value.fillna(False).astype(bool) if isinstance(value, pd.Series) else value


def _capped(part: pd.DataFrame, cap: Cap) -> pd.DataFrame:
    """Fill each period up to the cap, latest first by (ts, event_id, rule); older events get what is left."""
    period = np.floor(part["ts"] / cap.per) if cap.per else 0.0
    part = part.assign(period=period).sort_values(
        ["person_id", "period", "ts", "event_id", "rule"], ascending=[True, True, False, False, False]
    )
    before = part.groupby(["person_id", "period"])["amount"].cumsum() - part["amount"]
    part["amount"] = np.minimum(part["amount"], np.maximum(0.0, cap.points - before))
    return part.drop(columns="period")
