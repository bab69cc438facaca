"""Lead lists show the response SLA on a real database: business time waited, status and --waiting order."""

from __future__ import annotations

from liidi.services import leads, routing
from liidi.services.touches import record_touch
from tests.builders import NOW
from tests.integration.test_sla_clocks import ACME, HANDED, load_example
from tests.routing_support import NewUow, raise_hand, set_up

ANNA = "anna@firma.fi"
TUESDAY_0810 = HANDED + 86400 - 23 * 60  # the next morning, 10 working minutes after 08:00 in Helsinki


def three_for_anna(new_uow: NewUow) -> tuple[int, int, int]:
    """aino, ville and kalle, given to dora at +1m, then to anna at +30m, +10m and +5m."""
    set_up(new_uow, accounts=[ACME])
    load_example(new_uow)
    aino, ville, kalle = (raise_hand(new_uow, f"{n}@acme.fi") for n in ("aino", "ville", "kalle"))
    for pid in (aino, ville, kalle):
        routing.assign_person(new_uow(), person_id=pid, to="dora@firma.fi", actor="boss", now=HANDED + 60)
    for pid, minutes in ((kalle, 5), (ville, 10), (aino, 30)):
        routing.assign_person(new_uow(), person_id=pid, to=ANNA, actor="boss", now=HANDED + minutes * 60)
    return aino, ville, kalle


def listed(new_uow: NewUow, now: float, **options: object) -> list[leads.Lead]:
    return leads.hot_leads(new_uow(), filters={"owner": ANNA}, as_of=now, **options)  # type: ignore[arg-type]


def test_a_reps_waiting_leads_come_oldest_breach_first_then_open_by_due_time(new_uow: NewUow) -> None:
    aino, ville, kalle = three_for_anna(new_uow)
    found = listed(new_uow, HANDED + 2000, waiting=True)
    assert [lead.person.id for lead in found] == [kalle, ville, aino]
    assert [lead.sla.status for lead in found if lead.sla] == ["breached", "breached", "open"]
    assert [lead.sla.due_ts for lead in found if lead.sla] == [HANDED + 1200, HANDED + 1500, HANDED + 2700]
    assert [lead.sla.waited_seconds for lead in found if lead.sla] == [1700, 1400, 200]


def test_the_wait_counts_business_time_only_overnight(new_uow: NewUow) -> None:
    _, _, kalle = three_for_anna(new_uow)
    found = {lead.person.id: lead for lead in listed(new_uow, TUESDAY_0810)}
    wait = found[kalle].sla
    assert wait is not None and wait.status == "breached"
    # 08:38 to 16:00 on Monday, then 08:00 to 08:10 on Tuesday; late since 08:53
    assert (wait.waited_seconds, wait.late_seconds) == (7 * 3600 + 32 * 60, 7 * 3600 + 17 * 60)


def test_a_touched_lead_shows_met_with_the_wait_up_to_the_touch_and_leaves_the_waiting_list(
    new_uow: NewUow,
) -> None:
    aino, ville, kalle = three_for_anna(new_uow)
    record_touch(new_uow(), person_id=ville, kind="call", occurred_at=HANDED + 900, now=NOW)
    found = {lead.person.id: lead.sla for lead in listed(new_uow, HANDED + 2000)}
    met = found[ville]
    assert met is not None and (met.status, met.waited_seconds) == ("met", 300)
    assert [lead.person.id for lead in listed(new_uow, HANDED + 2000, waiting=True)] == [kalle, aino]


def test_leads_without_a_clock_have_no_sla(new_uow: NewUow) -> None:
    set_up(new_uow, accounts=[ACME])
    raise_hand(new_uow, "aino@acme.fi")
    [lead] = listed(new_uow, NOW)
    assert lead.sla is None
    assert listed(new_uow, NOW, waiting=True) == []
