"""A small hand-counted history for the weekly review and the playbooks (weeks 2026-W47 and W48, UTC).

| who | first known          | lead_tool    | channel        | stage changes and meeting touches (UTC)    |
|-----|----------------------|--------------|----------------|--------------------------------------------|
| A   | created W47 Tue      | download     | organic_search | lead→mql W47 Wed, mql→sal W48 Mon,         |
|     |                      |              |                | sal→sql W48 Tue; meeting W48 Tue           |
| B   | created W48 Mon      | contact_form | paid_search    | subscriber→sal W48 Wed; meeting W48 Thu    |
| C   | history W47 Mon      | event        | direct         | →lead W47 Mon, lead→mql W47 Thu,           |
|     | (created W49)        |              |                | mql→recycled W47 Fri, recycled→mql W48 Fri |
| D   | merged into A        | download     | organic_search | lead→mql W48 Tue (never counted)           |
| E   | created W46          |              | linkedin_ads   | meeting W47 Wed                            |

By hand: W47 leads 2 (A, C), MQLs 2 (A, C), SALs 0, meetings 1 (E). W48 leads 1 (B), MQLs 2 (B skipping
past MQL, C again), SALs 2 (A, B), meetings 2 (A by SQL and touch, counted once; B). W49 nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from liidi.services.unit_of_work import UnitOfWork

NewUow = Callable[[], UnitOfWork]
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC).timestamp()  # Wednesday of 2026-W49


def at(day: int, month: int = 11, hour: int = 10) -> float:
    """A moment in 2026 (UTC)."""
    return datetime(2026, month, day, hour, 0, tzinfo=UTC).timestamp()


FIELDS = ("created", "lead_tool", "channel", "sourced_by")
PEOPLE = {
    "a": dict(zip(FIELDS, (at(17), "download", "organic_search", "marketing"), strict=True)),
    "b": dict(zip(FIELDS, (at(23), "contact_form", "paid_search", "marketing"), strict=True)),
    "c": dict(zip(FIELDS, (at(1, 12), "event", "direct", "sales"), strict=True)),
    "d": dict(zip(FIELDS, (at(24), "download", "organic_search", "marketing"), strict=True)),
    "e": dict(zip(FIELDS, (at(12), None, "linkedin_ads", "sales"), strict=True)),
}
CHANGES = [
    ("a", "lead", "mql", at(18)),
    ("a", "mql", "sal", at(23)),
    ("a", "sal", "sql", at(24)),
    ("b", "subscriber", "sal", at(25)),
    ("c", None, "lead", at(16)),
    ("c", "lead", "mql", at(19)),
    ("c", "mql", "recycled", at(20)),
    ("c", "recycled", "mql", at(27)),
    ("d", "lead", "mql", at(24)),
]
MEETINGS = [("a", at(24, hour=14)), ("b", at(26)), ("e", at(18))]


def seed_weeks(new_uow: NewUow) -> dict[str, int]:
    """Store the five people, their stage changes and meeting touches; their ids by letter."""
    with new_uow() as uow:
        ids: dict[str, int] = {}
        for letter, p in PEOPLE.items():
            row = {k: v for k, v in p.items() if k != "created"}
            row |= {"email": f"{letter}@firma.fi", "lifecycle_stage": "lead"}
            ids[letter] = uow.people.add_many([row], p["created"])[0]
        uow.people.update(ids["d"], {"merged_into_id": ids["a"]}, NOW)
        uow.lifecycle.record_many(
            [
                {"person_id": ids[w], "from_stage": f, "to_stage": t, "occurred_ts": ts, "actor": "test"}
                for w, f, t, ts in CHANGES
            ]
        )
        for who, ts in MEETINGS:
            touch = {"person_id": ids[who], "kind": "meeting", "occurred_ts": ts, "source": "rep"}
            uow.touches.add(touch | {"created_ts": ts})
        uow.commit()
    return ids
