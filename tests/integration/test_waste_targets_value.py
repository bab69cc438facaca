"""The waste, target-account, marketing-value and grouped acceptance reports against hand-counted figures."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from liidi.errors import NotFound, ValidationFailed
from liidi.services import acceptance, targets, waste_report
from tests.report_fixture import DAY, ICP, T, build
from tests.routing_support import NewUow

PERIOD = {"since": T, "until": T + 30 * DAY}


def month(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m")


def test_waste_counts_each_measure_its_people_and_the_value_they_carry(
    engine: Engine, new_uow: NewUow
) -> None:
    build(engine)
    report = waste_report.waste(new_uow(), **PERIOD, now=T + 40 * DAY).as_dict()
    assert (report["handed_over"], report["won_value"], report["value_per_lead"]) == (4, 20000.0, 5000.0)
    got = {
        m["measure"]: (m["count"], m["people"], m["value"], m["estimated_value"]) for m in report["measures"]
    }
    assert got == {
        "never_worked": (3, 2, 0.0, 10000.0),
        "closed_without_reason": (1, 1, 0.0, 5000.0),
        "deals_lost_without_reason": (1, 1, 5000.0, 5000.0),
        "sla_missed": (2, 2, 5000.0, 10000.0),
        "recycle_loops": (1, 1, 0.0, 5000.0),
        "duplicates": (1, 1, 0.0, 5000.0),
        "leads_lost": (3, 2, 5000.0, 10000.0),
        "deals_lost": (2, 2, 8000.0, 10000.0),
    }
    lost = [
        (r["stage"], r["to"], r["reason"], r["count"], r["value"]) for r in report["lost_by_stage_and_reason"]
    ]
    assert lost == [
        ("mql", "disqualified", "not_a_fit", 1, 5000.0),
        ("mql", "recycled", "(none)", 1, 0.0),
        ("mql", "recycled", "timing", 1, 0.0),
        ("deal", "lost", "(none)", 1, 5000.0),
        ("deal", "lost", "price", 1, 3000.0),
    ]


def test_waste_of_a_period_with_nothing_in_it_is_all_zero(engine: Engine, new_uow: NewUow) -> None:
    build(engine)
    report = waste_report.waste(new_uow(), since=T + 100 * DAY, until=T + 101 * DAY, now=T + 200 * DAY)
    assert report.value_per_lead is None
    assert all(m.count == 0 and m.estimated_value is None for m in report.measures)


def test_a_period_that_ends_before_it_starts_is_refused(new_uow: NewUow) -> None:
    with pytest.raises(ValidationFailed) as error:
        waste_report.waste(new_uow(), since=T, until=T - 1)
    assert error.value.errors[0].field == "until"


def test_targets_report_covers_wanted_roles_per_target_account_in_the_window(
    engine: Engine, new_uow: NewUow
) -> None:
    build(engine)
    targets.load_icp(new_uow(), text=ICP, source_name="icp.yaml", author="test", now=T)
    report = targets.report(new_uow(), as_of=T + 10 * DAY).as_dict()
    assert (report["target_accounts"], report["fully_covered"], report["window_days"]) == (2, 0, 90)
    acme, beta = report["accounts"]
    assert (acme["domain"], acme["icp_fit"], acme["people"], acme["reached"], acme["engaged"]) == (
        "acme.fi",
        True,
        3,
        3,
        2,
    )
    assert acme["roles_reached"] == ["decision_maker", "champion", "technical"]
    assert (acme["roles_engaged"], acme["roles_missing"], acme["coverage"]) == (
        ["decision_maker", "champion", "technical"],
        ["finance"],
        0.75,
    )
    assert (beta["domain"], beta["icp_fit"], beta["roles_reached"], beta["coverage"]) == (
        "beta.se",
        False,
        ["decision_maker", "finance"],
        0.5,
    )
    months = {m["month"]: m["new_decision_makers"] for m in report["new_decision_makers_by_month"]}
    expected: dict[str, int] = {}
    for ts in (T + 0.5 * DAY, T + 3.5 * DAY):
        expected[month(ts)] = expected.get(month(ts), 0) + 1
    assert months == expected


def test_a_window_that_ends_before_any_contact_reaches_no_one(engine: Engine, new_uow: NewUow) -> None:
    build(engine)
    targets.load_icp(new_uow(), text=ICP, source_name="icp.yaml", author="test", now=T)
    report = targets.report(new_uow(), as_of=T - 200 * DAY)
    assert [a.reached for a in report.accounts] == [0, 0]
    assert report.new_decision_makers == []


def test_the_targets_report_needs_an_icp(new_uow: NewUow) -> None:
    with pytest.raises(NotFound):
        targets.report(new_uow())


def test_value_counts_decision_makers_conversations_and_influenced_pipeline(
    engine: Engine, new_uow: NewUow
) -> None:
    build(engine)
    report = waste_report.value(new_uow(), **PERIOD).as_dict()
    assert (
        report["decision_makers_reached"],
        report["decision_makers_engaged"],
        report["new_decision_makers"],
    ) == (3, 3, 2)
    assert (
        report["conversations"],
        report["people_in_conversation"],
        report["decision_makers_in_conversation"],
    ) == (3, 2, 2)
    assert (report["pipeline_created_deals"], report["pipeline_created_value"]) == (4, 38000.0)
    assert (report["pipeline_influenced_deals"], report["pipeline_influenced_value"]) == (3, 33000.0)
    assert (report["pipeline_marketing_sourced_deals"], report["pipeline_marketing_sourced_value"]) == (
        2,
        23000.0,
    )
    assert (report["won_influenced_deals"], report["won_influenced_value"]) == (1, 20000.0)
    assert sum(m["conversations"] for m in report["by_month"]) == 3
    assert sum(m["influenced_value"] for m in report["by_month"]) == 33000.0


def test_acceptance_by_channel_and_by_model_counts_outcomes_per_group(
    engine: Engine, new_uow: NewUow
) -> None:
    build(engine)
    report = acceptance.acceptance_report(new_uow(), by="channel", **PERIOD).as_dict()
    got = [
        (g["key"], g["handed_over"], g["accepted"], g["rejected"], g["waiting"], g["sales_ready"])
        for g in report["groups"]
    ]
    assert got == [("(none)", 2, 0, 2, 0, 0.0), ("webinar", 2, 1, 0, 1, 1.0), ("ads", 1, 0, 1, 0, 0.0)]
    assert sum(g[1] for g in got) == report["handed_over"]
    by_model = acceptance.acceptance_report(new_uow(), by="model", **PERIOD).as_dict()["groups"]
    assert [(g["key"], g["handed_over"]) for g in by_model] == [("(none)", 4), ("core@v1", 1)]


def test_most_wanted_import_sets_tiers_creates_unknown_domains_and_replaces_the_list(
    engine: Engine, new_uow: NewUow
) -> None:
    build(engine)
    done = targets.import_most_wanted(
        new_uow(),
        rows=[{"domain": "gamma.fi", "tier": "tier_3"}, {"domain": "delta.fi"}, {"account_id": "1"}],
        replace=True,
        now=T,
    )
    assert done.as_dict() == {"listed": 3, "created": 1, "changed": 1, "removed": 1}
    targets.load_icp(new_uow(), text=ICP, source_name="icp.yaml", author="test", now=T)
    report = targets.report(new_uow(), as_of=T + 10 * DAY)
    assert [(a.domain, a.tier) for a in report.accounts] == [
        ("acme.fi", "most_wanted"),
        ("delta.fi", "most_wanted"),
        ("gamma.fi", "tier_3"),
    ]


def test_a_most_wanted_list_naming_an_unknown_account_id_changes_nothing(
    engine: Engine, new_uow: NewUow
) -> None:
    build(engine)
    with pytest.raises(ValidationFailed) as error:
        targets.import_most_wanted(new_uow(), rows=[{"domain": "new.fi"}, {"account_id": 999}], now=T)
    assert (error.value.errors[0].field, error.value.errors[0].value) == ("line 3: account_id", 999)
    with new_uow() as uow:
        assert uow.accounts.by_domain("new.fi") is None
