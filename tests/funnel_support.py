"""A small store whose funnel, velocity and calibration figures are worked out by hand in the tests.

Five people (days after T0 = 2026-01-01 UTC):
  p1 download/marketing, 30 staff software, owner ana: lead 0, mql 1, sal 2, sql 4, opp 10, customer 40;
     touched at 1.5; campaign spring
  p2 download/marketing, software: lead 5, mql 6, recycled 9; never touched
  p3 event/sales, 500 staff retail: sal 20, sql 22, opportunity 30; campaign fair
  p4 newsletter/marketing, no account, arrived 35: no history
  p5 contact_form, no source, retail: arrived 40, mql 41, touched at 43
Deals: D1 p1 won 1000 (10→40, ana); D2 p3 open 500 (30); D3 retail lost 2000 (12→20, bo);
       D4 software won 3000 (15→19, bo).
Batch scores of model m: as of day 3, p1 10 (D); as of day 21, p1 85 (A), p2 45 (B), p3 15 (C), p5 50 (B).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, insert

from liidi.storage.tables import (
    accounts,
    batch_scores,
    lifecycle_history,
    opportunities,
    people,
    touches,
)

T0 = 1_767_225_600.0  # 2026-01-01T00:00:00Z
DAY = 86_400.0


def day(n: float) -> float:
    """Epoch seconds n days after T0."""
    return T0 + n * DAY


def _person(
    pid: int, tool: str, source: str | None, account: int | None, created: float, **more: Any
) -> dict:
    return {
        "id": pid,
        "email": f"p{pid}@example.com",
        "lead_tool": tool,
        "sourced_by": source,
        "account_id": account,
        "lifecycle_stage": more.pop("stage", "subscriber"),
        "owner": more.pop("owner", None),
        "traits": more.pop("traits", {}),
        "created_ts": day(created),
        "updated_ts": day(created),
    }


PEOPLE = [
    _person(1, "download", "marketing", 1, 0, stage="customer", owner="ana", traits={"campaign": "spring"}),
    _person(2, "download", "marketing", 1, 5, stage="recycled"),
    _person(3, "event", "sales", 2, 20, stage="opportunity", traits={"campaign": "fair"}),
    _person(4, "newsletter", "marketing", None, 35),
    _person(5, "contact_form", None, 2, 40, stage="mql"),
]
HISTORY = [
    (1, None, "lead", 0),
    (1, "lead", "mql", 1),
    (1, "mql", "sal", 2),
    (1, "sal", "sql", 4),
    (1, "sql", "opportunity", 10),
    (1, "opportunity", "customer", 40),
    (2, None, "lead", 5),
    (2, "lead", "mql", 6),
    (2, "mql", "recycled", 9),
    (3, None, "sal", 20),
    (3, "sal", "sql", 22),
    (3, "sql", "opportunity", 30),
    (5, None, "mql", 41),
]
DEALS = [
    ("D1", 1, 1, "won", 1000.0, 10, 40, "ana"),
    ("D2", 3, 2, "open", 500.0, 30, None, "ana"),
    ("D3", None, 2, "lost", 2000.0, 12, 20, "bo"),
    ("D4", None, 1, "won", 3000.0, 15, 19, "bo"),
]
SCORES = [(3, 1, 10.0, "D"), (21, 1, 85.0, "A"), (21, 2, 45.0, "B"), (21, 3, 15.0, "C"), (21, 5, 50.0, "B")]


def load(engine: Engine) -> None:
    """Insert the store above."""
    with engine.begin() as conn:
        conn.execute(
            insert(accounts),
            [
                _account(1, "soft.example", "software", 30),
                _account(2, "shop.example", "retail", 500),
            ],
        )
        conn.execute(insert(people), PEOPLE)
        conn.execute(
            insert(lifecycle_history),
            [
                {"person_id": p, "from_stage": f, "to_stage": t, "occurred_ts": day(d), "actor": "test"}
                for p, f, t, d in HISTORY
            ],
        )
        conn.execute(insert(opportunities), [_deal(*d) for d in DEALS])
        conn.execute(
            insert(touches),
            [
                {"person_id": p, "kind": "call", "occurred_ts": day(d), "source": "api", "created_ts": day(d)}
                for p, d in ((1, 1.5), (5, 43))
            ],
        )
        conn.execute(insert(batch_scores), [_score(*s) for s in SCORES])


def _account(aid: int, domain: str, industry: str, employees: int) -> dict[str, Any]:
    return {
        "id": aid,
        "domain": domain,
        "name": domain,
        "industry": industry,
        "employees": employees,
        "traits": {},
        "created_ts": T0,
        "updated_ts": T0,
    }


def _deal(
    key: str,
    pid: int | None,
    aid: int,
    stage: str,
    amount: float,
    made: float,
    shut: float | None,
    owner: str,
) -> dict[str, Any]:
    return {
        "external_id": key,
        "person_id": pid,
        "account_id": aid,
        "name": key,
        "stage": stage,
        "amount": amount,
        "created_ts": day(made),
        "closed_ts": None if shut is None else day(shut),
        "owner": owner,
    }


def _score(at: float, pid: int, score: float, grade: str) -> dict[str, Any]:
    return {
        "person_id": pid,
        "model": "m",
        "as_of_ts": day(at),
        "model_version": "m@v1",
        "fit": 0.0,
        "grade": grade,
        "engagement": 0.0,
        "score": score,
        "mql": False,
        "pql": False,
        "hand_raiser": False,
        "signals": [],
        "scored_ts": day(at),
    }
