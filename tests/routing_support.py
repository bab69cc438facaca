"""Shared set-up for routing tests on a real database: a hand-raiser model, a routing document, accounts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from liidi.services import ingest, routing
from liidi.services.accounts import upsert_accounts
from liidi.services.people import identify
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import NOW, event, publish

NewUow = Callable[[], UnitOfWork]

MODEL = """
model: handover
grades: {A: 10, B: 5}
fit:
  - {name: finnish company, when: {account.country: FI}, points: 10}
engagement:
  - {name: page view, when: page_view, points: 1}
hand_raisers: [demo_request]
"""

ROUTING = """
routing: test
timezone: UTC
fallback: queue@firma.fi
teams:
  - {name: nordics, lead: anna@firma.fi}
  - {name: rest}
reps:
  - {email: anna@firma.fi, team: nordics, capacity: 2}
  - {email: bert@firma.fi, team: nordics, capacity: 2}
  - {email: dora@firma.fi, team: rest}
rules:
  - {name: Nordic countries, when: {account.country: [FI, SE]}, team: nordics}
  - {name: everyone else, team: rest}
motions:
  - {name: target accounts, when: {account.tier: most_wanted}, motion: high_touch}
  - {name: everyone, motion: low_touch}
"""


def set_up(
    new_uow: NewUow, *, routing_text: str | None = ROUTING, accounts: list[dict[str, Any]] | None = None
) -> None:
    """Publish the hand-raiser model, load the routing (unless None) and store the accounts."""
    publish(new_uow, MODEL)
    if routing_text is not None:
        routing.load_routing(new_uow(), text=routing_text, source_name="test.yaml", author="test", now=NOW)
    if accounts:
        upsert_accounts(new_uow(), records=list(accounts), now=NOW)


def raise_hand(new_uow: NewUow, email: str, *, ts: float = NOW - 3600, **traits: Any) -> int:
    """A demo request from this address (a new person if unknown); the person's id."""
    if traits:
        identify(new_uow(), email=email, traits=traits, now=NOW)
    ingest.track_events(new_uow(), events=[event("demo_request", email=email, ts=ts)], now=max(NOW, ts + 60))
    with new_uow() as uow:
        found = uow.identities.person_for("email", email)
    assert found is not None
    return found
