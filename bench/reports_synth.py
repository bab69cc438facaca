"""Synthetic store tables for bench/reports.py: accounts, people, their dated stage history, deals,
sales touches, one batch-score run and an SLA clock per MQL, generated with a seeded numpy generator as
pandas frames. A tenth of the accounts are on the Most Wanted list and people carry a seniority, for the
target-account and marketing-value reports (drawn from a second generator, so the funnel stays the same).

The funnel follows a B2B shape: 95 % become leads, 20 % of leads MQLs, 60 % of MQLs SALs, then SQL 70 %,
opportunity 50 %, customer 40 %; 30 % are sales-sourced; 20 % of the MQLs that stop there are recycled.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

DAY = 86_400.0
START = 1_735_689_600.0  # 2025-01-01
SPAN = 730 * DAY
STAGES = ("lead", "mql", "sal", "sql", "opportunity", "customer")
ONWARD = (0.95, 0.20, 0.60, 0.70, 0.50, 0.40)
TOOLS = ("download", "event", "demo_request", "trial_signup", "newsletter", "contact_form", "order_form")
CHANNELS = ("organic", "paid_search", "social", "email", "referral")
INDUSTRIES = ("software", "finance", "logistics", "retail", "manufacturing", "healthcare", "energy")
SENIORITIES = ("c_level", "vp", "director", "manager", "individual", "unknown")
OWNERS = tuple(f"rep{i:02d}@example.com" for i in range(20))


def generate(people: int, seed: int = 7) -> dict[str, pd.DataFrame]:
    """Every table the reports read, as frames keyed by the store's table names."""
    rng = np.random.default_rng(seed)
    accounts = _accounts(rng, max(people // 10, 1))
    persons, depth = _people(rng, people, len(accounts))
    history = _history(rng, persons, depth)
    persons["lifecycle_stage"] = np.where(
        depth > 0, np.array(("subscriber", *STAGES), dtype=object)[depth], "subscriber"
    )
    recycled = _recycled(rng, history, depth)
    history = pd.concat([history, recycled], ignore_index=True).sort_values(["person_id", "occurred_ts"])
    history.insert(0, "id", np.arange(1, len(history) + 1))
    history["reason"] = np.where(history["to_stage"] == "recycled", "not_ready", None)
    history["qualified_by"] = np.where(history["to_stage"] == "mql", "mql", None)
    history["model_version"] = None
    deals = _deals(rng, history, persons)
    touches = _touches(rng, history)
    scores = _scores(rng, persons)
    more = np.random.default_rng(seed + 1)
    accounts["tier"] = np.where(more.random(len(accounts)) < 0.1, "most_wanted", "none")
    persons["seniority"] = more.choice(SENIORITIES, len(persons))
    return {
        "accounts": accounts,
        "people": persons,
        "lifecycle_history": history,
        "opportunities": deals,
        "touches": touches,
        "batch_scores": scores,
        "sla_clocks": _clocks(more, history, touches),
    }


def _accounts(rng: np.random.Generator, n: int) -> pd.DataFrame:
    ids = np.arange(1, n + 1)
    return pd.DataFrame(
        {
            "id": ids,
            "domain": [f"c{i}.example" for i in ids],
            "name": [f"Company {i}" for i in ids],
            "industry": rng.choice(INDUSTRIES, n),
            "employees": np.exp(rng.uniform(1, 9, n)).astype(np.int64),
            "tier": "none",
            "traits": "{}",
            "created_ts": START,
            "updated_ts": START,
        }
    )


def _people(rng: np.random.Generator, n: int, accounts: int) -> tuple[pd.DataFrame, np.ndarray]:
    ids = np.arange(1, n + 1)
    depth = np.zeros(n, dtype=np.int64)
    alive = np.ones(n, dtype=bool)
    for k, rate in enumerate(ONWARD, start=1):
        alive &= rng.random(n) < rate
        depth[alive] = k
    campaign = rng.choice(["spring", "autumn", "webinar", ""], n)
    account = rng.integers(1, accounts + 1, n)
    return (
        pd.DataFrame(
            {
                "id": ids,
                "email": [f"p{i}@c{a}.example" for i, a in zip(ids, account, strict=True)],
                "account_id": account,
                "lead_tool": rng.choice(TOOLS, n),
                "channel": rng.choice(CHANNELS, n),
                "direction": rng.choice(["inbound", "outbound"], n, p=[0.7, 0.3]),
                "sourced_by": rng.choice(["marketing", "sales"], n, p=[0.7, 0.3]),
                "owner": np.where(depth >= 3, rng.choice(OWNERS, n), None),
                "traits": [json.dumps({"campaign": c}) if c else "{}" for c in campaign],
                "created_ts": START + rng.uniform(0, SPAN, n),
                "updated_ts": START + SPAN,
                "role": "other",
                "seniority": "unknown",
                "consent": "unknown",
            }
        ),
        depth,
    )


def _history(rng: np.random.Generator, persons: pd.DataFrame, depth: np.ndarray) -> pd.DataFrame:
    """One row per stage each person entered, each a few days after the one before."""
    frames, ts = [], persons["created_ts"].to_numpy().copy()
    previous = np.full(len(persons), None, dtype=object)
    for k, stage in enumerate(STAGES, start=1):
        reached = depth >= k
        ts = ts + rng.exponential(6 * DAY, len(ts))
        frames.append(
            pd.DataFrame(
                {
                    "person_id": persons["id"].to_numpy()[reached],
                    "from_stage": previous[reached],
                    "to_stage": stage,
                    "occurred_ts": ts[reached],
                    "actor": "bench",
                }
            )
        )
        previous = np.full(len(persons), stage, dtype=object)
    return pd.concat(frames, ignore_index=True)


def _recycled(rng: np.random.Generator, history: pd.DataFrame, depth: np.ndarray) -> pd.DataFrame:
    """A fifth of the MQLs that went no further are recycled some days later."""
    stuck = history[(history["to_stage"] == "mql") & (depth[history["person_id"] - 1] == 2)]
    chosen = stuck[rng.random(len(stuck)) < 0.2]
    return pd.DataFrame(
        {
            "person_id": chosen["person_id"].to_numpy(),
            "from_stage": "mql",
            "to_stage": "recycled",
            "occurred_ts": chosen["occurred_ts"].to_numpy() + rng.exponential(20 * DAY, len(chosen)),
            "actor": "bench",
        }
    )


def _deals(rng: np.random.Generator, history: pd.DataFrame, persons: pd.DataFrame) -> pd.DataFrame:
    """A deal per opportunity: won when the person became a customer, else lost or (a third) open."""
    opened = history[history["to_stage"] == "opportunity"].set_index("person_id")["occurred_ts"]
    won = history[history["to_stage"] == "customer"].set_index("person_id")["occurred_ts"]
    n = len(opened)
    close = won.reindex(opened.index).to_numpy()
    lost = np.isnan(close) & (rng.random(n) < 0.67)
    close = np.where(lost, opened.to_numpy() + rng.exponential(30 * DAY, n), close)
    stage = np.where(~np.isnan(won.reindex(opened.index).to_numpy()), "won", np.where(lost, "lost", "open"))
    account = persons.set_index("id")["account_id"].reindex(opened.index).to_numpy()
    return pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "external_id": [f"deal-{i}" for i in range(1, n + 1)],
            "account_id": account,
            "person_id": opened.index.to_numpy(),
            "name": "Deal",
            "stage": stage,
            "amount": np.round(rng.lognormal(9.5, 0.6, n), 2),
            "currency": "EUR",
            "created_ts": opened.to_numpy(),
            "closed_ts": close,
            "lost_reason": np.where(stage == "lost", "price", None),
            "owner": rng.choice(OWNERS, n),
        }
    )


