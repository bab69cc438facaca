"""SLA clocks on a real database: started with the assignment, stopped by the first response."""

from __future__ import annotations

from pathlib import Path

from liidi.domain.events import from_epoch
from liidi.services import feedback, routing, sla
from liidi.services.touches import record_touch
from tests.builders import NOW
from tests.routing_support import NewUow, raise_hand, set_up

ROOT = Path(__file__).resolve().parents[2]
ACME = {"domain": "acme.fi", "name": "Acme Oy", "country": "FI", "employees": 300}
HANDED = NOW - 3600  # Monday 2026-10-26 08:33 in Helsinki, within working hours


def load_example(new_uow: NewUow) -> None:
    text = (ROOT / "examples" / "sla.yaml").read_text(encoding="utf-8")
    sla.load_sla(new_uow(), text=text, source_name="sla.yaml", author="test", now=NOW - 7200)


def clocks(new_uow: NewUow, pid: int) -> list[dict]:
    with new_uow() as uow:
        return uow.sla_clocks.history(pid)


def test_loading_the_same_sla_twice_stores_one_version(new_uow: NewUow) -> None:
    load_example(new_uow)
    text = (ROOT / "examples" / "sla.yaml").read_text(encoding="utf-8")
    again = sla.load_sla(new_uow(), text=text, source_name="sla.yaml", author="test", now=NOW)
    assert (again.created, again.document.version) == (False, 1)
    assert sla.show_sla(new_uow()).policies.named("hand-raiser") is not None


def test_a_hand_raiser_assigned_to_a_rep_starts_a_clock_due_in_fifteen_working_minutes(
    new_uow: NewUow,
) -> None:
    set_up(new_uow, accounts=[ACME])
    load_example(new_uow)
    pid = raise_hand(new_uow, "aino@acme.fi")
    [clock] = clocks(new_uow, pid)
    assert (clock["policy"], clock["owner"], clock["status"]) == ("hand-raiser", "anna@firma.fi", "open")
    assert clock["started_ts"] == HANDED
    assert clock["due_ts"] == HANDED + 900 and clock["warning_ts"] == HANDED + 600
    assert clock["next_ts"] == clock["warning_ts"]
    with new_uow() as uow:
        assigned = [m for m in uow.outbox.pending() if m["topic"] == "lead.assigned"][-1]
    assert assigned["payload"]["context"]["sla_due"] == from_epoch(HANDED + 900).isoformat()


def test_a_hand_over_dated_before_the_first_sla_starts_its_clock_when_the_sla_was_loaded(
    new_uow: NewUow,
) -> None:
    set_up(new_uow, accounts=[ACME])
    load_example(new_uow)  # loaded at NOW - 7200, early on a Monday morning
    pid = raise_hand(new_uow, "aino@acme.fi", ts=NOW - 7 * 86400)  # history from the week before
    [clock] = clocks(new_uow, pid)
    assert clock["started_ts"] == NOW - 7200
    assert NOW - 7200 < clock["due_ts"] < NOW, "judged from the SLA's start, not breached at once"


def test_without_an_sla_loaded_no_clock_starts_and_sla_due_stays_null(new_uow: NewUow) -> None:
    set_up(new_uow, accounts=[ACME])
    pid = raise_hand(new_uow, "aino@acme.fi")
    assert clocks(new_uow, pid) == []
    with new_uow() as uow:
        assigned = [m for m in uow.outbox.pending() if m["topic"] == "lead.assigned"][-1]
    assert assigned["payload"]["context"]["sla_due"] is None


def test_the_first_touch_after_the_hand_over_stops_the_clock_on_time(new_uow: NewUow) -> None:
    set_up(new_uow, accounts=[ACME])
    load_example(new_uow)
    pid = raise_hand(new_uow, "aino@acme.fi")
    record_touch(new_uow(), person_id=pid, kind="call", occurred_at=HANDED - 60, now=NOW)
    assert clocks(new_uow, pid)[0]["status"] == "open"  # a touch before the hand-over is no response
    record_touch(new_uow(), person_id=pid, kind="call", occurred_at=HANDED + 300, now=NOW)
    [clock] = clocks(new_uow, pid)
    assert (clock["status"], clock["first_touch_ts"], clock["next_ts"]) == ("met", HANDED + 300, None)


def test_a_touch_after_the_deadline_stops_the_clock_late(new_uow: NewUow) -> None:
    set_up(new_uow, accounts=[ACME])
    load_example(new_uow)
    pid = raise_hand(new_uow, "aino@acme.fi")
    record_touch(new_uow(), person_id=pid, kind="email", occurred_at=HANDED + 1800, now=NOW)
    [clock] = clocks(new_uow, pid)
    assert clock["status"] == "met" and clock["first_touch_ts"] > clock["due_ts"]


def test_accepting_the_lead_counts_as_the_response(new_uow: NewUow) -> None:
    set_up(new_uow, accounts=[ACME])
    load_example(new_uow)
    pid = raise_hand(new_uow, "aino@acme.fi")
    feedback.accept(new_uow(), person_id=pid, actor="anna@firma.fi", now=HANDED + 120)
    [clock] = clocks(new_uow, pid)
    assert (clock["status"], clock["first_touch_ts"]) == ("met", HANDED + 120)


def test_a_manual_reassignment_closes_the_clock_and_starts_one_for_the_new_owner(new_uow: NewUow) -> None:
    set_up(new_uow, accounts=[ACME])
    load_example(new_uow)
    pid = raise_hand(new_uow, "aino@acme.fi")
    routing.assign_person(new_uow(), person_id=pid, to="bert@firma.fi", actor="boss", now=HANDED + 60)
    first, second = clocks(new_uow, pid)
    assert (first["status"], first["closed_ts"], first["owner"]) == ("closed", HANDED + 60, "anna@firma.fi")
    assert (second["status"], second["owner"], second["started_ts"]) == ("open", "bert@firma.fi", HANDED + 60)
    assert (second["policy"], second["due_ts"]) == ("hand-raiser", HANDED + 60 + 900)
