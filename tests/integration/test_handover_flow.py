"""The hand-over end to end: a hand-raiser is routed, announced by a signed webhook and an e-mail with its
context within a second, its SLA clock breaches and escalates on schedule, and a rejection nurtures it."""

from __future__ import annotations

import time
from pathlib import Path

from liidi.services import feedback, nurture, sla
from liidi.services.sla_scan import scan
from tests.builders import NOW
from tests.integration.test_dispatch import SECRET, dispatcher, subscribe
from tests.integration.test_dispatch_email import smtp
from tests.receivers import Receiver, receiving, smtp_server
from tests.routing_support import NewUow, raise_hand, set_up

ROOT = Path(__file__).resolve().parents[2]
ACME = {"domain": "acme.fi", "name": "Acme Oy", "country": "FI", "employees": 300}
HANDED = NOW - 3600  # the demo request's moment: a Monday morning in Helsinki
MINUTE = 60.0
NURTURE = """\
model: handover
enter: {recycled: true}
tracks:
  - name: everyone
    steps:
      - {wait: 1d, action: webhook, template: digest}
"""


def _ready(new_uow: NewUow) -> None:
    set_up(new_uow, accounts=[ACME])
    text = (ROOT / "examples" / "sla.yaml").read_text(encoding="utf-8")
    sla.load_sla(new_uow(), text=text, source_name="sla.yaml", author="test", now=NOW - 7200)
    nurture.load_nurture(new_uow(), text=NURTURE, source_name="nurture.yaml", author="test", now=NOW - 7200)


def test_a_hand_raiser_is_routed_announced_and_escalated_and_a_rejection_enters_nurture(
    new_uow: NewUow,
) -> None:
    _ready(new_uow)
    with (
        receiving(Receiver(secret=SECRET)) as hook,
        smtp_server() as box,
        dispatcher(new_uow, **smtp(box.port)) as d,
    ):
        subscribe(new_uow, hook.url, events=["lead.assigned"])
        start = time.monotonic()
        pid = raise_hand(new_uow, "aino@acme.fi")
        while not (hook.accepted and box.messages) and time.monotonic() - start < 10:
            d.run_pass()
        elapsed = time.monotonic() - start

    assert elapsed < 1.0, f"the hand-over took {elapsed:.2f} s"
    [delivered] = hook.accepted.values()
    data = delivered.json()["data"]
    assert hook.bad_signatures == 0 and data["owner"] == "anna@firma.fi"
    assert data["context"]["hand_raiser"] and data["context"]["sla_due"] is not None
    [(recipients, mail)] = box.messages
    assert recipients == ["anna@firma.fi"] and "Acme Oy" in mail.get_body(("plain",)).get_content()

    assert scan(new_uow, now=HANDED + 15 * MINUTE).breached == 1
    assert scan(new_uow, now=HANDED + 30 * MINUTE).escalated == 1  # the team lead is told

    feedback.reject(new_uow(), person_id=pid, reason="not_ready", actor="anna@firma.fi", now=NOW)
    with new_uow() as uow:
        [enrolment] = uow.nurture.of_person(pid)
        person = uow.people.get(pid)
    assert person is not None and person.lifecycle_stage == "recycled"
    assert (enrolment["track"], enrolment["status"], enrolment["entry"]) == ("everyone", "active", "recycled")
