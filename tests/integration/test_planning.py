"""The planner over a hand-computed history: measured rates, intervals, lags, stored plans and actuals."""

from __future__ import annotations

import pytest

from liidi.errors import NotFound, ValidationFailed
from liidi.services import imports, planning
from liidi.services.history import import_history
from tests.builders import NOW
from tests.planning_support import NewUow, load_history

DEC = 1_795_000_000.0  # 2026-11-18, before December 2026


def test_rates_deal_size_and_lags_are_measured_from_the_dated_history(new_uow: NewUow) -> None:
    load_history(new_uow)
    plan = planning.make_plan(new_uow(), revenue=60000, period="2026-12", now=NOW).plan
    rates = plan.as_dict()["rates"]
    assert {n: (r["fraction"], r["successes"], r["trials"], r["source"]) for n, r in rates.items()} == {
        "contact_to_meeting": ("2/5", 4, 10, "measured"),
        "meeting_to_proposal": ("1/2", 2, 4, "measured"),
        "win_rate": ("2/3", 2, 3, "measured"),
    }
    assert (rates["contact_to_meeting"]["ci_low"], rates["contact_to_meeting"]["ci_high"]) == (0.1682, 0.6873)
    assert (rates["win_rate"]["ci_low"], rates["win_rate"]["ci_high"]) == (0.2077, 0.9385)
    assert (plan.deal_size.value, plan.deal_size.source, plan.deal_size.basis) == (20000, "measured", 2)
    assert plan.lags is not None and plan.lags.as_dict() == {
        "contact_to_meeting": 5.0,
        "meeting_to_proposal": 15.0,
        "proposal_to_deal": 25.0,
    }


def test_the_measured_plan_needs_25_contacts_for_60000_euros_by_17_october(new_uow: NewUow) -> None:
    load_history(new_uow)
    data = planning.make_plan(new_uow(), revenue="60000", period="2026-12", now=NOW).as_dict()
    assert [data[s] for s in ("deals", "proposals", "meetings", "contacts")] == [3, 5, 10, 25]
    assert data["needed_by"] == {
        "deals": "2026-12-01",
        "proposals": "2026-11-06",
        "meetings": "2026-10-22",
        "contacts": "2026-10-17",
    }


def test_given_rates_win_over_measured_ones_and_the_seed_still_comes_out_exactly(new_uow: NewUow) -> None:
    load_history(new_uow)
    plan = planning.make_plan(
        new_uow(),
        revenue="50000",
        deal_size="10000",
        win_rate="20%",
        meeting_to_proposal="1/3",
        contact_to_meeting="0.2",
        now=NOW,
    ).plan
    assert plan.counts.as_dict() == {"contacts": 375, "meetings": 75, "proposals": 25, "deals": 5}
    assert {r.source for r in plan.rates.values()} == {"given"} and plan.deal_size.source == "given"


def test_a_window_without_contacts_names_the_option_to_give_instead(new_uow: NewUow) -> None:
    load_history(new_uow)
    with pytest.raises(ValidationFailed) as error:
        planning.make_plan(new_uow(), revenue=60000, since=1_770_336_000.0, until=DEC, now=NOW)
    assert error.value.errors[0].field == "contact_to_meeting"
    assert "--contact-to-meeting" in error.value.message


def test_without_history_a_left_out_rate_is_refused_naming_its_option(new_uow: NewUow) -> None:
    with pytest.raises(ValidationFailed) as error:
        planning.make_plan(new_uow(), revenue=50000, deal_size=10000, win_rate="20%", now=NOW)
    assert [e.field for e in error.value.errors] == ["contact_to_meeting", "meeting_to_proposal"]
    assert "(give --contact-to-meeting, --meeting-to-proposal)" in error.value.message


def test_a_saved_plan_is_listed_replaced_on_saving_again_and_shown_with_its_actuals(new_uow: NewUow) -> None:
    load_history(new_uow)
    first = planning.make_plan(new_uow(), revenue=60000, period="2026-03", save=True, now=NOW)
    again = planning.make_plan(new_uow(), revenue=80000, period="2026-03", save=True, now=NOW)
    assert (first.saved, first.replaced, again.saved, again.replaced) == (True, False, True, True)
    assert [(p["period"], p["revenue"]) for p in planning.list_plans(new_uow())] == [("2026-03", 80000)]
    mid_march = 1_773_532_800.0  # 2026-03-15T00:00Z: 14 of 31 days gone
    shown = planning.show_plan(new_uow(), "2026-03", now=mid_march)
    stages = {s["stage"]: s for s in shown["progress"]["stages"]}
    assert (stages["deals"]["planned"], stages["deals"]["actual"]) == (4, 2)
    assert (stages["proposals"]["actual"], stages["revenue"]["actual"]) == (2, 40000.0)
    assert stages["deals"]["reached"] == 0.5 and shown["progress"]["elapsed"] == round(14 / 31, 4)
    assert stages["deals"]["status"] == "ahead" and stages["contacts"]["status"] == "behind"


def test_february_actuals_count_each_person_once_per_stage(new_uow: NewUow) -> None:
    load_history(new_uow)
    planning.make_plan(new_uow(), revenue=60000, period="2026-02", save=True, now=NOW)
    shown = planning.show_plan(new_uow(), "2026-02", now=NOW)
    actual = {s["stage"]: s["actual"] for s in shown["progress"]["stages"]}
    assert actual == {"revenue": 0.0, "contacts": 10, "meetings": 4, "proposals": 2, "deals": 0}


def test_showing_a_period_without_a_plan_is_not_found(new_uow: NewUow) -> None:
    with pytest.raises(NotFound):
        planning.show_plan(new_uow(), "2026-12")


def test_people_imported_as_leads_are_contacts_from_their_creation(new_uow: NewUow) -> None:
    load_history(new_uow)
    records = [{"email": f"i{i}@firma.fi", "created_at": "2026-02-10T09:00:00Z"} for i in range(1, 6)]
    imports.import_people(new_uow(), records=records, now=NOW)
    move = {"email": "i1@firma.fi", "to": "sal", "occurred_at": "2026-02-20T09:00:00Z"}
    import_history(new_uow(), records=[move], now=NOW)
    plan = planning.make_plan(new_uow(), revenue=60000, period="2026-12", now=NOW).plan
    rate = plan.rates["contact_to_meeting"]
    # 10 moved to lead + 5 created as leads; 4 + 1 reached a meeting after 2, 4, 6, 10 and 10 days
    assert (rate.successes, rate.trials) == (5, 15)
    assert plan.lags is not None and plan.lags.contact_to_meeting == 6.0
    planning.make_plan(new_uow(), revenue=60000, period="2026-02", save=True, now=NOW)
    shown = planning.show_plan(new_uow(), "2026-02", now=NOW)
    actual = {s["stage"]: s["actual"] for s in shown["progress"]["stages"]}
    assert (actual["contacts"], actual["meetings"]) == (15, 5)
