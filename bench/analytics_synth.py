"""A synthetic store for the report benchmarks: accounts, people, stage history, deals, touches, SLA clocks,
merges and events, drawn with a seeded numpy generator and written straight into the store's tables
(executemany on SQLite, COPY on PostgreSQL).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine

DAY = 86400.0
END = 1_793_491_200.0  # 2026-10-31 UTC
INDUSTRIES = np.array(["software", "logistics", "finance", "retail", "manufacturing", "healthcare"])
COUNTRIES = np.array(["FI", "FI", "SE", "NO", "DK", "DE"])
TIERS = np.array(["most_wanted", "tier_2", "tier_3", "none", "none", "none", "none", "none", "none", "none"])
ROLES = np.array(["decision_maker", "influencer", "user", "other"])
SENIORITIES = np.array(["c_level", "vp", "director", "manager", "individual", "unknown"])
TITLES = np.array(
    ["CEO", "CFO", "CTO", "Head of IT", "IT Manager", "Engineer", "Controller", "Designer", None]
)
CHANNELS = np.array(["webinar", "ads", "seo", "events", None])
TOUCH_KINDS = np.array(["call", "email", "meeting", "note"])
EVENT_TYPES = np.array(
    ["page_view", "page_view", "page_view", "download", "email_open", "email_bounce", "form_submit"]
)
REASONS = np.array(["not_ready", "timing", "no_budget", "not_a_fit", None, None])
LOST_REASONS = np.array(["price", "timing", "chose_competitor", None])


def tables(people: int, seed: int = 7, events_per_person: int = 10) -> dict[str, pd.DataFrame]:
    """Every table's rows as DataFrames (columns named as in the store)."""
    rng = np.random.default_rng(seed)
    n_acc = max(people // 10, 1)
    start = END - 365 * DAY
    acc = pd.DataFrame(
        {
            "id": np.arange(1, n_acc + 1),
            "domain": [f"a{i}.example.fi" for i in range(1, n_acc + 1)],
            "name": [f"Account {i}" for i in range(1, n_acc + 1)],
            "industry": rng.choice(INDUSTRIES, n_acc),
            "country": rng.choice(COUNTRIES, n_acc),
            "employees": rng.integers(10, 5000, n_acc),
            "tier": rng.choice(TIERS, n_acc),
        }
    )
    pid = np.arange(1, people + 1)
    ppl = pd.DataFrame(
        {
            "id": pid,
            "email": [f"p{i}@a{(i - 1) % n_acc + 1}.example.fi" for i in pid],
            "account_id": (pid - 1) % n_acc + 1,
            "role": rng.choice(ROLES, people, p=[0.25, 0.3, 0.35, 0.1]),
            "seniority": rng.choice(SENIORITIES, people),
            "title": rng.choice(TITLES, people),
            "channel": rng.choice(CHANNELS, people),
            "sourced_by": rng.choice(np.array(["marketing", "sales"]), people, p=[0.7, 0.3]),
        }
    )
    merged = rng.choice(pid, people // 100, replace=False)
    survivors = np.where(merged > 1, merged - 1, merged + 1)
    ppl["merged_into_id"] = pd.Series(dict(zip(merged, survivors, strict=True))).reindex(pid).to_numpy()
    mrg = pd.DataFrame(
        {
            "survivor_id": survivors,
            "merged_id": merged,
            "occurred_ts": rng.uniform(start, END, len(merged)),
            "moved_events": rng.integers(0, 20, len(merged)),
        }
    )
    history = _history(rng, people, start)
    deals = _deals(rng, history, ppl)
    n_touch = people * 2
    tch = pd.DataFrame(
        {
            "person_id": rng.integers(1, people + 1, n_touch),
            "kind": rng.choice(TOUCH_KINDS, n_touch),
            "occurred_ts": rng.uniform(start, END, n_touch),
        }
    )
    n_ev = people * events_per_person
    ev_person = rng.integers(1, people + 1, n_ev)
    evt = pd.DataFrame(
        {
            "person_id": ev_person,
            "account_id": (ev_person - 1) % n_acc + 1,
            "type": rng.choice(EVENT_TYPES, n_ev),
            "occurred_ts": rng.uniform(start, END, n_ev),
        }
    )
    mql = history[history.to_stage == "mql"]
    clocks = mql.sample(frac=0.8, random_state=seed)
    due = clocks.occurred_ts.to_numpy() + 4 * 3600
    response = rng.exponential(4 * 3600, len(clocks))
    touched = rng.random(len(clocks)) < 0.8
    status = np.where(touched, "met", np.where(rng.random(len(clocks)) < 0.2, "closed", "breached"))
    clk = pd.DataFrame(
        {
            "person_id": clocks.person_id.to_numpy(),
            "started_ts": clocks.occurred_ts.to_numpy(),
            "due_ts": due,
            "first_touch_ts": np.where(touched, clocks.occurred_ts.to_numpy() + response, np.nan),
            "status": status,
            "breached_ts": np.where(status == "breached", due, np.nan),
            "closed_ts": np.where(status == "closed", due - 3600, np.nan),
        }
    )
    return {
        "accounts": acc,
        "people": ppl,
        "lifecycle_history": history,
        "opportunities": deals,
        "touches": tch,
        "events": evt,
        "sla_clocks": clk,
        "merges": mrg,
    }


def _history(rng: np.random.Generator, people: int, start: float) -> pd.DataFrame:
    """A third of the people handed over (some twice); each hand-over accepted, rejected or waiting."""
    chosen = rng.choice(np.arange(1, people + 1), people // 3, replace=False)
    chosen = np.concatenate([chosen, rng.choice(chosen, len(chosen) // 5)])
    at = rng.uniform(start, END - 10 * DAY, len(chosen))
    outcome = rng.choice(
        np.array(["sal", "recycled", "disqualified", ""]), len(chosen), p=[0.45, 0.25, 0.1, 0.2]
    )
    later = at + rng.exponential(3 * DAY, len(chosen))
    model = rng.choice(np.array(["core@v1", "core@v2", None]), len(chosen))
    mql = pd.DataFrame(
        {"person_id": chosen, "from_stage": "lead", "to_stage": "mql", "occurred_ts": at, "reason": None}
    )
    mql["model_version"] = model
    done = outcome != ""
    nxt = pd.DataFrame(
        {
            "person_id": chosen[done],
            "from_stage": "mql",
            "to_stage": outcome[done],
            "occurred_ts": later[done],
            "reason": np.where(outcome[done] == "sal", None, rng.choice(REASONS, done.sum())),
            "model_version": None,
        }
    )
    history = pd.concat([mql, nxt], ignore_index=True).sort_values(
        ["person_id", "occurred_ts"], kind="stable"
    )
    history["id"] = np.arange(1, len(history) + 1)
    return history.reset_index(drop=True)


def _deals(rng: np.random.Generator, history: pd.DataFrame, ppl: pd.DataFrame) -> pd.DataFrame:
    """A deal for every fifth accepted lead: open, won or lost."""
    sal = history[history.to_stage == "sal"].iloc[::5]
    n = len(sal)
    stage = rng.choice(np.array(["open", "won", "lost"]), n, p=[0.3, 0.3, 0.4])
    created = sal.occurred_ts.to_numpy() + DAY
    closed = np.where(stage == "open", np.nan, created + rng.uniform(5, 90, n) * DAY)
    accounts = ppl.set_index("id").account_id.reindex(sal.person_id).to_numpy()
    return pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "person_id": sal.person_id.to_numpy(),
            "account_id": accounts,
            "amount": rng.choice(np.array([5000.0, 10000.0, 30000.0, np.nan]), n),
            "stage": stage,
            "created_ts": created,
            "closed_ts": closed,
            "lost_reason": np.where(stage == "lost", rng.choice(LOST_REASONS, n), None),
        }
    )


def _stored(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The rows with the store's required columns filled in."""
    out = frame.copy()
    if name in ("accounts", "people"):
        out["traits"] = "{}"
        out["created_ts"] = END - 400 * DAY
        out["updated_ts"] = END - 400 * DAY
    if name == "lifecycle_history":
        out["actor"] = "bench"
    if name == "opportunities":
        out["name"] = "deal"
    if name == "touches":
        out["source"] = "crm"
        out["created_ts"] = out["occurred_ts"]
    if name == "events":
        out["event_id"] = [f"e{i}" for i in out.index]
        out["received_ts"] = out["occurred_ts"]
        out["properties"] = "{}"
    if name == "sla_clocks":
        out["policy"] = "p"
        out["sla_version"] = 1
        out["owner"] = "rep@example.fi"
        out["escalation_step"] = 0
    if name == "merges":
        out["actor"] = "bench"
        out["snapshot"] = json.dumps({})
    return out.astype(object).where(out.notna(), None)


CHUNK = 500_000
ORDER = (
    "accounts",
    "people",
    "lifecycle_history",
    "opportunities",
    "touches",
    "events",
    "sla_clocks",
    "merges",
)


def write(engine: Engine, data: dict[str, pd.DataFrame]) -> None:
    """Insert every table (people first without merges, then the merged ones pointed at their survivors)."""
    raw: Any = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for name in ORDER:
            for start in range(0, len(data[name]), CHUNK):
                frame = _stored(name, data[name].iloc[start : start + CHUNK])
                if name == "people":
                    frame["merged_into_id"] = None
                _insert(engine, cursor, name, frame)
        merged = data["people"].dropna(subset=["merged_into_id"])
        mark = "%s" if engine.dialect.name == "postgresql" else "?"
        cursor.executemany(
            f"UPDATE people SET merged_into_id = {mark} WHERE id = {mark}",
            [(int(s), int(i)) for i, s in zip(merged.id, merged.merged_into_id, strict=True)],
        )
        if engine.dialect.name == "postgresql":
            for name in ("accounts", "people", "opportunities", "lifecycle_history"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"
                )
            cursor.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()


def _insert(engine: Engine, cursor: Any, name: str, frame: pd.DataFrame) -> None:
    """One chunk of rows into one table."""
    columns = list(frame.columns)
    rows = [tuple(_plain(v) for v in row) for row in frame.itertuples(index=False, name=None)]
    if engine.dialect.name == "postgresql":
        with cursor.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" for _ in columns)
        cursor.executemany(f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})", rows)


def _plain(value: Any) -> Any:
    """numpy scalars as Python values."""
    return value.item() if isinstance(value, np.generic) else value
