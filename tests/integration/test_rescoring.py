"""Facts change, scores follow: changed person or account attributes rebuild scores at once."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import Any

from liidi.domain.messages import LeadStageChanged
from liidi.domain.scoring import score
from liidi.services import accounts, ingest, lifecycle, scoring
from liidi.services.imports import import_accounts, import_people
from liidi.services.people import identify, upsert_people
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import NOW, event, publish

NewUow = Callable[[], UnitOfWork]
LATER = NOW + 60.0
MODEL = textwrap.dedent(
    """
    model: facts
    grades: {A: 40, B: 20}
    fit:
      - {name: gold customer, when: {person.traits.tier: gold}, points: 25}
      - {name: target industry, when: {account.industry: software}, points: 15}
    engagement:
      - {name: visit, when: {event: page_view}, points: 5}
    qualify:
      mql: grade >= B and engagement >= 5
    """
)
WHO = "anna@firma.fi"


def _start(new_uow: NewUow, tier: str = "silver") -> int:
    """A published model, one person with one visit, and the attribute the model reads."""
    publish(new_uow, MODEL)
    import_people(new_uow(), records=[{"email": WHO, "traits": {"tier": tier}}], now=NOW)
    ingest.track_events(new_uow(), events=[event(id="v1", email=WHO)], now=NOW)
    with new_uow() as uow:
        found = uow.identities.person_for("email", WHO)
    assert found is not None
    return found


def _stored(new_uow: NewUow, pid: int) -> dict[str, Any]:
    with new_uow() as uow:
        return uow.scores.load({pid}, ["facts"])[(pid, "facts")]


def _reference(new_uow: NewUow, pid: int, at: float) -> float:
    """The score `liidi explain` computes from the person's current facts and whole history."""
    with new_uow() as uow:
        [pub] = scoring.published_models(uow)
        person = uow.people.get(pid)
        assert person is not None
        account = uow.accounts.get(person.account_id) if person.account_id else None
        history = uow.events.for_people({pid})[pid]
    return score(pub.model, person, account, history, at).score


def _stage(new_uow: NewUow, pid: int) -> str:
    return str(lifecycle.history(new_uow(), person_id=pid)["stage"])


def test_importing_a_changed_attribute_rescores_the_person_and_qualifies_them(new_uow: NewUow) -> None:
    pid = _start(new_uow)
    assert _stored(new_uow, pid)["score"] == _reference(new_uow, pid, NOW) and _stage(new_uow, pid) == "lead"

    import_people(new_uow(), records=[{"email": WHO, "traits": {"tier": "gold"}}], now=LATER)

    row = _stored(new_uow, pid)
    assert row["scored_ts"] == LATER
    assert row["score"] == _reference(new_uow, pid, LATER) and row["fit"] == 25
    info = lifecycle.history(new_uow(), person_id=pid)
    assert info["stage"] == "mql"
    assert (info["history"][-1]["actor"], info["history"][-1]["model_version"]) == ("scoring", "facts@v1")
    with new_uow() as uow:
        messages = [m for m in uow.outbox.pending(100) if m["topic"] == LeadStageChanged.topic]
    assert [(m["payload"]["to"], m["payload"]["actor"]) for m in messages] == [("mql", "scoring")]


def test_an_import_that_changes_nothing_rescores_nobody(new_uow: NewUow) -> None:
    pid = _start(new_uow)
    import_people(new_uow(), records=[{"email": WHO, "traits": {"tier": "silver"}}], now=LATER)
    assert _stored(new_uow, pid)["scored_ts"] == NOW


def test_posting_people_with_a_changed_attribute_rescores_them(new_uow: NewUow) -> None:
    pid = _start(new_uow)
    [result] = upsert_people(new_uow(), records=[{"email": WHO, "traits": {"tier": "gold"}}], now=LATER)
    assert result.changed
    assert _stored(new_uow, pid)["score"] == _reference(new_uow, pid, LATER) == 30
    assert _stage(new_uow, pid) == "mql"


def test_an_admin_identify_with_changed_traits_rescores_only_when_they_changed(new_uow: NewUow) -> None:
    pid = _start(new_uow)
    same = identify(new_uow(), email=WHO, traits={"traits": {"tier": "silver"}}, now=LATER)
    assert not same.changed and _stored(new_uow, pid)["scored_ts"] == NOW
    changed = identify(new_uow(), email=WHO, traits={"traits": {"tier": "gold"}}, now=LATER)
    assert changed.changed
    assert _stored(new_uow, pid)["score"] == _reference(new_uow, pid, LATER) == 30
    assert _stage(new_uow, pid) == "mql"


def test_an_account_change_rescores_its_people(new_uow: NewUow) -> None:
    pid = _start(new_uow, tier="gold")
    accounts.upsert_accounts(new_uow(), records=[{"domain": "firma.fi", "industry": "retail"}], now=NOW)
    assert _stored(new_uow, pid)["scored_ts"] == NOW and _stored(new_uow, pid)["fit"] == 25

    accounts.upsert_accounts(new_uow(), records=[{"domain": "firma.fi", "industry": "software"}], now=LATER)
    row = _stored(new_uow, pid)
    assert (row["fit"], row["scored_ts"]) == (40, LATER)
    assert row["score"] == _reference(new_uow, pid, LATER)


def test_importing_accounts_rescores_the_people_of_changed_accounts_only(new_uow: NewUow) -> None:
    pid = _start(new_uow)
    rows = [{"domain": "firma.fi", "industry": "software"}, {"domain": "other.fi", "industry": "retail"}]
    import_accounts(new_uow(), records=rows, now=LATER)
    assert _stored(new_uow, pid)["fit"] == 15
    import_accounts(new_uow(), records=rows, now=LATER + 60)
    assert _stored(new_uow, pid)["scored_ts"] == LATER
