"""The compiled SQL scores everyone exactly as the reference evaluator: on the store and on DuckDB."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from liidi.demo.generator import generate
from liidi.domain.scoring import ScoringModel, load_model_text
from liidi.engines.batch import BatchEngine, BatchRow, ReferenceEngine
from liidi.engines.sql import DuckDBEngine, PostgresEngine, SqliteEngine, duckdb_tables, store_rows
from liidi.services import ingest
from liidi.services.demo import load_demo
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import person_with_ids

ROOT = Path(__file__).resolve().parents[2]
END = datetime(2026, 11, 1, tzinfo=UTC).timestamp()
DAY = 86400.0
MOMENTS = [END, END - 20 * DAY, END - 75.5 * DAY, END - 150 * DAY]

# Every rule kind and operator the batch engines must reproduce; the data below is spiced to reach them.
EVERYTHING = r"""
model: parity-everything
grades: {A: 45, B: 30, C: 12}
fit:
  - {name: finnish, when: {account.country: FI}, points: 10}
  - {name: not education, when: {account.industry: {not: education}}, points: 5}
  - {name: target industry, when: {account.industry: [manufacturing, logistics, retail, finance]}, points: 7}
  - {name: not junior, when: {person.seniority: {not_in: [individual, unknown]}}, points: 6}
  - {name: mid size, when: {account.employees: {between: [50, 999]}}, points: 8}
  - {name: big, when: {account.employees: {above: 999}}, points: 3}
  - {name: tiny, when: {account.employees: {below: 20}}, points: -12.5}
  - {name: sizeable, when: {account.employees: {at_least: 200, at_most: 5000}}, points: 1.25}
  - {name: leader title, when: {person.title: {matches: '\b(head|johtaja|director|cto|cio)\b'}}, points: 9}
  - {name: no domain, when: {account.domain: {missing: true}}, points: -7}
  - {name: has title, when: {person.title: {missing: false}}, points: 0.5}
  - {name: manager title, when: {person.title: {contains: Manager}}, points: 2}
  - {name: head title, when: {person.title: {starts_with: Head}}, points: 2}
  - {name: päällikkö, when: {person.title: {ends_with: päällikkö}}, points: 3.3}
  - name: decision maker or big target
    when:
      any:
        - {person.role: decision_maker}
        - {account.employees: {at_least: 500}, account.tier: [most_wanted, tier_2]}
    points: 4
  - {name: enterprise segment, when: {person.traits.segment: enterprise}, points: 6}
  - {name: trait score, when: {person.traits.score: {at_least: 5}}, points: 2}
  - {name: trait score as text, when: {person.traits.score: "5"}, points: 1}
  - {name: vip, when: {person.traits.vip: true}, points: 11}
  - {name: not vip, when: {person.traits.vip: {not: true}}, points: 1}
  - {name: tagged a, when: {person.traits.tags: {contains: a}}, points: 2}
  - {name: tagged seven, when: {person.traits.tags: {contains: 7}}, points: 0.75}
  - {name: no tags, when: {person.traits.tags: {missing: true}}, points: -1}
  - {name: partner, when: {account.traits.partner: true}, points: 5}
  - {name: southern, when: {account.traits.region: {in: [south, east]}}, points: 2}
  - {name: not northern, when: {account.traits.region: {not_in: [north]}}, points: 0.5}
  - {name: finnish mail, when: {person.email_domain: {ends_with: .fi}}, points: 1}
