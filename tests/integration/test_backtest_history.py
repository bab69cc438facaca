"""Backtests over imported, dated history: real outcome dates, and nobody scored before they existed.

The fixture is a CRM's 2016 as a team would import it: people with their creation dates, dated stage
changes, deals won and lost with their close dates, and dated page views. Every figure asserted below is
computed by hand in the comments, step by step (steps every 28 days from 2016-01-04, horizon 90 days).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from liidi.errors import ValidationFailed
from liidi.services import backtest
from liidi.services.accounts import upsert_accounts
from liidi.services.history import import_deals, import_history
from liidi.services.imports import import_events, import_people
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import NOW

NewUow = Callable[[], UnitOfWork]

# Grade A at a software company, and an MQL after one page view.
ENGAGED = """model: engaged
grades: {A: 60, B: 40, C: 20}
fit:
  - {name: software company, when: {account.industry: software}, points: 60}
engagement:
  - {name: page view, when: {event: page_view}, points: 10}
qualify:
  mql: grade >= A and engagement >= 10
"""
# Grade A alone: everyone at a software company qualifies the moment they exist.
FIT_ONLY = """model: fit-only
grades: {A: 60, B: 40, C: 20}
fit:
  - {name: software company, when: {account.industry: software}, points: 60}
qualify:
  mql: grade >= A
