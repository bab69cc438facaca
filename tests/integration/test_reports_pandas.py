"""The waste, target-account and marketing-value reports agree with an independent pandas computation."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from liidi.demo.generator import generate
from liidi.services import targets, waste_report
from liidi.services.demo import load_demo
from tests.report_fixture import ICP
from tests.routing_support import NewUow

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import analytics_pandas as baseline  # noqa: E402
from analytics_synth import DAY, END, tables, write  # noqa: E402

SINCE, UNTIL = END - 200 * DAY, END - 20 * DAY
ROLES = [
    {"name": "decision_maker", "seniority": ["c_level", "vp"]},
    {"name": "champion", "role": ["influencer"]},
    {"name": "technical", "title": ["engineer", "it"]},
    {"name": "finance", "title": ["finance", "cfo"]},
]


def test_every_report_matches_pandas_on_a_generated_store(engine: Engine, new_uow: NewUow) -> None:
    write(engine, tables(people=3000, seed=11, events_per_person=6))
    frames = baseline.read(engine)
    report = waste_report.waste(new_uow(), since=SINCE, until=UNTIL, now=END).as_dict()
    got = {m["measure"]: (m["count"], m["people"], m["value"]) for m in report["measures"]}
    want = baseline.waste(frames, SINCE, UNTIL, END)
    assert got.keys() == want.keys()
    for name, (count, people, value) in want.items():
        assert got[name][:2] == (count, people), name
        assert abs(got[name][2] - value) < 0.01, name
    assert got["never_worked"][0] > 0 and got["sla_missed"][0] > 0 and got["recycle_loops"][0] > 0

    targets.load_icp(new_uow(), text=ICP, source_name="icp.yaml", author="test", now=END)
    covered = targets.report(new_uow(), as_of=END - 30 * DAY)
    want_cover = baseline.targets(frames, ROLES, END - 30 * DAY, 90)
    assert {a.account_id: (a.reached, a.engaged, a.roles_reached) for a in covered.accounts} == want_cover

    value = waste_report.value(new_uow(), since=SINCE, until=UNTIL, lookback_days=60).as_dict()
    want_value = baseline.value(frames, ROLES[0], SINCE, UNTIL, 60)
    assert {k: value[k] for k in want_value} == want_value
    assert want_value["pipeline_influenced_deals"] > 0


def test_the_reports_match_pandas_on_the_demo_market(engine: Engine, new_uow: NewUow) -> None:
    end = datetime(2026, 11, 1, tzinfo=UTC)
    load_demo(new_uow(), dataset=generate(accounts=60, months=4, seed=3, end=end), now=end.timestamp())
    frames = baseline.read(engine)
    until = end.timestamp()
    since = until - 120 * DAY
    report = waste_report.waste(new_uow(), since=since, until=until, now=until).as_dict()
    got = {m["measure"]: (m["count"], m["people"], round(m["value"], 2)) for m in report["measures"]}
    want = {k: (c, p, round(v, 2)) for k, (c, p, v) in baseline.waste(frames, since, until, until).items()}
    assert got == want
    assert got["deals_lost"][0] > 0 and got["leads_lost"][0] > 0
    targets.load_icp(new_uow(), text=ICP, source_name="icp.yaml", author="test", now=until)
    covered = targets.report(new_uow(), as_of=until)
    assert {
        a.account_id: (a.reached, a.engaged, a.roles_reached) for a in covered.accounts
    } == baseline.targets(frames, ROLES, until, 90)
    assert any(a.reached for a in covered.accounts)
    value = waste_report.value(new_uow(), since=since, until=until).as_dict()
    want_value = baseline.value(frames, ROLES[0], since, until, 180)
    assert {k: value[k] for k in want_value} == want_value
    assert want_value["conversations"] > 0