engagement:
  - name: service visit
    when: {event: page_view, path: {starts_with: /palvelut/}}
    points: 3
    decay: {half_life: 14d}
    cap: {points: 30, per: 30d}
    group: web
  - name: blog
    when: {event: page_view, path: {starts_with: /blogi/}}
    points: 1
    decay: {lifespan: 60d}
    cap: {points: 4, per: 7d, total: 9}
    group: web
  - {name: any page, when: {event: page_view}, points: 0.5, group: web}
  - name: late-stage download
    when: {event: download, stage: {in: [comparing_solutions, deciding]}}
    points: 10
    decay: {step: [{after: 30d, keep: 0.5}, {after: 90d, keep: 0}]}
  - {name: e-mail open, when: {event: email_open}, points: 0.5, cap: {points: 2}}
  - name: careers
    when: {event: page_view, path: {matches: '^/(rekry|ura)(/|$)'}}
    points: -10
    decay: {lifespan: 180d}
    cap: {points: 25}
  - {name: touch of a decision maker, when: {event: sales_touch, person.role: decision_maker}, points: 2,
     decay: {half_life: 30d}}
  - name: quiz
    when: {event: custom.quiz, any: [{tags: {contains: pilvi}}, {flag: true}, {score: {above: 3}}]}
    points: 4
    group: quiz
  - {name: quiz text score, when: {event: custom.quiz, score: "5"}, points: 1, group: quiz}
  - {name: quiz without topic, when: {event: custom.quiz, topic: {missing: true}}, points: 2}
  - {name: quiz untagged, when: {event: custom.quiz, tags: {missing: true}}, points: 1.5,
     decay: {half_life: 3d}}
  - {name: quiz not cloud, when: {event: custom.quiz, topic: {not_in: [cloud, pilvi]}}, points: 0.3}
  - {name: unsubscribed, when: {event: unsubscribe}, points: -20, decay: {lifespan: 365d}}
  - {name: vip click, when: {event: [email_click, ad_click], person.traits.vip: true}, points: 3}
  - {name: southern reader, when: {event: page_view, account.traits.region: south, topic: {not: cloud}},
     points: 0.25}
groups:
  web: {cap: {points: 25, per: 30d}}
  quiz: {cap: {points: 10}}
signals:
  - name: cloud binge
    within: 7d
    all:
      - {at_least: 3, of: {event: page_view, path: {starts_with: /palvelut/pilvi/}}}
      - {at_least: 2, of: {event: [email_click, ad_click]}}
    points: 20
  - name: service binge
    within: 7d
    all:
      - {at_least: 3, of: {event: page_view, path: {starts_with: /palvelut/}}, same: service}
      - {at_least: 1, of: {event: [email_click, ad_click, email_open]}, within: 14d}
    points: 15
    decay: {half_life: 14d}
    active_for: 21d
  - name: topic focus
    at_least: 4
    of: {event: [page_view, email_click, ad_click, custom.quiz]}
    same: topic
    within: 10d
    points: 5
    decay: {lifespan: 20d}
    active_for: 20d
  - name: quiz burst
    within: 2d
    all:
      - {at_least: 2, of: {event: custom.quiz}, same: level}
      - {at_least: 6, sum: {event: custom.quiz}, field: score}
    points: -4
    decay: {step: [{after: 1d, keep: 0.5}]}
    active_for: 5d
product:
  - name: active trial team
    at_least: 300
    sum: {event: product_usage, metric: messages_sent}
    within: 14d
    points: 7
    decay: {half_life: 10d}
  - name: busy team
    at_least: 3
    of: {event: product_usage, metric: active_users, value: {at_least: 2}}
    within: 3d
hand_raisers: [contact_request, demo_request, {event: form_submit, form: contact}]
qualify:
  mql: >-
    (grade >= B and (engagement >= 25 or signal.cloud_binge or signal.service_binge))
    or (score > 70 and not signal.quiz_burst) or stage >= deciding
  pql: >-
    (product.active_trial_team or product.busy_team) and grade not in [D] and fit >= 10
    and stage not in [early_interest]
buying_stage:
  from: stage
  order: [early_interest, need_recognised, comparing_solutions, deciding]
  within: 60d
  min_events: 2
  strong_events: {demo_request: deciding, contact_request: comparing_solutions}
