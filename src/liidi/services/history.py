"""Loading the past: dated stage changes and deals from a CRM export, each file in one transaction.

Imported changes may skip stages (the past happened, the policy is for moves made now), are kept in time
order with the changes the engine made, and set a person's current stage only when they are the latest.
They are not sent to the outbox: webhooks announce what happens now, not what a file says happened.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from liidi.domain.history import DatedChange, Deal, PersonRef, parse_deals, parse_history
from liidi.errors import FieldError, NotFound, ValidationFailed
from liidi.services.clock import resolve_now
from liidi.services.identity import live_person_id, lock_people_in
from liidi.services.people_bulk import EXTERNAL_KIND
from liidi.services.unit_of_work import UnitOfWork, run_in_transaction


@dataclass(frozen=True, slots=True)
class Loaded:
    """What a history or deals import did."""

    records: int
    created: int
    already_stored: int
    updated: int = 0
    unchanged: int = 0


def import_history(
    uow: UnitOfWork, *, records: Sequence[Mapping[str, Any]], now: float | None = None
) -> Loaded:
    """Store dated stage changes; a change already stored (same person, stage and time) is skipped."""
    ts = resolve_now(now)
    changes = parse_history(records, latest=ts + 300)

    def work(tx: UnitOfWork) -> Loaded:
        people = resolve_people_in(tx, [(c.index, c.person) for c in changes], "email")
        lock_people_in(tx, set(people.values()))
        known = tx.lifecycle.known(set(people.values()))
        rows, stages = _placed(changes, people, known)
        tx.lifecycle.record_many(rows)
        tx.lifecycle.set_stages(stages, ts)
        return Loaded(len(changes), len(rows), len(changes) - len(rows))

    return run_in_transaction(uow, work)


def _placed(
    changes: list[DatedChange], people: dict[int, int], known: dict[int, list[tuple[float, str]]]
) -> tuple[list[dict[str, Any]], dict[int, str]]:
    """New history rows, each with the stage before it in time, and the people whose latest change is new."""
    timeline = {pid: list(rows) for pid, rows in known.items()}
    keys = {(pid, *row) for pid, rows in known.items() for row in rows}
    new: dict[int, list[DatedChange]] = {}
    for change in sorted(changes, key=lambda c: (c.occurred_ts, c.index)):
        pid = people[change.index]
        if (pid, change.occurred_ts, change.to_stage) in keys:
            continue
        keys.add((pid, change.occurred_ts, change.to_stage))
        timeline.setdefault(pid, []).append((change.occurred_ts, change.to_stage))
        new.setdefault(pid, []).append(change)
    rows, stages = [], {}
    for pid, added in new.items():
        ordered = sorted(timeline[pid], key=lambda r: r[0])
        before: dict[tuple[float, str], str | None] = {}
        for i, moment in enumerate(ordered):
            before.setdefault(moment, ordered[i - 1][1] if i else None)
        for change in added:
            rows.append(_row(pid, change, before.get((change.occurred_ts, change.to_stage))))
        latest = max(known.get(pid, []), key=lambda r: r[0], default=None)
        if latest is None or added[-1].occurred_ts >= latest[0]:
            stages[pid] = added[-1].to_stage
    return rows, stages


def _row(pid: int, change: DatedChange, before: str | None) -> dict[str, Any]:
    return {
        "person_id": pid,
        "from_stage": before,
        "to_stage": change.to_stage,
        "occurred_ts": change.occurred_ts,
        "actor": change.actor,
        "reason": change.reason,
        "qualified_by": None,
        "model_version": None,
        "amount": change.amount,
    }


def resolve_people_in(uow: UnitOfWork, refs: list[tuple[int, PersonRef]], field: str) -> dict[int, int]:
    """Each item's live person by e-mail, external id or person id; an unknown one refuses the whole file."""
    emails = uow.identities.people_for("email", {r.email for _, r in refs if r.email})
    externals = uow.identities.people_for(EXTERNAL_KIND, {r.external_id for _, r in refs if r.external_id})
    ids: dict[int, int] = {}
    found: dict[int, int] = {}
    errors: list[FieldError] = []
    for index, ref in refs:
        if ref.email is not None and ref.email in emails:
            found[index] = emails[ref.email]
        elif ref.external_id is not None and ref.external_id in externals:
            found[index] = externals[ref.external_id]
        elif ref.person_id is not None and (pid := _live(uow, ref.person_id, ids)) is not None:
            found[index] = pid
        else:
            name, value = _named(ref, field)
            errors.append(
                FieldError(name, value, "no person with this identity; import the people first", index)
            )
    if errors:
        raise ValidationFailed(errors, f"nothing stored: {errors[0].one_line()}")
    return {index: _follow(uow, pid, ids) for index, pid in found.items()}


