"""The SLA report over clocks started by real assignments and stopped by real touches."""

from __future__ import annotations

import pytest

from liidi.errors import ValidationFailed
from liidi.services import sla_report
from liidi.services.touches import record_touch
from tests.builders import NOW
from tests.integration.test_sla_clocks import ACME, HANDED, load_example
from tests.routing_support import NewUow, raise_hand, set_up


def hand_over_three(new_uow: NewUow) -> list[int]:
    """Three hand-raisers at Acme: one touched in 5 minutes, one in 30 (late), one never."""
    set_up(new_uow, accounts=[ACME])
    load_example(new_uow)
    people = [raise_hand(new_uow, f"{name}@acme.fi") for name in ("aino", "bea", "cid")]
    record_touch(new_uow(), person_id=people[0], kind="call", occurred_at=HANDED + 300, now=NOW)
    record_touch(new_uow(), person_id=people[1], kind="email", occurred_at=HANDED + 1800, now=NOW)
    return people


def test_the_report_counts_met_late_and_breached_clocks_with_business_hour_times(new_uow: NewUow) -> None:
    hand_over_three(new_uow)
    found = sla_report.report(new_uow(), since=HANDED - 60, until=HANDED + 60, now=NOW + 3600)
    total = found.total.as_dict()
    assert (total["clocks"], total["met"], total["late"], total["breached"], total["open"]) == (3, 1, 1, 1, 0)
    assert (total["judged"], total["within_sla"], total["responded"]) == (3, 0.3333, 2)
    # 5 and 30 working minutes (Monday morning): median their mean, p90 the larger
    assert (total["median_hours"], total["p90_hours"]) == (0.29, 0.5)


def test_grouped_by_team_and_owner_the_groups_add_up_to_the_total(new_uow: NewUow) -> None:
    hand_over_three(new_uow)
    by_team = sla_report.report(new_uow(), by="team", now=NOW + 3600)
    assert [(g.key, g.clocks) for g in by_team.groups] == [("nordics", 3)]
    by_owner = sla_report.report(new_uow(), by="owner", now=NOW + 3600)
    assert sum(g.clocks for g in by_owner.groups) == 3
    assert all(g.key.endswith("@firma.fi") for g in by_owner.groups)


def test_a_clock_still_within_its_deadline_is_open_and_not_judged(new_uow: NewUow) -> None:
    hand_over_three(new_uow)
    total = sla_report.report(new_uow(), now=HANDED + 600).total
    assert (total.counts["open"], total.counts["breached"], total.judged) == (1, 0, 2)


def test_a_period_that_ends_before_it_starts_or_an_unknown_grouping_is_refused(new_uow: NewUow) -> None:
    with pytest.raises(ValidationFailed) as error:
        sla_report.report(new_uow(), since=NOW, until=NOW - 1)
    assert error.value.errors[0].field == "until"
    with pytest.raises(ValidationFailed) as error:
        sla_report.report(new_uow(), by="colour")
    assert (error.value.errors[0].field, error.value.errors[0].value) == ("by", "colour")
