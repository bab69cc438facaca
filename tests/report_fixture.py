"""A small market with hand-computed report figures (tests of the waste, targets and value reports).

T starts the period; every row is written straight into the store, so each figure can be counted by hand.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, insert, text

from liidi.storage.tables import (
    accounts,
    events,
    lifecycle_history,
    merges,
    opportunities,
    people,
    sla_clocks,
    touches,
)

T = 1_793_491_200.0  # 2026-10-31 00:00 UTC
DAY = 86400.0
ICP = """\
icp: nordic software
industries: [software]
countries: [FI]
sizes: ["50-249"]
window_days: 90
roles:
  - {name: decision_maker, seniority: [c_level, vp]}
  - {name: champion, role: influencer}
  - {name: technical, title: [engineer, it]}
  - {name: finance, title: [finance, cfo]}
"""

ACCOUNTS = [
    (1, "acme.fi", "most_wanted", "software", "FI", 120),
    (2, "beta.se", "tier_2", "retail", "SE", 20),
    (3, "gamma.fi", "none", "software", "FI", 500),
]
PEOPLE = [
    (1, 1, "decision_maker", "c_level", "CEO", "webinar", None),
    (2, 1, "influencer", "director", "Head of IT", "webinar", None),
    (3, 1, "user", "individual", "Engineer", None, None),
    (4, 2, "decision_maker", "vp", "VP Finance", "ads", None),
    (5, 3, "decision_maker", "c_level", "CEO", None, "marketing"),
    (6, 3, "other", "unknown", None, None, None),
]
HISTORY = [  # person, from, to, time, reason, model
    (1, None, "lead", T - 10 * DAY, None, None),
    (1, "lead", "mql", T + DAY, None, None),
    (1, "mql", "sal", T + 2 * DAY, None, None),
    (1, "sal", "opportunity", T + 5 * DAY, None, None),
    (2, None, "mql", T + DAY, None, "core@v1"),
    (3, None, "mql", T + 2 * DAY, None, None),
    (3, "mql", "recycled", T + 3 * DAY, None, None),
    (3, "recycled", "mql", T + 4 * DAY, None, None),
    (3, "mql", "recycled", T + 6 * DAY, "timing", None),
    (4, None, "mql", T + 3 * DAY, None, None),
    (4, "mql", "disqualified", T + 4 * DAY, "not_a_fit", None),
    (5, None, "mql", T - 5 * DAY, None, None),
    (5, "mql", "sal", T - 4 * DAY, None, None),
]
DEALS = [  # id, person, account, amount, stage, created, closed, lost reason
    (1, 1, 1, 10000.0, "open", T + 5 * DAY, None, None),
    (2, 4, 2, 5000.0, "lost", T + 4 * DAY, T + 10 * DAY, None),
    (3, 5, 3, 20000.0, "won", T + DAY, T + 20 * DAY, None),
    (4, 5, 3, 3000.0, "lost", T + 2 * DAY, T + 21 * DAY, "price"),
]
CLOCKS = [  # person, started, due, first touch, status, breached, closed
    (1, T + DAY, T + DAY + 3600, T + DAY + 600, "met", None, None),
    (2, T + DAY, T + DAY + 3600, None, "breached", T + DAY + 3600, None),
    (4, T + 3 * DAY, T + 3 * DAY + 3600, T + 3.5 * DAY, "met", None, None),
    (3, T + 2 * DAY, T + 2 * DAY + 3600, None, "closed", None, T + 2 * DAY + 100),
]
TOUCHES = [(1, "call", T + DAY + 600), (4, "call", T + 3.5 * DAY), (1, "meeting", T + 6 * DAY)]
EVENTS = [  # person, account, type, time
    (1, 1, "page_view", T + 0.5 * DAY),
    (2, 1, "download", T + DAY),
    (3, 1, "email_bounce", T + 2 * DAY),
    (5, 3, "form_submit", T + DAY - 1),
    (5, 3, "page_view", T - 100 * DAY),
]


def build(engine: Engine, *, with_merge: bool = True) -> None:
    """Write the market above."""
    base: dict[str, Any] = {"traits": {}, "created_ts": T - 200 * DAY, "updated_ts": T - 200 * DAY}
    with engine.begin() as conn:
        conn.execute(
            insert(accounts),
            [
                {
                    "id": i,
                    "domain": d,
                    "name": d,
                    "tier": t,
                    "industry": ind,
                    "country": c,
                    "employees": n,
                    **base,
                }
                for i, d, t, ind, c, n in ACCOUNTS
            ],
        )
        conn.execute(
            insert(people),
            [
                {
                    "id": i,
                    "email": f"p{i}@{ACCOUNTS[a - 1][1]}",
                    "account_id": a,
                    "role": r,
                    "seniority": s,
                    "title": title,
                    "channel": ch,
                    "sourced_by": by,
                    "merged_into_id": 5 if i == 6 and with_merge else None,
                    **base,
                }
                for i, a, r, s, title, ch, by in PEOPLE
            ],
        )
        conn.execute(
            insert(lifecycle_history),
            [
                {
                    "person_id": p,
                    "from_stage": f,
                    "to_stage": to,
                    "occurred_ts": ts,
                    "actor": "test",
                    "reason": r,
                    "model_version": m,
                }
                for p, f, to, ts, r, m in HISTORY
            ],
        )
        conn.execute(
            insert(opportunities),
            [
                {
                    "id": i,
                    "person_id": p,
                    "account_id": a,
                    "name": f"deal {i}",
                    "amount": v,
                    "stage": s,
                    "created_ts": c,
                    "closed_ts": cl,
                    "lost_reason": lr,
                }
                for i, p, a, v, s, c, cl, lr in DEALS
            ],
        )
        conn.execute(
            insert(sla_clocks),
            [
                {
                    "person_id": p,
                    "policy": "p",
                    "sla_version": 1,
                    "owner": "rep@firma.fi",
                    "started_ts": s,
                    "due_ts": d,
                    "first_touch_ts": ft,
                    "status": st,
                    "breached_ts": b,
                    "closed_ts": cl,
                    "escalation_step": 0,
                }
                for p, s, d, ft, st, b, cl in CLOCKS
            ],
        )
        conn.execute(
            insert(touches),
            [
                {"person_id": p, "kind": k, "occurred_ts": ts, "source": "crm", "created_ts": ts}
                for p, k, ts in TOUCHES
            ],
        )
        conn.execute(
            insert(events),
            [
                {
                    "event_id": f"e{i}",
                    "person_id": p,
                    "account_id": a,
                    "type": ty,
                    "occurred_ts": ts,
                    "received_ts": ts,
                    "properties": {},
                }
                for i, (p, a, ty, ts) in enumerate(EVENTS)
            ],
        )
        if conn.dialect.name == "postgresql":
            for table in ("accounts", "people", "opportunities"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 100)"))
        if with_merge:
            conn.execute(
                insert(merges),
                [
                    {
                        "survivor_id": 5,
                        "merged_id": 6,
                        "occurred_ts": T + 7 * DAY,
                        "actor": "test",
                        "moved_events": 4,
                        "snapshot": {},
                    }
                ],
            )
