"""Loading a generated demo market into the store, through the same code paths as real data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from liidi.domain.intake import parse_events, parse_person_fields
from liidi.services.accounts import check_accounts, upsert_account_in
from liidi.services.clock import resolve_now
from liidi.services.identity import stitch_anonymous
from liidi.services.ingest import store_events_in
from liidi.services.people import upsert_person_in
from liidi.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from liidi.demo.generator import DemoDataset

CHUNK = 1000
Progress = Callable[[str, int], None]


@dataclass(frozen=True, slots=True)
class DemoLoadResult:
    """Counts of what the demo load stored."""

    accounts: int
    people: int
    events: int
    identifies: int
    opportunities: int
    transitions: int


def _quiet(_phase: str, _advance: int) -> None:
    return None


def load_demo(
    uow: UnitOfWork, *, dataset: DemoDataset, now: float | None = None, progress: Progress = _quiet
) -> DemoLoadResult:
    """Store a generated data set in one transaction: accounts, people, events, stitching, deals, history."""
    ts = resolve_now(now)
    with uow:
        _accounts(uow, dataset, ts, progress)
        emails = _people(uow, dataset, progress)
        stored = _events(uow, dataset, ts, progress)
        for ident in dataset.identifies:
            stitch_anonymous(uow, ident.anonymous_id, emails[ident.email], ident.occurred_ts)
        _opportunities(uow, dataset, emails)
        _transitions(uow, dataset, emails)
        uow.commit()
    return DemoLoadResult(
        len(dataset.accounts),
        len(dataset.people),
        stored,
        len(dataset.identifies),
        len(dataset.opportunities),
        len(dataset.transitions),
    )


def _accounts(uow: UnitOfWork, ds: DemoDataset, now: float, progress: Progress) -> None:
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
    for values in check_accounts(records):
        upsert_account_in(uow, values, now)
    progress("accounts", len(records))


def _people(uow: UnitOfWork, ds: DemoDataset, progress: Progress) -> dict[str, int]:
    emails: dict[str, int] = {}
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
        emails[p.email] = upsert_person_in(uow, p.email, fields, p.created_ts).person_id
    progress("people", len(ds.people))
    return emails


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


def _opportunities(uow: UnitOfWork, ds: DemoDataset, emails: dict[str, int]) -> None:
    account_ids = uow.accounts.ids_by_domain({o.account_domain for o in ds.opportunities})
    known = uow.opportunities.external_ids({o.key for o in ds.opportunities})
    for o in ds.opportunities:
        if o.key in known:
            continue
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


def _transitions(uow: UnitOfWork, ds: DemoDataset, emails: dict[str, int]) -> None:
    current: dict[int, str] = {}
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
    for person_id, stage in current.items():
        uow.people.update(person_id, {"lifecycle_stage": stage}, resolve_now(None))
