"""A small dated history whose funnel rates, deal size and stage lags are worked out by hand.

Ten people become leads on 2026-02-01. Four reach a meeting after 2, 4, 6 and 10 days (c3 reaches sql
later as well; only the first meeting counts): contact → meeting 4/10, median lag (4 + 6) / 2 = 5 days.
Of those four, c1 gets a deal 10 days after its meeting and c2 moves to opportunity 20 days after:
meeting → proposal 2/4, median lag 15 days. Deals opened in the window: d1 won (30,000 after 30 days),
d2 lost, d3 won (10,000 after 20 days, no person), d4 open: win rate 2/3, median lag 25 days, average
won deal 20,000.
"""

from __future__ import annotations

from collections.abc import Callable

from liidi.services.history import import_deals, import_history
from liidi.services.people import identify
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import NOW

NewUow = Callable[[], UnitOfWork]
CONTACTS = [f"c{i}@firma.fi" for i in range(1, 11)]
MEETINGS = [
    ("c1@firma.fi", "sal", "2026-02-03T09:00:00Z"),
    ("c2@firma.fi", "sal", "2026-02-05T09:00:00Z"),
    ("c3@firma.fi", "sal", "2026-02-07T09:00:00Z"),
    ("c3@firma.fi", "sql", "2026-02-09T09:00:00Z"),
    ("c4@firma.fi", "sql", "2026-02-11T09:00:00Z"),
    ("c2@firma.fi", "opportunity", "2026-02-25T09:00:00Z"),
]
DEALS = [
    {
        "external_id": "d1",
        "email": "c1@firma.fi",
        "stage": "won",
        "amount": "30000",
        "created_at": "2026-02-13T09:00:00Z",
        "closed_at": "2026-03-15T09:00:00Z",
    },
    {
        "external_id": "d2",
        "email": "c2@firma.fi",
        "stage": "lost",
        "amount": "25000",
        "created_at": "2026-02-25T09:00:00Z",
        "closed_at": "2026-03-10T09:00:00Z",
    },
    {
        "external_id": "d3",
        "stage": "won",
        "amount": "10000",
        "created_at": "2026-03-01T09:00:00Z",
        "closed_at": "2026-03-21T09:00:00Z",
    },
    {"external_id": "d4", "stage": "open", "amount": "50000", "created_at": "2026-03-05T09:00:00Z"},
]


def load_history(new_uow: NewUow) -> None:
    """The people, their dated stage changes and the four deals."""
    for email in CONTACTS:
        identify(new_uow(), email=email, now=NOW)
    records = [{"email": e, "to": "lead", "occurred_at": "2026-02-01T09:00:00Z"} for e in CONTACTS]
    records += [{"email": e, "to": to, "occurred_at": at} for e, to, at in MEETINGS]
    import_history(new_uow(), records=records, now=NOW)
    import_deals(new_uow(), records=DEALS, now=NOW)