"""

# email, industry, created_at ("" = not known: created when imported, in 2026)
PEOPLE = [
    ("ann@a1.example", "software", "2015-11-01"),
    ("bo@a2.example", "software", "2016-02-10"),
    ("cy@a3.example", "software", "2016-05-01"),
    ("dee@a4.example", "software", "2016-01-20"),
    ("eve@a5.example", "retail", "2015-12-01"),
    ("fay@a6.example", "software", "2017-01-10"),
    ("gus@a7.example", "software", ""),
]
PAGE_VIEWS = [
    ("ann@a1.example", "2015-12-10"),
    ("bo@a2.example", "2016-03-01"),
    ("cy@a3.example", "2016-05-10"),
    ("dee@a4.example", "2016-01-25"),
    ("eve@a5.example", "2016-01-15"),
    ("gus@a7.example", "2016-03-05"),
]
STAGES = [
    ("ann@a1.example", "mql", "2015-12-10"),
    ("ann@a1.example", "sql", "2016-01-20"),
    ("ann@a1.example", "opportunity", "2016-02-05"),
    ("ann@a1.example", "customer", "2016-03-15"),
    ("bo@a2.example", "sql", "2016-04-10"),
    ("bo@a2.example", "opportunity", "2016-04-20"),
    ("bo@a2.example", "recycled", "2016-06-01"),
    ("cy@a3.example", "sql", "2016-06-10"),
    ("cy@a3.example", "opportunity", "2016-07-01"),
    ("cy@a3.example", "customer", "2016-08-01"),  # no deal in the file: the win is in the history only
    ("dee@a4.example", "disqualified", "2016-03-01"),
    ("eve@a5.example", "sql", "2016-02-01"),
    ("eve@a5.example", "opportunity", "2016-02-15"),
    ("eve@a5.example", "customer", "2016-04-01"),
    ("fay@a6.example", "opportunity", "2017-02-01"),
    ("gus@a7.example", "sql", "2016-04-15"),
]
DEALS = [
    {"external_id": "D1", "email": "ann@a1.example", "stage": "Won", "created_at": "2016-02-05",
     "closed_at": "2016-03-15", "amount": "1054"},
    {"external_id": "D2", "email": "bo@a2.example", "stage": "Lost", "created_at": "2016-04-20",
     "closed_at": "2016-06-01", "lost_reason": "price"},
    {"external_id": "D5", "email": "eve@a5.example", "stage": "Won", "created_at": "2016-02-15",
     "closed_at": "2016-04-01", "amount": "550"},
]  # fmt: skip


def load_history(new_uow: NewUow) -> None:
    """The fixture, through the same imports `liidi import` uses."""
    accounts = [
        {"domain": email.split("@")[1], "name": email.split("@")[1], "industry": industry}
        for email, industry, _ in PEOPLE
    ]
    upsert_accounts(new_uow(), records=accounts, now=NOW)
    people = [
        {"email": email, "account_domain": email.split("@")[1]} | ({"created_at": at} if at else {})
        for email, _, at in PEOPLE
    ]
    import_people(new_uow(), records=people, now=NOW)
    views = [{"type": "page_view", "email": e, "occurred_at": f"{at}T12:00:00Z"} for e, at in PAGE_VIEWS]
    views.append({"type": "sales_touch", "email": "bo@a2.example", "occurred_at": "2016-04-05T00:00:00Z"})
    import_events(new_uow(), records=views, now=NOW)
    changes = [{"email": e, "to": stage, "occurred_at": at, "actor": "crm"} for e, stage, at in STAGES]
    import_history(new_uow(), records=changes, now=NOW)
    import_deals(new_uow(), records=DEALS, now=NOW)


def run(new_uow: NewUow, engine: str, **window: Any) -> dict[str, Any]:
    engaged = backtest.side_from_text(ENGAGED, "engaged.yaml")
    fit_only = backtest.side_from_text(FIT_ONLY, "fit-only.yaml")
    params = backtest.check_params(
        **({"start": "2016-01-04", "end": "2016-06-20"} | window),
        every="28d",
        horizon="90d",
        engine=engine,
        new_uow=new_uow,
    )
    result = backtest.run_backtest(new_uow, new=engaged, against=fit_only, params=params)
    result.pop("timing")
    result["params"].pop("engine")
    return result


def day(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def engines_of(new_uow: NewUow) -> list[str]:
    with new_uow() as uow:
        dialect = uow.conn.dialect.name
    return ["reference", "sqlite" if dialect == "sqlite" else "postgres"]


def test_a_backtest_of_imported_history_counts_real_outcome_dates_and_nobody_before_they_existed(
    new_uow: NewUow,
) -> None:
    load_history(new_uow)
    reports = [run(new_uow, engine) for engine in engines_of(new_uow)]
    assert reports[0] == reports[1]
    result = reports[0]
    assert result["params"]["steps"] == 7  # Jan 4, Feb 1, Feb 29, Mar 28, Apr 25, May 23, Jun 20
    engaged, fit_only = result["models"]["new"], result["models"]["against"]

    # Engaged MQLs at the first step after their page view: ann Jan 4 (the opening stock), dee Feb 1,
    # bo and gus Mar 28, cy May 23. Within 90 days: ann sql, opportunity and the won deal D1; dee nothing;
    # bo sql and opportunity (D2 lost); gus sql; cy sql, opportunity and the move to customer on Aug 1.
    assert [(s["date"], s["mqls"]) for s in engaged["per_step"] if s["mqls"]] == [
        ("2016-01-04", 1),
        ("2016-02-01", 1),
        ("2016-03-28", 2),
        ("2016-05-23", 1),
    ]
    assert engaged["totals"]["opening_mqls"] == 1
    assert engaged["precision"] == {
        "flagged": 5,
        "sql": {"count": 4, "share": 4 / 5},
        "opportunity": {"count": 3, "share": 3 / 5},
        "won": {"count": 2, "share": 2 / 5},
    }

    # Grade A alone flags each software person at the first step they exist: ann Jan 4, dee (created
    # Jan 20) Feb 1, bo (Feb 10) Feb 29, gus (no creation date, first page view Mar 5) Mar 28, cy (May 1)
    # May 23; fay, created in 2017, never. The same outcomes as above: bo's come within 90 days of Feb 29.
    assert [(s["date"], s["mqls"]) for s in fit_only["per_step"] if s["mqls"]] == [
        ("2016-01-04", 1),
        ("2016-02-01", 1),
        ("2016-02-29", 1),
        ("2016-03-28", 1),
        ("2016-05-23", 1),
    ]
    assert fit_only["precision"]["won"] == {"count": 2, "share": 2 / 5}
    assert fit_only["precision"]["sql"]["count"] == 4 and fit_only["precision"]["opportunity"]["count"] == 3

    # Person-steps from each person's arrival: ann 7, bo 5 (from Feb 29), cy 2, dee 6, eve 7, fay 0,
    # gus 4 = 31. Followed within 90 days by an opportunity (a move to opportunity or customer, or a
    # deal): ann Jan 4, Feb 1, Feb 29 (customer Mar 15); bo Feb 29, Mar 28; cy May 23, Jun 20; eve Jan 4,
    # Feb 1, Feb 29, Mar 28 (customer Apr 1) = 11. Base rate 11 / 31.
    for side in (engaged, fit_only):
        assert sum(b["person_steps"] for b in side["lift"]["bands"]) == 31
        assert sum(b["positives"] for b in side["lift"]["bands"]) == 11
        assert side["lift"]["base_rate"] == pytest.approx(11 / 31)

    # Deals created in the window: D1 (won), D5 (won) and D2; eve (retail) was never flagged.
    assert engaged["recall"]["opportunity"]["flagged"] == 2 and engaged["recall"]["opportunity"]["total"] == 3
    assert (engaged["recall"]["won"]["flagged"], engaged["recall"]["won"]["total"]) == (1, 2)
    # bo's sales touch on Apr 5 came 8 days after his MQL step on Mar 28.
    assert engaged["days_gained"]["median"] == pytest.approx(8.0) and engaged["days_gained"]["touched"] == 1


def test_without_a_window_the_backtest_spans_the_imported_history(new_uow: NewUow) -> None:
    load_history(new_uow)
    result = run(new_uow, "reference", start=None, end=None)
    # From the first arrival (ann, created 2015-11-01) to the latest record (fay's opportunity on
    # 2017-02-01) less the 90-day horizon: 2016-11-03; every 28 days, 14 steps.
    assert (result["params"]["from"], result["params"]["to"]) == (
        "2015-11-01T00:00:00Z",
        "2016-11-03T00:00:00Z",
    )
    assert result["params"]["steps"] == 14
    assert result["outcomes_until"] == "2017-02-01T00:00:00Z"
    assert day("2016-11-03") + 90 * 86400 == day("2017-02-01")


def test_a_window_is_required_when_the_store_holds_no_history(new_uow: NewUow) -> None:
    with pytest.raises(ValidationFailed) as caught:
        backtest.check_params(start="2016-01-04", new_uow=new_uow)
    assert [(e.field, e.value) for e in caught.value.errors] == [("to", None)]
