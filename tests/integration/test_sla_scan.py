"""The SLA scan on a real database: warning, breach and each escalation step announced once."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine

from liidi.services import sla
from liidi.services.sla_scan import scan
from liidi.services.touches import record_touch
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import NOW
from tests.routing_support import NewUow, raise_hand, set_up

ROOT = Path(__file__).resolve().parents[2]
ACME = {"domain": "acme.fi", "name": "Acme Oy", "country": "FI", "employees": 300}
HANDED = NOW - 3600  # Monday 2026-10-26 08:33 in Helsinki: due 08:48, warned 08:43
MINUTE = 60.0


def handed_over(new_uow: NewUow) -> int:
    set_up(new_uow, accounts=[ACME])
    text = (ROOT / "examples" / "sla.yaml").read_text(encoding="utf-8")
    sla.load_sla(new_uow(), text=text, source_name="sla.yaml", author="test", now=NOW - 7200)
    return raise_hand(new_uow, "aino@acme.fi")


def sla_messages(new_uow: NewUow) -> list[tuple[str, str]]:
    with new_uow() as uow:
        rows = [m for m in uow.outbox.pending() if m["topic"].startswith("sla.")]
    return [(m["topic"], m["payload"]["key"]) for m in rows]


def test_a_waiting_clock_is_warned_breached_and_escalated_each_once(new_uow: NewUow) -> None:
    pid = handed_over(new_uow)
    assert scan(new_uow, now=HANDED + 9 * MINUTE).total == 0  # nothing due yet
    assert scan(new_uow, now=HANDED + 10 * MINUTE).warned == 1
    assert scan(new_uow, now=HANDED + 11 * MINUTE).total == 0
    breach = scan(new_uow, now=HANDED + 15 * MINUTE)
    assert (breach.breached, breach.escalated) == (1, 1)  # the breach, and notify_owner at +0m
    assert scan(new_uow, now=HANDED + 16 * MINUTE).total == 0
    assert scan(new_uow, now=HANDED + 30 * MINUTE).escalated == 1  # notify_team_lead at +15m
    with new_uow() as uow:
        [clock] = uow.sla_clocks.history(pid)
        lead_notice = [m for m in uow.outbox.pending() if m["topic"] == "sla.escalated"][-1]
    assert (clock["status"], clock["escalation_step"]) == ("breached", 2)
    assert clock["warned_ts"] == HANDED + 10 * MINUTE and clock["breached_ts"] == HANDED + 15 * MINUTE
    assert lead_notice["payload"]["to"] == "anna@firma.fi" and lead_notice["payload"]["step"] == 2
    assert sla_messages(new_uow) == [
        ("sla.warning", f"sla:{clock['id']}:warning"),
        ("sla.breached", f"sla:{clock['id']}:breached"),
        ("sla.escalated", f"sla:{clock['id']}:step:1"),
        ("sla.escalated", f"sla:{clock['id']}:step:2"),
    ]


def test_the_last_step_reassigns_the_lead_through_routing_and_a_new_clock_starts(new_uow: NewUow) -> None:
    pid = handed_over(new_uow)
    done = scan(new_uow, now=HANDED + 90 * MINUTE)  # 1h15m of working time: every rung at once
    assert (done.breached, done.escalated) == (1, 3)
    with new_uow() as uow:
        first, second = uow.sla_clocks.history(pid)
        person = uow.people.get(pid)
        last = [m for m in uow.outbox.pending() if m["topic"] == "sla.escalated"][-1]
    assert person is not None and person.owner == "bert@firma.fi"
    assert (first["status"], first["owner"]) == ("closed", "anna@firma.fi")
    assert (second["status"], second["owner"], second["policy"]) == ("open", "bert@firma.fi", "hand-raiser")
    assert (last["payload"]["action"], last["payload"]["to"]) == ("reassign", "bert@firma.fi")


def test_a_touched_clock_is_never_warned_and_a_breach_waits_for_working_hours(new_uow: NewUow) -> None:
    pid = handed_over(new_uow)
    record_touch(new_uow(), person_id=pid, kind="call", occurred_at=HANDED + 5 * MINUTE, now=NOW)
    assert scan(new_uow, now=HANDED + 10 * 3600).total == 0
    assert sla_messages(new_uow) == []


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_two_workers_scanning_at_once_announce_each_step_once(new_uow: NewUow, engine: Engine) -> None:
    pids = [handed_over(new_uow)]
    pids += [raise_hand(new_uow, f"lead{i}@acme.fi") for i in range(5)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            barrier.wait()
            for minute in (10, 15, 30, 31):
                scan(lambda: UnitOfWork(engine), now=HANDED + minute * MINUTE, limit=2)
                scan(lambda: UnitOfWork(engine), now=HANDED + minute * MINUTE, limit=2)
                scan(lambda: UnitOfWork(engine), now=HANDED + minute * MINUTE, limit=50)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    keys = [key for _, key in sla_messages(new_uow)]
    assert len(keys) == len(set(keys))
    with new_uow() as uow:
        clocks = [c for pid in pids for c in uow.sla_clocks.history(pid) if c["status"] != "closed"]
    assert clocks and all(c["breached_ts"] is not None for c in clocks)
