"""The demo market loads through the ingestion code paths into both databases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from liidi.demo.generator import generate
from liidi.services import queries
from liidi.services.demo import load_demo
from liidi.services.unit_of_work import UnitOfWork

END = datetime(2026, 11, 1, tzinfo=UTC)


def test_the_demo_market_loads_with_stitched_visitors_deals_and_history(
    new_uow: Callable[[], UnitOfWork],
) -> None:
    dataset = generate(accounts=40, months=3, seed=5, end=END)
    result = load_demo(new_uow(), dataset=dataset, now=END.timestamp())
    counts = queries.counts(new_uow())
    assert counts["people"] == len(dataset.people) == result.people
    assert counts["events"] == len(dataset.events)
    assert counts["accounts"] >= len(dataset.accounts)
    with new_uow() as uow:
        anonymous_left = uow.conn.exec_driver_sql(
            "SELECT count(*) FROM events WHERE person_id IS NULL"
        ).scalar()
        stitched = uow.identities.people_for("anonymous", {i.anonymous_id for i in dataset.identifies})
    unidentified = sum(1 for e in dataset.events if e.anonymous_id and e.anonymous_id not in stitched)
    assert anonymous_left == unidentified
    assert len(stitched) == len({i.anonymous_id for i in dataset.identifies})


def test_loading_the_same_demo_twice_adds_nothing(new_uow: Callable[[], UnitOfWork]) -> None:
    dataset = generate(accounts=60, months=4, seed=9, end=END)
    assert dataset.opportunities and dataset.transitions
    load_demo(new_uow(), dataset=dataset, now=END.timestamp())
    before = _totals(new_uow())
    second = load_demo(new_uow(), dataset=dataset, now=END.timestamp())
    assert second.events == 0 and _totals(new_uow()) == before


def _totals(uow: UnitOfWork) -> dict[str, int]:
    with uow:
        sql = "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM opportunities), "
        row = uow.conn.exec_driver_sql(sql + "(SELECT count(*) FROM lifecycle_history)").one()
    return {"events": row[0], "opportunities": row[1], "transitions": row[2]}
