"""Read side of scoring: a person's cards and the hot-lead list, with decay applied at read time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from liidi.domain.accounts import Account
from liidi.domain.emails import normalise_email
from liidi.domain.people import Person
from liidi.domain.scoring import ScoreCard
from liidi.domain.scoring.reasons import Reason, top_reasons
from liidi.domain.sla_wait import SlaWait
from liidi.engines.incremental import card, from_row, rebuilt
from liidi.errors import FieldError, NotFound, ValidationFailed
from liidi.services.clock import resolve_now
from liidi.services.identity import live_person
from liidi.services.lead_sla import waiting_first, waits_in
from liidi.services.scoring import Published, published_models
from liidi.services.unit_of_work import UnitOfWork

MAX_LEADS = 500
CLOSED_STAGES = ("customer", "disqualified", "opportunity")


@dataclass(frozen=True, slots=True)
class Lead:
    """A person with their exact card under one model and why they rank where they do."""

    person: Person
    account: Account | None
    card: ScoreCard
    why: tuple[Reason, ...] = ()
    assignment: dict[str, Any] | None = None
    sla: SlaWait | None = None


def person_cards(uow: UnitOfWork, *, person_id: int, as_of: float | None = None) -> list[ScoreCard]:
    """The person's card under every published model, exact as of the given time (default now)."""
    ts = resolve_now(as_of)
    with uow:
        person = live_person(uow, person_id)
        live = person.id
        models = published_models(uow)
        account = uow.accounts.get(person.account_id) if person.account_id else None
        stored = uow.scores.load({live}, [m.name for m in models])
        history = None
        cards = []
        for pub in models:
            row = stored.get((live, pub.name))
            if row is None:
                history = history if history is not None else uow.events.all_for_person(live)
                state = rebuilt(pub.model, person, account, history)
            else:
                state = from_row(row, live)
            cards.append(card(pub.model, person, account, state, ts))
    return cards


def hot_leads(
    uow: UnitOfWork,
    *,
    model: str | None = None,
    hot: bool = True,
    filters: dict[str, Any] | None = None,
    limit: int = 50,
    as_of: float | None = None,
    with_open_deals: bool = False,
    waiting: bool = False,
) -> list[Lead]:
    """Leads by exact score, highest first; filter by grade, stage, theme, owner.

    `hot` keeps the open leads who qualify now: not customers, not disqualified and, unless
    `with_open_deals`, not already in an open opportunity. With an `owner`, `hot` keeps that rep's
    open leads whether or not they still qualify today (a lead handed over stays on the rep's list).
    Each lead carries its SLA wait (None without a clock). `waiting` (with an `owner`) keeps the rep's
    leads whose clock still waits, oldest breach first, then open ones by deadline.
    """
    if not 1 <= limit <= MAX_LEADS:
        raise ValidationFailed([FieldError("limit", limit, f"must be between 1 and {MAX_LEADS}")])
    wanted = {k: v for k, v in (filters or {}).items() if v is not None}
    if "owner" in wanted:
        wanted["owner"] = normalise_email(str(wanted["owner"]))
    if waiting and "owner" not in wanted:
        raise ValidationFailed([FieldError("waiting", True, "needs an owner: whose waiting leads to list")])
    mine = hot and "owner" in wanted
    ts = resolve_now(as_of)
    with uow:
        pub = _chosen(published_models(uow), model)
        stored: dict[str, Any] = {"hot": not mine, "not_stages": CLOSED_STAGES} if hot else {}
        if hot and with_open_deals:
            stored["not_stages"] = ("customer", "disqualified")
        elif hot:
            stored["no_open_deal"] = True
        stored |= {k: wanted[k] for k in ("grade", "owner") if k in wanted}
        if "stage" in wanted:
            stored["lifecycle_stage"] = wanted["stage"]
        clocks = uow.sla_clocks.waiting_for(wanted["owner"]) if waiting else {}
        if waiting:
            stored["person_ids"] = set(clocks)
        rows = uow.scores.ranked(model=pub.name, filters=stored, limit=limit * 4)
        people = uow.people.get_many({int(r["person_id"]) for r in rows})
        accounts = uow.accounts.get_many({p.account_id for p in people.values() if p.account_id})
        assigned = uow.assignments.latest(set(people))
        waits = waits_in(uow, clocks if waiting else uow.sla_clocks.latest(set(people)), ts)
    leads = []
    for row in rows:
        person = people[int(row["person_id"])]
        account = accounts.get(person.account_id) if person.account_id else None
        exact = card(pub.model, person, account, from_row(row, person.id), ts)
        if hot and not mine and not exact.is_qualified:
            continue
        if "theme" in wanted and wanted["theme"] not in {t.theme for t in exact.themes}:
            continue
        why = top_reasons(exact)
        leads.append(Lead(person, account, exact, why, assigned.get(person.id), waits.get(person.id)))
    if waiting:
        order = {pid: i for i, pid in enumerate(waiting_first(waits))}
        return sorted((x for x in leads if x.person.id in order), key=lambda x: order[x.person.id])[:limit]
    leads.sort(key=lambda lead: (-lead.card.score, lead.person.id))
    return leads[:limit]


def _chosen(models: list[Published], name: str | None) -> Published:
    if not models:
        raise NotFound(
            "no scoring model is published yet: `liidi model add FILE` then `liidi model publish NAME`"
        )
    if name is None:
        return models[0]
    for pub in models:
        if pub.name == name:
            return pub
    raise ValidationFailed(
        [FieldError("model", name, f"no published model; published: {[m.name for m in models]}")]
    )


@dataclass(frozen=True, slots=True)
class AccountRollup:
    """An account's people's scores rolled up under one model."""

    account_id: int
    model: str
    total: float
    best: float
    top: float
    top_k: int
    people_scored: int
    people_engaged: int
    qualified: int
    roles_engaged: tuple[str, ...]
    people: tuple[tuple[int, float], ...]


def account_rollup(
    uow: UnitOfWork, *, account_id: int, model: str | None = None, top_k: int = 3, as_of: float | None = None
) -> AccountRollup:
    """Sum, maximum and top-k sum of the people's exact scores, and the buying-group roles engaged."""
    ts = resolve_now(as_of)
    with uow:
        account = uow.accounts.get(account_id)
        if account is None:
            raise NotFound(f"no account with id {account_id}")
        pub = _chosen(published_models(uow), model)
        members = uow.people.list(filters={"account_id": account_id}, after=0, limit=MAX_LEADS)
        stored = uow.scores.load({p.id for p in members}, [pub.name])
        missing = {p.id for p in members if (p.id, pub.name) not in stored}
        histories = uow.events.for_people(missing) if missing else {}
    cards = []
    for person in members:
        row = stored.get((person.id, pub.name))
        state = from_row(row, person.id) if row else rebuilt(pub.model, person, account, histories[person.id])
        cards.append((person, card(pub.model, person, account, state, ts)))
    scores = sorted((c.score for _, c in cards), reverse=True)
    engaged = [(p, c) for p, c in cards if c.engagement > 0]
    roles = sorted({p.role.value for p, _ in engaged if p.role.value != "other"})
    return AccountRollup(
        account_id,
        pub.name,
        sum(scores),
        max(scores, default=0.0),
        sum(scores[:top_k]),
        top_k,
        len(cards),
        len(engaged),
        sum(1 for _, c in cards if c.is_qualified),
        tuple(roles),
        tuple(sorted(((p.id, c.score) for p, c in cards), key=lambda x: -x[1])),
    )
