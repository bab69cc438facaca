"""Scoring inside the ingest transaction: the seed example, hand-raisers, recycling, and state parity."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from liidi.services import ingest, leads, lifecycle
from liidi.services.people import identify
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import NOW, event, publish

NewUow = Callable[[], UnitOfWork]
DAY = 86400.0
SEED = textwrap.dedent(
    """
    model: seed
    signals:
      - name: cloud binge
        within: 7d
        all:
          - {at_least: 3, of: {event: page_view, path: {starts_with: /palvelut/pilvi}}}
          - {at_least: 2, of: {event: [email_click, ad_click]}}
        points: 20
    hand_raisers: [contact_request, demo_request, order]
    qualify:
      mql: signal.cloud_binge
    """
)


def visit(i: int, day: float, who: str = "lead@firma.fi") -> dict[str, object]:
    return event(
        id=f"{who}-v{i}",
        email=who,
        ts=NOW - 20 * DAY + day * DAY,
        properties={"path": "/palvelut/pilvi/hinnat"},
    )


def click(i: int, day: float, who: str = "lead@firma.fi") -> dict[str, object]:
    return event("email_click", id=f"{who}-c{i}", email=who, ts=NOW - 20 * DAY + day * DAY)


def send(new_uow: NewUow, events: list[dict[str, object]]) -> ingest.IngestResult:
    return ingest.track_events(new_uow(), events=events, now=NOW)


def test_three_visits_and_two_clicks_in_a_week_make_an_mql_in_the_same_transaction(new_uow: NewUow) -> None:
    publish(new_uow, SEED)
    first = send(new_uow, [visit(1, 0), visit(2, 2), click(1, 3)])
    assert first.stage_changes == []
    result = send(new_uow, [visit(3, 5), click(2, 6)])
    [move] = result.stage_changes
    assert (move.from_stage, move.to_stage, move.qualified_by, move.model_version) == (
        "lead",
        "mql",
        "mql",
        "seed@v1",
    )
    info = lifecycle.history(new_uow(), person_id=move.person_id)
    assert info["stage"] == "mql" and info["history"][-1]["model_version"] == "seed@v1"


def test_two_visits_do_not_qualify(new_uow: NewUow) -> None:
    publish(new_uow, SEED)
    assert send(new_uow, [visit(1, 0), visit(2, 2), click(1, 3), click(2, 4)]).stage_changes == []


def test_three_visits_spread_over_ten_days_do_not_qualify(new_uow: NewUow) -> None:
    publish(new_uow, SEED)
    assert (
        send(new_uow, [visit(1, 0), visit(2, 5), visit(3, 10), click(1, 9), click(2, 10)]).stage_changes == []
    )


def test_a_hand_raiser_qualifies_at_once(new_uow: NewUow) -> None:
    publish(new_uow, SEED)
    [move] = send(new_uow, [event("contact_request", id="cr", email="asks@firma.fi")]).stage_changes
    assert move.qualified_by == "hand_raiser"


def test_a_recycled_lead_may_qualify_again(new_uow: NewUow) -> None:
    publish(new_uow, SEED)
    [move] = send(
        new_uow, [event("demo_request", id="d1", email="r@firma.fi", ts=NOW - 30 * DAY)]
    ).stage_changes
    pid = move.person_id
    lifecycle.transition(new_uow(), person_id=pid, to="sal", actor="rep", now=NOW)
    lifecycle.transition(new_uow(), person_id=pid, to="recycled", actor="rep", reason="not_ready", now=NOW)
    [again] = send(new_uow, [event("demo_request", id="d2", email="r@firma.fi")]).stage_changes
    assert (again.from_stage, again.to_stage) == ("recycled", "mql")
    assert lifecycle.history(new_uow(), person_id=pid)["recycles"] == 1


def test_anonymous_history_counts_once_the_visitor_is_identified(new_uow: NewUow) -> None:
    publish(new_uow, SEED)
    anon = [
        event(
            id=f"a{i}",
            anonymous_id="anon-7",
            ts=NOW - 3 * DAY + i * 3600,
            properties={"path": "/palvelut/pilvi"},
        )
        for i in range(3)
    ]
    send(new_uow, [*anon, event("ad_click", id="ad1", anonymous_id="anon-7", ts=NOW - 2 * DAY)])
    person_id = identify(new_uow(), email="found@firma.fi", anonymous_id="anon-7", now=NOW).person_id
    [move] = send(new_uow, [click(9, 19, who="found@firma.fi")]).stage_changes
    assert move.person_id == person_id
    [card] = leads.person_cards(new_uow(), person_id=person_id, as_of=NOW)
    assert card.mql and card.signal("cloud binge") is not None


def test_a_batch_of_old_events_records_the_mql_at_the_qualifying_events_time(new_uow: NewUow) -> None:
    publish(new_uow, SEED)
    events = [visit(1, 0), visit(2, 1), click(1, 2), visit(3, 3), click(2, 4), visit(4, 5)]
    [move] = send(new_uow, events).stage_changes
    qualifying = NOW - 20 * DAY + 4 * DAY
    assert move.occurred_ts == qualifying
    info = lifecycle.history(new_uow(), person_id=move.person_id)
    assert [(h["to_stage"], h["occurred_ts"]) for h in info["history"]] == [("mql", qualifying)]