"""

PERSON_TRAITS: list[dict[str, Any]] = [
    {"segment": "enterprise", "score": 5, "vip": True, "tags": ["a", "b"]},
    {"segment": "smb", "score": "5", "vip": False, "tags": []},
    {"segment": "", "score": 7.5, "vip": "true", "tags": [7, "7", True]},
    {"score": True, "vip": 1, "tags": "a"},
    {"segment": "enterprise", "score": 4.999, "tags": [["a"]]},
]
ACCOUNT_TRAITS: list[dict[str, Any]] = [
    {"region": "south", "partner": True},
    {"region": "north", "partner": False},
    {"region": "east", "partner": "yes"},
    {"region": "", "partner": 1},
]
QUIZ_PROPERTIES: list[dict[str, Any]] = [
    {"tags": ["pilvi", "data"], "score": 5, "level": 1, "topic": "cloud"},
    {"tags": [], "score": "5", "level": "1", "topic": ""},
    {"flag": True, "score": 2.5, "level": 1.0},
    {"flag": "true", "score": 4, "level": True, "topic": "security", "tags": "pilvi"},
    {"tags": [True, 1, "Pilvi"], "score": None, "level": "2", "topic": "pilvi"},
]


def _spice(new_uow: Callable[[], UnitOfWork]) -> None:
    """Traits of every kind on some people and accounts; odd events (typed properties, ties, edges)."""
    rng = random.Random(3)
    with new_uow() as uow:
        ids = uow.people.live_ids(0, 100_000)
        people = uow.people.get_many(set(ids[::4]))
        accounts = sorted({p.account_id for p in people.values() if p.account_id})
        for k, pid in enumerate(sorted(people)):
            uow.people.update(pid, {"traits": PERSON_TRAITS[k % len(PERSON_TRAITS)]}, END)
        for k, aid in enumerate(accounts[::2]):
            uow.accounts.update(aid, {"traits": ACCOUNT_TRAITS[k % len(ACCOUNT_TRAITS)]}, END)
        for pid in ids[::3]:  # CRM ids on a third; the first one recorded is the one a row carries
            uow.identities.add("external_id", f"crm-{pid}", pid, END)
        for pid in ids[::9]:
            uow.identities.add("external_id", f"crm-{pid}-later", pid, END)
        uow.commit()
    for k, aid in enumerate(accounts[:3]):  # people known only by their CRM id, one without an account
        account = aid if k else None
        person_with_ids(new_uow, external_ids=(f"crm-only-{k}",), account_id=account, traits=PERSON_TRAITS[k])
    emails = [p.email for _, p in sorted(people.items()) if p.email]
    for k, email in enumerate(emails[::2]):
        ingest.track_events(new_uow(), events=_odd_events(k, email, rng), now=END + 2 * DAY)


def _odd_events(k: int, email: str, rng: random.Random) -> list[dict[str, Any]]:
    """Quizzes, same-moment page views (ids ordered by code point), edges of windows and as-of moments."""
    moment = MOMENTS[k % len(MOMENTS)]
    start = moment - rng.uniform(1, 40) * DAY
    found: list[dict[str, Any]] = []

    def add(type_: str, ts: float, props: dict[str, Any], suffix: str = "") -> None:
        key = f"odd-{k}-tie-{suffix}" if suffix else f"odd-{k}-{len(found)}"
        found.append({"id": key, "type": type_, "email": email, "occurred_at": ts, "properties": props})

    for i in range(rng.randint(2, 6)):
        add("custom.quiz", start + i * rng.uniform(0.1, 1.5) * DAY, QUIZ_PROPERTIES[(k + i) % 5])
    tie = start + 0.5 * DAY
    for suffix in ("Z", "a", "ä", "b", "B"):
        add(
            "page_view", tie, {"path": "/palvelut/pilvi/hinnat", "service": "pilvi", "topic": "cloud"}, suffix
        )
    add("email_click", moment - 7 * DAY, {"topic": "cloud"})
    add("ad_click", moment, {"topic": "cloud"})
    add(
        "page_view", moment - 7 * DAY, {"path": "/palvelut/pilvi/", "service": "pilvi", "stage": ["deciding"]}
    )
    add("page_view", moment - 3 * DAY, {"path": "/ura", "stage": ["deciding", "deciding", "early_interest"]})
    add("product_usage", moment - 2 * DAY, {"metric": "messages_sent", "value": "250"})
    add("product_usage", moment - DAY, {"metric": "messages_sent", "value": 299.5})
    add("product_usage", moment - 0.5 * DAY, {"metric": "messages_sent", "value": 0.5})
    for hours in (1, 2, 3):
        add("product_usage", moment - hours * 3600, {"metric": "active_users", "value": 2 + hours % 2})
    if k % 3 == 0:
        add("form_submit", moment + DAY, {"form": "contact"})
    return found


def _reference(new_uow: Callable[[], UnitOfWork]) -> ReferenceEngine:
    with new_uow() as uow:
        ids = set(uow.people.live_ids(0, 100_000))
        people = uow.people.get_many(ids)
        accounts = uow.accounts.get_many({p.account_id for p in people.values() if p.account_id})
        events = uow.events.for_people(ids)
        external_ids = uow.identities.first_of("external_id", ids)
    pairs = {pid: (p, accounts.get(p.account_id) if p.account_id else None) for pid, p in people.items()}
    return ReferenceEngine(pairs, events, external_ids=external_ids)


def _same(a: BatchRow, b: BatchRow) -> bool:
    """Exact ids, verdicts, grades and active signals; numbers to 1e-9 relative (1e-9 absolute near zero)."""

    def close(x: float, y: float) -> bool:
        return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9)

    def exact(r: BatchRow) -> tuple[object, ...]:
        return (r.person_id, r.email, r.external_id, r.grade, r.mql, r.pql, r.hand_raiser, r.signals)

    return exact(a) == exact(b) and all(
        close(x, y) for x, y in ((a.fit, b.fit), (a.engagement, b.engagement), (a.score, b.score))
    )


def _mismatches(engine: BatchEngine, model: ScoringModel, expected: dict[float, list[BatchRow]]) -> list[str]:
    found = engine.score_many(model, MOMENTS)
    problems = [
        f"{t}: {len(found[t])} rows, expected {len(expected[t])}"
        for t in MOMENTS
        if len(found[t]) != len(expected[t])
    ]
    for t in MOMENTS:
        problems += [
            f"{engine.name} at {t}:\n  {a}\n  {b}"
            for a, b in zip(found[t], expected[t], strict=False)
            if not _same(a, b)
        ]
    return problems


def _named(rows: list[BatchRow]) -> set[str]:
    """Which ways of naming a person the rows show (each must come out of every engine alike)."""
    kinds = {(r.email is not None, r.external_id is not None) for r in rows}
    names = {(True, False): "e-mail only", (False, True): "external id only", (True, True): "both"}
    return {names[k] for k in kinds if k in names}


def test_the_store_engine_and_duckdb_score_everyone_as_the_reference(
    new_uow: Callable[[], UnitOfWork], engine: Engine
) -> None:
    dataset = generate(accounts=150, months=6, seed=11, end=datetime.fromtimestamp(END, UTC))
    load_demo(new_uow(), dataset=dataset, now=END)
    _spice(new_uow)
    reference = _reference(new_uow)
    store: BatchEngine = SqliteEngine(engine) if engine.dialect.name == "sqlite" else PostgresEngine(engine)
    duck = DuckDBEngine(duckdb_tables(*store_rows(engine)))
    models = [
        load_model_text((ROOT / "examples" / "scoring.yaml").read_text(encoding="utf-8")),
        load_model_text(EVERYTHING),
    ]
    for model in models:
        expected = reference.score_many(model, MOMENTS)
        rows = sum(len(v) for v in expected.values())
        assert rows > 1500
        assert any(r.signals for v in expected.values() for r in v)
        assert _named(expected[END]) == {"e-mail only", "external id only", "both"}
        for batch in (store, duck):
            started = time.perf_counter()
            problems = _mismatches(batch, model, expected)
            print(f"{model.name} on {batch.name}: {rows} rows in {time.perf_counter() - started:.2f} s")
            assert not problems, "\n".join(problems[:10]) + f"\n({len(problems)} in all)"
