"""Results per track computed from enrolment outcomes, checked against figures worked out by hand."""

from __future__ import annotations

from typing import Any

from liidi.analytics.nurture import ALL, track_results

DAY = 86400.0
ORDER = ("early_interest", "need_recognised", "comparing_solutions", "deciding")


def outcome(
    track: str, status: str, reason: str | None, days: float | None, entry: str | None, latest: str | None
) -> dict[str, Any]:
    ended = None if days is None else 1_000.0 + days * DAY
    return {
        "track": track,
        "status": status,
        "exit_reason": reason,
        "enrolled_ts": 1_000.0,
        "ended_ts": ended,
        "entry_stage": entry,
        "latest_stage": latest,
    }


ROWS = [
    outcome("cloud", "exited", "qualified", 2, "early_interest", "deciding"),
    outcome("cloud", "exited", "qualified", 10, "need_recognised", "need_recognised"),
    outcome("cloud", "exited", "qualified", 4, None, "early_interest"),
    outcome("cloud", "exited", "unsubscribed", 1, "early_interest", "early_interest"),
    outcome("cloud", "active", None, None, "deciding", "early_interest"),
    outcome("cost", "completed", None, 30, None, None),
    outcome("cost", "exited", "merged", 3, None, None),
    outcome("old-track", "exited", "track_removed", 5, None, None),
]


def test_each_track_counts_its_people_by_how_they_ended_and_the_median_days_to_qualify() -> None:
    results = {r.track: r for r in track_results(ROWS, ORDER, ["cloud", "cost", "security"])}
    assert list(results) == ["cloud", "cost", "security", "old-track", ALL]
    cloud = results["cloud"]
    assert (cloud.enrolled, cloud.active, cloud.completed) == (5, 1, 0)
    assert (cloud.qualified, cloud.unsubscribed, cloud.disqualified, cloud.other_exits) == (3, 1, 0, 0)
    assert cloud.progressed == 2  # early → deciding, and none → early; a step back does not count
    assert cloud.median_days_to_qualify == 4.0 and cloud.qualified_share == 0.6
    cost = results["cost"]
    assert (cost.enrolled, cost.completed, cost.other_exits, cost.median_days_to_qualify) == (2, 1, 1, None)
    assert results["security"].enrolled == 0 and results["security"].qualified_share is None
    total = results[ALL]
    assert (total.enrolled, total.qualified, total.other_exits, total.median_days_to_qualify) == (
        8,
        3,
        2,
        4.0,
    )
    assert total.as_dict()["qualified_share"] == 3 / 8