def _touches(rng: np.random.Generator, history: pd.DataFrame) -> pd.DataFrame:
    """Sales touch 70 % of MQLs some hours to days after the hand-over (a call), and each SAL twice more (a
    call, then a meeting)."""
    mqls = history[history["to_stage"] == "mql"]
    first = mqls[rng.random(len(mqls)) < 0.7]
    sals = history[history["to_stage"] == "sal"]
    person = np.concatenate([first["person_id"], sals["person_id"], sals["person_id"]])
    ts = np.concatenate(
        [
            first["occurred_ts"] + rng.exponential(2 * DAY, len(first)),
            sals["occurred_ts"] + rng.exponential(3 * DAY, len(sals)),
            sals["occurred_ts"] + rng.exponential(9 * DAY, len(sals)),
        ]
    )
    return pd.DataFrame(
        {
            "id": np.arange(1, len(person) + 1),
            "person_id": person,
            "kind": np.repeat(["call", "call", "meeting"], [len(first), len(sals), len(sals)]),
            "occurred_ts": ts,
            "actor": rng.choice(OWNERS, len(person)),
            "source": "api",
            "created_ts": ts,
        }
    )


def _scores(rng: np.random.Generator, persons: pd.DataFrame) -> pd.DataFrame:
    """One batch run half-way through: the score leans on how far the person later gets."""
    n = len(persons)
    score = np.round(rng.normal(35, 20, n), 2)
    grade = np.select([score >= 70, score >= 45, score >= 20], ["A", "B", "C"], "D")
    as_of = START + SPAN / 2
    return pd.DataFrame(
        {
            "person_id": persons["id"],
            "model": "bench",
            "as_of_ts": as_of,
            "model_version": "bench@v1",
            "fit": 0.0,
            "grade": grade,
            "engagement": 0.0,
            "score": score,
            "mql": False,
            "pql": False,
            "hand_raiser": False,
            "signals": "[]",
            "scored_ts": as_of,
        }
    )


def _clocks(rng: np.random.Generator, history: pd.DataFrame, touches: pd.DataFrame) -> pd.DataFrame:
    """An SLA clock per hand-over (one day to the first touch): met when touched in time, else breached."""
    mqls = history[history["to_stage"] == "mql"]
    first = touches.groupby("person_id")["occurred_ts"].min()
    started = mqls["occurred_ts"].to_numpy()
    touched = first.reindex(mqls["person_id"]).to_numpy()
    touched = np.where(touched >= started, touched, np.nan)
    due = started + DAY
    met = touched < due
    n = len(mqls)
    return pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "person_id": mqls["person_id"].to_numpy(),
            "policy": "bench",
            "sla_version": 1,
            "owner": rng.choice(OWNERS, n),
            "started_ts": started,
            "due_ts": due,
            "first_touch_ts": touched,
            "breached_ts": np.where(met, np.nan, due),
            "escalation_step": 0,
            "status": np.where(met, "met", "breached"),
        }
    )
