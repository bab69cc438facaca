"""Loading a generated demo market into the store, through the same code paths as real data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from liidi.domain.intake import parse_events, parse_person_fields
from liidi.services.accounts import check_accounts, upsert_account_in
from liidi.services.clock import resolve_now
from liidi.services.documents import active_document_in
from liidi.services.identity import stitch_anonymous
from liidi.services.ingest import store_events_in
from liidi.services.people import upsert_person_in
from liidi.services.scoring import published_models
from liidi.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from liidi.demo.generator import DemoDataset

CHUNK = 1000
Progress = Callable[[str, int], None]


@dataclass(frozen=True, slots=True)
class DemoLoadResult:
    """Counts of what the demo load added; rows already stored (a second load) are not counted."""

    accounts: int
    people: int
    events: int
    identifies: int
    opportunities: int
    transitions: int


@dataclass(frozen=True, slots=True)
class DemoState:
    """What a store already holds that `liidi demo start` must keep: data, published models, admin keys."""

    people: int
    published: tuple[str, ...]
    admin_keys: tuple[str, ...]
    routing: str | None = None


def demo_state(uow: UnitOfWork) -> DemoState:
    """How many people, which models are published, the active admin keys and the routing in force."""
    with uow:
        people = uow.people.count()
        published = tuple(pub.label for pub in published_models(uow))
        admins = tuple(
            str(row["prefix"])
            for row in uow.keys.list()
            if row["scope"] == "admin" and row.get("revoked_ts") is None
        )
        routing = active_document_in(uow, "routing")
    return DemoState(people, published, admins, routing.label if routing else None)


def _quiet(_phase: str, _advance: int) -> None:
    return None


def load_demo(
    uow: UnitOfWork, *, dataset: DemoDataset, now: float | None = None, progress: Progress = _quiet
) -> DemoLoadResult:
    """Store a generated data set in one transaction: accounts, people, events, stitching, deals, history."""
    ts = resolve_now(now)
    with uow:
        accounts = _accounts(uow, dataset, ts, progress)
        emails, people = _people(uow, dataset, progress)
        stored = _events(uow, dataset, ts, progress)
        identifies = _identifies(uow, dataset, emails)
        deals = _opportunities(uow, dataset, emails)
        transitions = _transitions(uow, dataset, emails)
        uow.commit()
    return DemoLoadResult(accounts, people, stored, identifies, deals, transitions)


def _identifies(uow: UnitOfWork, ds: DemoDataset, emails: dict[str, int]) -> int:
    new = 0
    for ident in ds.identifies:
        new += uow.identities.person_for("anonymous", ident.anonymous_id) != emails[ident.email]
        stitch_anonymous(uow, ident.anonymous_id, emails[ident.email], ident.occurred_ts)
    return new


def _accounts(uow: UnitOfWork, ds: DemoDataset, now: float, progress: Progress) -> int:
    records = [
        {
            "domain": a.domain,
            "name": a.name,
            "industry": a.industry,
            "country": a.country,
            "employees": a.employees,
            "revenue_band": a.revenue_band,
            "tier": a.tier,
            "owner": a.owner,
        }
        for a in ds.accounts
    ]
    new = sum(upsert_account_in(uow, values, now).created for values in check_accounts(records))
    progress("accounts", len(records))
    return new


def _people(uow: UnitOfWork, ds: DemoDataset, progress: Progress) -> tuple[dict[str, int], int]:
    emails: dict[str, int] = {}
    new = 0
    for p in ds.people:
        raw: dict[str, Any] = {
            "first_name": p.first_name,
            "last_name": p.last_name,
            "title": p.title,
            "consent": p.consent,
            "lead_tool": p.lead_tool,
            "channel": p.channel,
            "direction": p.direction,
            "sourced_by": p.sourced_by,
            "account_domain": p.account_domain,
        }
        fields = parse_person_fields({k: v for k, v in raw.items() if v is not None})
        done = upsert_person_in(uow, p.email, fields, p.created_ts)
        emails[p.email] = done.person_id
        new += done.created
    progress("people", len(ds.people))
    return emails, new


def _events(uow: UnitOfWork, ds: DemoDataset, now: float, progress: Progress) -> int:
    stored = 0
    for start in range(0, len(ds.events), CHUNK):
        chunk = ds.events[start : start + CHUNK]
        raw = [
            {
                "id": e.event_id,
                "type": e.type,
                "occurred_at": e.occurred_ts,
                "email": e.email,
                "anonymous_id": e.anonymous_id,
                "properties": dict(e.properties),
            }
            for e in chunk
        ]
        commands = parse_events(
            [{k: v for k, v in r.items() if v is not None} for r in raw], now=now, tolerance=0
        )
        stored += store_events_in(uow, commands, now).stored
        progress("events", len(chunk))
    return stored


def _opportunities(uow: UnitOfWork, ds: DemoDataset, emails: dict[str, int]) -> int:
    account_ids = uow.accounts.ids_by_domain({o.account_domain for o in ds.opportunities})
    known = uow.opportunities.external_ids({o.key for o in ds.opportunities})
    new = [o for o in ds.opportunities if o.key not in known]
    for o in new:
        uow.opportunities.add(
            {
                "external_id": o.key,
                "account_id": account_ids.get(o.account_domain),
                "person_id": emails.get(o.person_email),
                "name": o.name,
                "stage": o.stage,
                "amount": o.amount,
                "currency": o.currency,
                "created_ts": o.created_ts,
                "closed_ts": o.closed_ts,
                "lost_reason": o.lost_reason,
            }
        )
    return len(new)


def _transitions(uow: UnitOfWork, ds: DemoDataset, emails: dict[str, int]) -> int:
    current: dict[int, str] = {}
    recorded = 0
    for t in sorted(ds.transitions, key=lambda t: t.occurred_ts):
        person_id = emails[t.email]
        if any(h["occurred_ts"] == t.occurred_ts for h in uow.lifecycle.history(person_id)):
            continue
        uow.lifecycle.record(
            {
                "person_id": person_id,
                "from_stage": current.get(person_id, "lead"),
                "to_stage": t.to_stage,
                "occurred_ts": t.occurred_ts,
                "actor": t.actor,
                "reason": t.reason,
            }
        )
        current[person_id] = t.to_stage
        recorded += 1
    for person_id, stage in current.items():
        uow.people.update(person_id, {"lifecycle_stage": stage}, resolve_now(None))
    return recorded
