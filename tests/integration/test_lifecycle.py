"""Manual lifecycle moves, reasons, steps back and the outbox."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from liidi.errors import InvalidTransition, ValidationFailed
from liidi.services import lifecycle
from liidi.services.people import identify
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import NOW

NewUow = Callable[[], UnitOfWork]


def person(new_uow: NewUow) -> int:
    return identify(new_uow(), email="lead@firma.fi", now=NOW).person_id


def move(new_uow: NewUow, pid: int, to: str, reason: str | None = None) -> lifecycle.Transition:
    return lifecycle.transition(new_uow(), person_id=pid, to=to, actor="rep@firma.fi", reason=reason, now=NOW)


def test_a_lead_goes_through_the_funnel_with_every_move_recorded(new_uow: NewUow) -> None:
    pid = person(new_uow)
    for stage in ("mql", "sal", "sql", "opportunity", "customer"):
        move(new_uow, pid, stage)
    info = lifecycle.history(new_uow(), person_id=pid)
    assert info["stage"] == "customer"
    assert [(h["from_stage"], h["to_stage"]) for h in info["history"]] == [
        ("lead", "mql"),
        ("mql", "sal"),
        ("sal", "sql"),
        ("sql", "opportunity"),
        ("opportunity", "customer"),
    ]
    assert all(h["actor"] == "rep@firma.fi" for h in info["history"])


def test_a_disallowed_move_lists_the_allowed_ones(new_uow: NewUow) -> None:
    pid = person(new_uow)
    with pytest.raises(InvalidTransition) as caught:
        move(new_uow, pid, "customer")
    assert caught.value.allowed == ["mql", "sal", "disqualified"]


def test_a_step_back_needs_a_reason_keeps_history_and_counts_recycles(new_uow: NewUow) -> None:
    pid = person(new_uow)
    move(new_uow, pid, "mql")
    move(new_uow, pid, "sal")
    with pytest.raises(ValidationFailed) as caught:
        move(new_uow, pid, "recycled")
    assert caught.value.errors[0].field == "reason"
    move(new_uow, pid, "recycled", reason="not_ready")
    move(new_uow, pid, "mql")
    info = lifecycle.history(new_uow(), person_id=pid)
    assert info["recycles"] == 1 and info["stage"] == "mql" and len(info["history"]) == 4
    assert info["history"][2]["reason"] == "not_ready"


def test_every_move_puts_a_domain_event_in_the_outbox(new_uow: NewUow) -> None:
    pid = person(new_uow)
    move(new_uow, pid, "disqualified", reason="student")
    with new_uow() as uow:
        assert uow.outbox.count("lead.stage_changed") == 1
        payload = uow.outbox.pending()[-1]["payload"]
    assert payload["to"] == "disqualified" and payload["reason"] == "student"
