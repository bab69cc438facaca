"""The weekly review against an independent pandas computation on generated people, histories and touches."""

from __future__ import annotations

import random
from typing import Any

import pandas as pd
import pytest

from liidi.services import pacing
from tests.pacing_support import NOW, NewUow

DAY = 86400.0
WEEK = 7 * DAY
MONDAY = 3 * DAY  # epoch + 3 days: a Monday
RANKS = {"lead": 1, "mql": 2, "sal": 3, "sql": 4, "opportunity": 5, "customer": 6}
STAGES = ["lead", "mql", "sal", "sql", "opportunity", "customer", "recycled", "disqualified"]
CHANNELS = ["organic_search", "email", "direct", None]
WEEKS = 20


def _generate(seed: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """People (some merged, some created after their imported history), random stage walks, meetings."""
    rng = random.Random(seed)
    people, changes, touches = [], [], []
    for pid in range(1, 401):
        created = NOW - rng.uniform(0, 200) * DAY
        people.append(
            {"id": pid, "channel": rng.choice(CHANNELS), "created": created, "merged": rng.random() < 0.05}
        )
        at = created - (rng.uniform(0, 60) * DAY if rng.random() < 0.2 else 0)
        stage: str | None = rng.choice([None, "subscriber", "lead"])
        for _ in range(rng.randint(0, 6)):
            at += rng.uniform(0, 15) * DAY
            to = rng.choice(STAGES)
            changes.append({"person_id": pid, "from_stage": stage, "to_stage": to, "occurred_ts": at})
            stage = to
        for _ in range(rng.choice([0, 0, 0, 1, 2])):
            touches.append(
                {"person_id": pid, "kind": rng.choice(["meeting", "call"]), "occurred_ts": at + DAY}
            )
    return pd.DataFrame(people), pd.DataFrame(changes), pd.DataFrame(touches)


def _store(
    new_uow: NewUow, people: pd.DataFrame, changes: pd.DataFrame, touches: pd.DataFrame
) -> dict[int, int]:
    """Store the generated rows; stored id by generated id."""
    with new_uow() as uow:
        ids = {}
        for p in people.itertuples():
            row = {"email": f"p{p.id}@firma.fi", "channel": None if pd.isna(p.channel) else p.channel}
            ids[p.id] = uow.people.add_many([row], p.created)[0]
        for p in people[people.merged].itertuples():
            uow.people.update(ids[p.id], {"merged_into_id": ids[1 if p.id != 1 else 2]}, NOW)
        rows = [{**c, "person_id": ids[c["person_id"]], "actor": "t"} for c in changes.to_dict("records")]
        uow.lifecycle.record_many(rows)
        for t in touches.to_dict("records"):
            uow.touches.add({**t, "person_id": ids[t["person_id"]], "source": "rep", "created_ts": NOW})
        uow.commit()
    return ids


def _pandas_counts(people: pd.DataFrame, changes: pd.DataFrame, touches: pd.DataFrame) -> dict[Any, int]:
    """(week index, channel, metric) → distinct people, computed without liidi."""
    live = people[~people.merged].set_index("id")
    rank = lambda s: s.map(RANKS).fillna(0)  # noqa: E731
    first = changes.groupby("person_id").occurred_ts.min()
    known = live.created.combine(first.reindex(live.index), lambda c, f: f if f == f and f < c else c)
    moments = [pd.DataFrame({"person_id": known.index, "ts": known.values, "metric": "leads"})]
    for metric, level in (("mqls", 2), ("sals", 3), ("meetings", 4)):
        crossed = changes[(rank(changes.to_stage) >= level) & (rank(changes.from_stage) < level)]
        moments.append(
            crossed[["person_id", "occurred_ts"]].rename(columns={"occurred_ts": "ts"}).assign(metric=metric)
        )
    met = touches[touches.kind == "meeting"][["person_id", "occurred_ts"]]
    moments.append(met.rename(columns={"occurred_ts": "ts"}).assign(metric="meetings"))
    all_ = pd.concat(moments)
    all_ = all_[all_.person_id.isin(live.index)]
    all_["week"] = ((all_.ts + MONDAY) // WEEK).astype(int)
    all_["channel"] = all_.person_id.map(live.channel).fillna("(none)")
    counted = all_.groupby(["week", "channel", "metric"]).person_id.nunique()
    return {key: int(n) for key, n in counted.items()}


@pytest.mark.parametrize("seed", [1, 2])
def test_weekly_counts_by_channel_match_pandas_on_generated_data(new_uow: NewUow, seed: int) -> None:
    people, changes, touches = _generate(seed)
    _store(new_uow, people, changes, touches)
    want = _pandas_counts(people, changes, touches)
    report = pacing.report(new_uow(), weeks=WEEKS, by="channel", now=NOW)
    got = {
        (week.week.index, group.key, metric): group.actual[metric]
        for week in report.weeks
        for group in week.groups
        for metric in group.actual
        if group.actual[metric]
    }
    shown = {w.week.index for w in report.weeks}
    assert got == {k: v for k, v in want.items() if k[0] in shown}
    assert sum(got.values()) > 300