def _named(ref: PersonRef, field: str) -> tuple[str, Any]:
    if ref.email is not None:
        return field, ref.email
    if ref.external_id is not None:
        return ("external_id" if field == "email" else "person_external_id"), ref.external_id
    return "person_id", ref.person_id


def _live(uow: UnitOfWork, person_id: int, cache: dict[int, int]) -> int | None:
    try:
        return _follow(uow, person_id, cache)
    except NotFound:  # reported with the item's field by the caller
        return None


def _follow(uow: UnitOfWork, person_id: int, cache: dict[int, int]) -> int:
    if person_id not in cache:
        cache[person_id] = live_person_id(uow, person_id)
    return cache[person_id]


def import_deals(
    uow: UnitOfWork, *, records: Sequence[Mapping[str, Any]], now: float | None = None
) -> Loaded:
    """Create or update opportunities by their CRM id; a deal stored with the same values is unchanged."""
    ts = resolve_now(now)
    deals = parse_deals(records)

    def work(tx: UnitOfWork) -> Loaded:
        with_person = [(d.index, d.person) for d in deals if d.person is not None]
        people = resolve_people_in(tx, with_person, "email")
        accounts = _accounts_in(tx, deals)
        stored = tx.opportunities.by_external_id({d.external_id for d in deals})
        of_person = tx.people.account_ids(set(people.values()))
        fresh, changed = [], []
        for deal in deals:
            values = _deal_row(deal, people.get(deal.index), accounts)
            if values["account_id"] is None and values["person_id"] is not None:
                values["account_id"] = of_person.get(values["person_id"])
            old = stored.get(deal.external_id)
            if old is None:
                fresh.append(
                    values | {"created_ts": ts if values["created_ts"] is None else values["created_ts"]}
                )
            elif _differs(values, old):
                changed.append(_kept_creation(values, old) | {"oid": old["id"]})
        tx.opportunities.add_many(fresh)
        tx.opportunities.update_many(changed)
        return Loaded(len(deals), len(fresh), 0, len(changed), len(deals) - len(fresh) - len(changed))

    return run_in_transaction(uow, work)


def _kept_creation(values: dict[str, Any], stored: Mapping[str, Any]) -> dict[str, Any]:
    """A deal's values with the creation time of `stored` when the file gives none."""
    return values if values["created_ts"] is not None else values | {"created_ts": stored["created_ts"]}


def _differs(values: dict[str, Any], stored: Mapping[str, Any]) -> bool:
    """True when storing these values would change the stored deal."""
    return any(stored[name] != value for name, value in _kept_creation(values, stored).items())


def _accounts_in(uow: UnitOfWork, deals: list[Deal]) -> dict[tuple[str, str], int]:
    """Account ids of the deals' accounts; an account nobody has stored refuses the file."""
    found: dict[tuple[str, str], int] = {}
    for key in ("domain", "external_id", "name"):
        values = {d.account[1] for d in deals if d.account and d.account[0] == key}
        found |= {(key, v): aid for v, aid in uow.opportunities.account_ids_by(key, values).items()}
    errors = [
        FieldError(
            f"account_{d.account[0]}",
            d.account[1],
            "no account with this value; import accounts first",
            d.index,
        )
        for d in deals
        if d.account and d.account not in found
    ]
    if errors:
        raise ValidationFailed(errors, f"no deals stored: {errors[0].one_line()}")
    return found


def _deal_row(deal: Deal, person_id: int | None, accounts: dict[tuple[str, str], int]) -> dict[str, Any]:
    """The columns of a deal as the file gives them (`created_ts` None when it has no creation time)."""
    account_id = accounts.get(deal.account) if deal.account else None
    return {"external_id": deal.external_id, "person_id": person_id, "account_id": account_id, **deal.values}
