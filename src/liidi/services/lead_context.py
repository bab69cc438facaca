"""The context a rep needs with a new lead: who, why now, what they care about, the motion and the owner."""

from __future__ import annotations

from typing import Any

from liidi.domain.accounts import Account
from liidi.domain.people import BuyingRole, Person
from liidi.domain.routing import Decision, Motion
from liidi.domain.scoring import ScoreCard
from liidi.domain.scoring.reasons import top_reasons
from liidi.engines.incremental import card, from_row, rebuilt
from liidi.services.published import published_models
from liidi.services.unit_of_work import UnitOfWork

GROUP_SIZE = 20
ROLE_ORDER = {role: index for index, role in enumerate(BuyingRole)}


def lead_context_in(
    uow: UnitOfWork,
    person: Person,
    account: Account | None,
    decision: Decision,
    score_card: ScoreCard | None,
    model: str | None,
    at: float,
) -> dict[str, Any]:
    """The `context` of a lead.assigned message (see docs/routing.md); the card is read when not given."""
    if score_card is None:
        score_card, model = current_card_in(uow, person, account, at)
    high = decision.motion is Motion.HIGH_TOUCH
    return {
        "person": {
            "id": person.id,
            "name": person.name,
            "email": person.email,
            "external_id": person.external_id,
            "title": person.title,
            "role": person.role.value,
        },
        "account": _account(account, score_card),
        "model": model,
        **_scores(score_card),
        "motion": decision.motion.value if decision.motion else None,
        "owner": decision.owner,
        "team": decision.team,
        "reason": decision.reason,
        "buying_group": buying_group_in(uow, person, account) if high else [],
        "sla_due": None,
    }


def _account(account: Account | None, score_card: ScoreCard | None) -> dict[str, Any] | None:
    if account is None:
        return None
    grade = score_card.grade if score_card else None
    return {"id": account.id, "name": account.name, "domain": account.domain, "fit_grade": grade}


def _scores(c: ScoreCard | None) -> dict[str, Any]:
    """Score, grade, why, signals, hand-raise, themes and buying stage (null or empty without a card)."""
    if c is None:
        empty: dict[str, Any] = {"score": None, "grade": None, "why": [], "signals": []}
        return empty | {"hand_raiser": False, "themes": [], "buying_stage": None}
    return {
        "score": round(c.score, 2),
        "grade": c.grade,
        "why": [reason.text for reason in top_reasons(c)],
        "signals": [hit.name for hit in (*c.signals, *c.products) if hit.active],
        "hand_raiser": c.hand_raiser,
        "themes": [t.theme for t in c.themes],
        "buying_stage": c.buying_stage,
    }


def current_card_in(
    uow: UnitOfWork, person: Person, account: Account | None, at: float
) -> tuple[ScoreCard | None, str | None]:
    """The person's card under the first published model as of `at`, with the model's label."""
    models = published_models(uow)
    if not models:
        return None, None
    pub = models[0]
    row = uow.scores.load({person.id}, [pub.name]).get((person.id, pub.name))
    if row is not None:
        state = from_row(row, person.id)
    else:
        state = rebuilt(pub.model, person, account, uow.events.all_for_person(person.id))
    return card(pub.model, person, account, state, at), pub.label


def buying_group_in(uow: UnitOfWork, person: Person, account: Account | None) -> list[dict[str, Any]]:
    """The other people known at the account, decision makers first."""
    if account is None:
        return []
    others = uow.people.list(filters={"account_id": account.id}, after=0, limit=200)
    others = sorted((p for p in others if p.id != person.id), key=lambda p: (ROLE_ORDER[p.role], p.id))
    return [
        {"person_id": p.id, "name": p.name, "title": p.title, "role": p.role.value}
        for p in others[:GROUP_SIZE]
    ]
