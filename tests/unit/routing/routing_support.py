"""Builders for the routing tests: a plan from YAML, a lead at an account, a moment on a given day."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from typing import Any

from liidi.domain.accounts import Account, Tier
from liidi.domain.people import Person
from liidi.domain.routing import Lead, RoutingPlan, load_routing_text

MONDAY = datetime(2026, 11, 2, 10, 0, tzinfo=UTC).timestamp()  # Monday 2 November 2026, 12:00 in Helsinki
DAY = 86400.0

TEAMS = """
routing: test
timezone: Europe/Helsinki
fallback: queue@firma.fi
teams:
  - {name: nordics, lead: anna@firma.fi}
  - {name: rest}
reps:
  - {email: anna@firma.fi, team: nordics, weight: 2, capacity: 3}
  - {email: bert@firma.fi, team: nordics, weight: 1, capacity: 3}
  - {email: cecilia@firma.fi, team: nordics, weight: 1, capacity: 3}
  - {email: dora@firma.fi, team: rest}
rules:
  - name: Nordic countries
    when: {account.country: [FI, SE, NO, DK]}
    team: nordics
  - {name: everyone else, team: rest}
"""


def plan(text: str = TEAMS, **top: Any) -> RoutingPlan:
    """A plan from YAML (indented freely); top-level keys given as keywords are added or replaced."""
    source = textwrap.dedent(text)
    extra = "".join(f"{key}: {value}\n" for key, value in top.items())
    return load_routing_text(extra + source if extra else source, "test.yaml")


def account(**overrides: Any) -> Account:
    """A Finnish mid-size company, acme.fi, without an owner unless told otherwise."""
    values: dict[str, Any] = {"id": 7, "domain": "acme.fi", "name": "Acme", "country": "FI", "employees": 300}
    if "tier" in overrides:
        overrides["tier"] = Tier(overrides["tier"])
    return Account(**(values | overrides))


def lead(
    acc: Account | None = None, *, owner: str | None = None, qualified_by: str = "mql", pid: int = 1
) -> Lead:
    """A person at the account (default acme.fi) who just qualified."""
    chosen = acc if acc is not None else account()
    person = Person(id=pid, emails=(f"p{pid}@acme.fi",), account_id=chosen.id, owner=owner)
    return Lead(person, chosen, qualified_by)
