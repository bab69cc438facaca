"""The acceptance report: each hand-over's outcome is the next stage change after it."""

from __future__ import annotations

from liidi.analytics.acceptance import acceptance, hand_overs

H = 3600.0
ROWS = [
    (1, 100.0, "mql", None),
    (1, 100.0 + 2 * H, "sal", None),
    (2, 200.0, "mql", None),
    (2, 200.0 + 4 * H, "recycled", "not_ready"),
    (2, 900.0 * H, "mql", None),  # handed over again, later: still waiting
    (3, 300.0, "mql", None),
    (3, 300.0 + 6 * H, "disqualified", "student"),
    (4, 400.0, "mql", None),
    (5, 50.0, "lead", None),
    (5, 500.0, "mql", None),
    (5, 600.0, "lead", None),  # an imported change back to lead
]


def test_each_hand_over_is_judged_by_the_next_change_of_its_person() -> None:
    found = {(h.person_id, h.ts): h.outcome for h in hand_overs(ROWS, None, None)}
    assert found == {
        (1, 100.0): "accepted",
        (2, 200.0): "rejected",
        (2, 900.0 * H): "waiting",
        (3, 300.0): "rejected",
        (4, 400.0): "waiting",
        (5, 500.0): "other",
    }


def test_the_report_counts_shares_reasons_and_the_sales_ready_share() -> None:
    report = acceptance(ROWS).as_dict()
    assert report["handed_over"] == 6
    assert report["accepted"] == {"count": 1, "share": round(1 / 6, 4)}
    assert (
        report["rejected"]["count"] == 2 and report["waiting"]["count"] == 2 and report["other"]["count"] == 1
    )
    assert report["sales_ready"] == round(1 / 3, 4)
    assert report["median_hours_to_decision"] == 4.0
    assert [(r["reason"], r["to"], r["count"]) for r in report["rejected_by_reason"]] == [
        ("not_ready", "recycled", 1),
        ("student", "disqualified", 1),
    ]


def test_only_hand_overs_inside_the_period_count_but_their_outcome_may_come_later() -> None:
    report = acceptance(ROWS, since=150.0, until=350.0)
    assert (report.handed_over, report.accepted, report.rejected) == (2, 0, 2)


def test_a_period_without_hand_overs_has_no_shares() -> None:
    report = acceptance([], since=0.0, until=1.0).as_dict()
    assert (
        report["handed_over"] == 0 and report["accepted"]["share"] is None and report["sales_ready"] is None
    )
