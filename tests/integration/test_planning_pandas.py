"""The planner's measures on generated history agree with an independent pandas computation."""

from __future__ import annotations

import random
from typing import Any

import pandas as pd
import pytest

from liidi.services import planning
from liidi.services.history import import_deals, import_history
from liidi.services.people import identify
from tests.builders import NOW
from tests.planning_support import NewUow

DAY = 86_400.0
START = 1_735_689_600.0  # 2025-01-01
SINCE, UNTIL = START + 60 * DAY, START + 330 * DAY
CONTACT, MEETING = {"lead", "mql"}, {"sal", "sql"}
BEYOND, PROPOSAL = MEETING | {"opportunity", "customer"}, {"opportunity", "customer"}


def generate(seed: int, people: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Random journeys: dated stage changes (some skipping stages) and deals with or without a person."""
    rng = random.Random(seed)
    changes: list[dict[str, Any]] = []
    deals: list[dict[str, Any]] = []
    for i in range(people):
        email, ts = f"p{i}@firma.fi", START + rng.randrange(0, 360 * 86_400)
        for stage in ("lead", "mql", "sal", "sql", "opportunity", "customer"):
            if stage != "lead" and rng.random() < 0.35:
                break
            if rng.random() < 0.85 or stage == "lead":
                changes.append({"email": email, "to": stage, "occurred_at": ts})
            if stage == "sql" and rng.random() < 0.5:
                deals.append(_deal(rng, f"d{i}", ts + rng.randrange(0, 20 * 86_400), email))
            ts += rng.randrange(3_600, 40 * 86_400)
    for j in range(people // 3):
        deals.append(_deal(rng, f"x{j}", START + rng.randrange(0, 360 * 86_400), None))
    return changes, deals


def _deal(rng: random.Random, key: str, created: float, email: str | None) -> dict[str, Any]:
    stage = rng.choice(["won", "won", "lost", "open"])
    closed = None if stage == "open" else created + rng.randrange(86_400, 90 * 86_400)
    amount = rng.choice([None, *range(1_000, 60_000, 500)]) if stage == "won" else None
    deal = {"external_id": key, "stage": stage, "created_at": created, "closed_at": closed, "amount": amount}
    return deal | ({"email": email} if email else {})


def expected(changes: list[dict[str, Any]], deals: list[dict[str, Any]]) -> dict[str, Any]:
    """The same measures computed with pandas from the generated records, not from the store."""
    h = pd.DataFrame(changes).rename(columns={"email": "who", "occurred_at": "ts"})
    d = pd.DataFrame(deals)
    in_window = h["ts"].between(SINCE, UNTIL, inclusive="left")

    def step(cohort: pd.Series, later: pd.DataFrame) -> tuple[int, int, float | None]:
        joined = later.merge(cohort.rename("t0").reset_index(), on="who")
        joined = joined[joined["ts"] >= joined["t0"]]
        firsts = joined.groupby("who").agg(ts=("ts", "min"), t0=("t0", "first"))
        lags = (firsts["ts"] - firsts["t0"]) / DAY
        return len(cohort), len(firsts), None if lags.empty else float(lags.median())

    contacts = h[in_window & h["to"].isin(CONTACT)].groupby("who")["ts"].min()
    meetings = h[in_window & h["to"].isin(MEETING)].groupby("who")["ts"].min()
    proposal_deals = d.dropna(subset=["email"]).rename(columns={"email": "who", "created_at": "ts"})
    proposals = pd.concat([proposal_deals[["who", "ts"]], h[h["to"].isin(PROPOSAL)][["who", "ts"]]])
    opened = d[d["created_at"].between(SINCE, UNTIL, inclusive="left")]
    won = opened[opened["stage"] == "won"]
    priced = won.dropna(subset=["amount"])
    return {
        "contact_to_meeting": step(contacts, h[h["to"].isin(BEYOND)][["who", "ts"]]),
        "meeting_to_proposal": step(meetings, proposals),
        "win_rate": (int(opened["stage"].isin(["won", "lost"]).sum()), len(won)),
        "won_lag": float(((won["closed_at"] - won["created_at"]) / DAY).median()),
        "deal_size": round(float(priced["amount"].sum()) / len(priced), 2),
    }


@pytest.mark.parametrize("seed", [7, 2026])
def test_measured_rates_lags_and_deal_size_match_pandas(new_uow: NewUow, seed: int) -> None:
    changes, deals = generate(seed, people=240)
    for email in sorted({c["email"] for c in changes}):
        identify(new_uow(), email=email, now=NOW)
    import_history(new_uow(), records=changes, now=NOW)
    import_deals(new_uow(), records=deals, now=NOW)
    want = expected(changes, deals)
    plan = planning.make_plan(new_uow(), revenue=100000, since=SINCE, until=UNTIL, now=NOW).plan
    lags = plan.lags
    assert lags is not None
    for name, lag in (
        ("contact_to_meeting", lags.contact_to_meeting),
        ("meeting_to_proposal", lags.meeting_to_proposal),
    ):
        trials, successes, median = want[name]
        rate = plan.rates[name]
        assert (rate.trials, rate.successes) == (trials, successes), name
        assert lag is not None and lag == pytest.approx(median), name
    win = plan.rates["win_rate"]
    assert (win.trials, win.successes) == want["win_rate"]
    assert lags.proposal_to_deal == pytest.approx(want["won_lag"])
    assert float(plan.deal_size.value) == want["deal_size"]
