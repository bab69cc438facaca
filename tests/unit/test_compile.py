"""The scoring compiler: SQL that parses in every dialect, named errors, snapshots, and exact semantics."""

from __future__ import annotations

import json
import os
import sqlite3
import textwrap
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import sqlglot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liidi.domain.accounts import Account
from liidi.domain.emails import email_domain
from liidi.domain.events import Event
from liidi.domain.people import BuyingRole, Person
from liidi.domain.scoring import ScoringModel, load_model_text
from liidi.engines.batch import BatchRow, ReferenceEngine
from liidi.engines.compile import DIALECTS, UnsupportedByDialect, compile_model
from liidi.engines.compile.dialects import dialect_for
from liidi.engines.compile.model import ModelCompiler
from liidi.engines.compile.regex import rewrite
from liidi.engines.layout import EVENT_COLUMNS, PEOPLE_COLUMNS
from liidi.engines.sql import DuckDBEngine, batch_rows, duckdb_tables, prepare_sqlite
from liidi.errors import LiidiError

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS = ROOT / "tests" / "snapshots" / "sql"
EXAMPLE = load_model_text((ROOT / "examples" / "scoring.yaml").read_text(encoding="utf-8"), "scoring.yaml")
AS_OF = 1_793_000_000.0  # 2026-10-26T07:33:20Z
DAY = 86400.0
COLUMNS = ["person_id", "email", "external_id", "fit", "grade", "engagement", "score", "mql", "pql"]
COLUMNS.append("hand_raiser")
EXTERNAL_IDS = {2: "crm-2", 3: "crm-3"}  # person 1: e-mail only, 2: both, 3: external id only


def model(text: str) -> ScoringModel:
    """A model from indented YAML."""
    return load_model_text(textwrap.dedent(text), "test.yaml")


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
def test_the_compiled_example_parses_back_with_one_column_per_verdict_and_rule(dialect: str) -> None:
    sql = compile_model(EXAMPLE, dialect=dialect, as_of_ts=AS_OF)
    tree = sqlglot.parse_one(sql, read=dialect_for(dialect).sqlglot)
    flags = [f"signal__{s.key}" for s in EXAMPLE.signals] + [f"product__{p.key}" for p in EXAMPLE.product]
    assert [s.alias_or_name for s in tree.selects] == COLUMNS + flags
    assert sql.count(";") == 0 and "people_flat" in sql and "events_flat" in sql


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
def test_the_example_models_sql_matches_its_snapshot(dialect: str) -> None:
    sql = compile_model(EXAMPLE, dialect=dialect, as_of_ts=AS_OF) + "\n"
    path = SNAPSHOTS / f"{dialect}.sql"
    if os.environ.get("LIIDI_UPDATE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sql, encoding="utf-8")
    assert path.exists(), f"no snapshot {path}; run with LIIDI_UPDATE_SNAPSHOTS=1"
    assert sql == path.read_text(encoding="utf-8"), "SQL changed; review, then LIIDI_UPDATE_SNAPSHOTS=1"


def test_other_tables_can_be_named_for_the_two_inputs() -> None:
    sql = compile_model(EXAMPLE, "duckdb", AS_OF, people="lake.people_v2", events="lake.events_v2")
    assert "lake.people_v2" in sql and "lake.events_v2" in sql and "people_flat" not in sql


def test_a_look_ahead_is_refused_by_duckdb_naming_the_condition_and_the_reason() -> None:
    lookahead = model(
        """
        model: m
        fit:
          - {name: cloud title, when: {person.title: {matches: '^(?=.*cloud)'}}, points: 5}
        """
    )
    with pytest.raises(UnsupportedByDialect) as raised:
        compile_model(lookahead, "duckdb", AS_OF)
    error = raised.value
    assert isinstance(error, LiidiError) and error.code == "unsupported_by_dialect"
    assert error.dialect == "duckdb" and "person.title" in error.message
    assert "RE2 has no look-ahead or look-behind" in error.message
    for dialect in ("sqlite", "postgres", "spark"):
        assert compile_model(lookahead, dialect, AS_OF)


def test_python_only_regex_syntax_compiles_only_for_sqlite_which_runs_python() -> None:
    named = model(
        """
        model: m
        engagement:
          - {name: doubled, when: {event: page_view, path: {matches: '(?P<x>a)(?P=x)'}}, points: 1}
        """
    )
    assert "(?P=x)" in compile_model(named, "sqlite", AS_OF)
    for dialect in ("postgres", "duckdb", "spark"):
        with pytest.raises(UnsupportedByDialect, match=f"^{dialect} cannot compile condition 'path: "):
            compile_model(named, dialect, AS_OF)


def test_an_unknown_dialect_and_an_unknown_node_are_named_errors() -> None:
    with pytest.raises(UnsupportedByDialect, match="unknown dialect; use one of sqlite, postgres"):
        compile_model(EXAMPLE, "oracle", AS_OF)
    compiler = ModelCompiler(EXAMPLE, dialect_for("spark"), AS_OF, "p", "e")
    with pytest.raises(UnsupportedByDialect, match="spark cannot compile dict: no visit_dict"):
        compiler.visit({})


@pytest.mark.parametrize(
    ("pattern", "target", "expected"),
    [
        (r"\b(cio|cto)\b", "are", r"\y(cio|cto)\y"),
        (r"^/(a|b)(/|$)", "are", r"^/(a|b)(/|(?=\n?$))"),
        (r"a.c[.\b]", "java", r"a[^\n]c[.\u0008]"),
        (r"(?i)x\Z", "re2", r"x\z"),
        (r"\x41\u00e4", "re2", r"\x{41}\x{e4}"),
    ],
)
def test_python_regexes_are_rewritten_to_mean_the_same(pattern: str, target: str, expected: str) -> None:
    assert rewrite(pattern, target, "test") == expected


# ── exact semantics on small, adversarial histories (SQLite and DuckDB in memory) ─────────────────────
EDGES = model(
    r"""
    model: edges
    grades: {A: 20, B: 10}
    fit:
      - {name: dm, when: {person.role: decision_maker}, points: 12}
      - {name: vip, when: {person.traits.vip: true}, points: 9.5}
      - {name: scored, when: {person.traits.score: {between: [1, 5]}}, points: 0.1}
    engagement:
      - {name: visit, when: {event: page_view, path: {starts_with: /p/}}, points: 3, decay: {half_life: 2d},
         cap: {points: 7, per: 2d, total: 11}, group: web}
      - {name: any view, when: {event: page_view}, points: 1.5, group: web, decay: {lifespan: 5d}}
      - {name: flagged, when: {event: [page_view, custom.click], flag: true}, points: 2,
         decay: {step: [{after: 1d, keep: 0.25}]}}
      - {name: text one, when: {event: custom.click, topic: "1"}, points: 1}
      - {name: number one, when: {event: custom.click, topic: 1}, points: 10}
      - {name: tagged, when: {event: custom.click, topic: {contains: a}}, points: 0.5, cap: {points: 1}}
      - {name: untopical, when: {event: custom.click, topic: {missing: true}}, points: -1.25,
         cap: {points: 2}}
      - {name: not a, when: {event: custom.click, topic: {not_in: [a, 1]}}, points: 0.3}
      - {name: shout, when: {event: custom.click, path: {matches: 'P$'}}, points: 0.7}
    groups:
      web: {cap: {points: 6, per: 3d}}
    signals:
      - name: burst
        within: 1d
        all:
          - {at_least: 2, of: {event: [page_view, custom.click]}, same: topic}
          - {at_least: 4, sum: {event: custom.click}, field: value}
        points: 4
        decay: {half_life: 1d}
        active_for: 2d
    product:
      - {name: usage, at_least: 2, of: {event: custom.click, value: {above: 1}}, within: 12h}
    hand_raisers: [{event: custom.click, path: /contact}]
    qualify:
      mql: grade >= B and (engagement > 8 or signal.burst)
      pql: product.usage and not grade in [A]
    """
)
T0 = 1_790_000_000.0
TOPICS: list[Any] = ["a", "A", "1", 1, 1.0, True, "", ["a", 1], [], None]
event_strategy = st.tuples(
    st.integers(0, 2),  # person
    st.sampled_from(["page_view", "custom.click"]),
    st.integers(0, 24),  # time on a 6-hour grid: ties and exact window edges
    st.sampled_from(["a", "B", "b", "Z", "ä", "aa"]),  # id stems, compared by code point
    st.sampled_from(["/p/x", "/q", "/contact", "/P"]),
    st.sampled_from(TOPICS),
    st.sampled_from([1, 2.5, "3", True, None]),
    st.booleans(),
)


def _people() -> dict[int, tuple[Person, Account | None]]:
    account = Account(id=1, domain="acme.fi", name="Acme", employees=40, traits={"region": "south"})
    return {
        1: (
            Person(id=1, emails=("a@acme.fi",), role=BuyingRole.DECISION_MAKER, traits={"vip": True}),
            account,
        ),
        2: (Person(id=2, emails=("b@acme.fi",), traits={"vip": "true", "score": 5}), account),
        3: (Person(id=3, traits={"score": 0.5}), None),
    }


def _flat(person: Person, account: Account | None) -> dict[str, Any]:
    """A people_flat row as the store's view makes it."""
    a = account
    return {
        "person_id": person.id,
        "email": person.email,
        "email_domain": email_domain(person.email) if person.email else None,
        "role": person.role.value,
        "seniority": person.seniority.value,
        "title": person.title,
        "consent": person.consent.value,
        "person_traits": json.dumps(person.traits),
        "account_id": a.id if a else None,
        "account_domain": a.domain if a else None,
        "account_name": a.name if a else None,
        "employees": a.employees if a else None,
        "tier": a.tier.value if a else None,
        "account_traits": json.dumps(a.traits) if a else None,
        "external_id": EXTERNAL_IDS.get(person.id),
    }


def history(raw: list[tuple[Any, ...]]) -> list[Event]:
    """Events from drawn tuples (person, type, 6-hour slot, id stem, path, topic, value, flag)."""
    events: list[Event] = []
    for n, (who, type_, slot, stem, path, topic, value, flag) in enumerate(raw):
        props: dict[str, Any] = {"path": path, "value": value, "flag": flag}
        if topic is not None:
            props["topic"] = topic
        events.append(Event(f"{stem}{n % 3}", type_, T0 + slot * 6 * 3600, T0, props, person_id=who + 1))
    return list({(e.person_id, e.event_id): e for e in events}.values())  # ids are unique per person


def flat_tables(
    people: dict[int, tuple[Person, Account | None]], events: list[Event]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The people_flat and events_flat rows the store's views would give."""
    flat_events = [
        {
            "person_id": e.person_id,
            "event_id": e.event_id,
            "type": e.type,
            "ts": e.occurred_ts,
            "properties": json.dumps(dict(e.properties)),
        }
        for e in events
    ]
    return [_flat(*pair) for pair in people.values()], flat_events


@cache
def _sql(dialect: str, as_of: float) -> str:
    return compile_model(EDGES, dialect, as_of)


def sqlite_tables(people: list[dict[str, Any]], events: list[dict[str, Any]]) -> sqlite3.Connection:
    """An in-memory SQLite with people_flat and events_flat, ready for compiled SQL."""
    conn = sqlite3.connect(":memory:")
    prepare_sqlite(conn)
    for name, columns, rows in (
        ("people_flat", PEOPLE_COLUMNS, people),
        ("events_flat", EVENT_COLUMNS, events),
    ):
        conn.execute(f"CREATE TABLE {name} ({', '.join(columns)})")
        marks = ", ".join("?" for _ in columns)
        conn.executemany(f"INSERT INTO {name} VALUES ({marks})", [[r.get(c) for c in columns] for r in rows])
    return conn


def _sqlite_rows(people: list[dict[str, Any]], events: list[dict[str, Any]], as_of: float) -> list[BatchRow]:
    cursor = sqlite_tables(people, events).execute(_sql("sqlite", as_of))
    return batch_rows([d[0] for d in cursor.description], cursor.fetchall())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.lists(event_strategy, max_size=14), step=st.sampled_from([12, 18, 25]))
def test_sqlite_and_duckdb_agree_with_the_reference_on_adversarial_histories(
    raw: list[tuple[Any, ...]], step: int
) -> None:
    as_of = T0 + step * 6 * 3600
    events = history(raw)
    people = _people()
    by_person = {p: [e for e in events if e.person_id == p] for p in people}
    expected = ReferenceEngine(people, by_person, external_ids=EXTERNAL_IDS)
    want = expected.score_many(EDGES, [as_of])[as_of]
    flat_people, flat_events = flat_tables(people, events)
    duck = DuckDBEngine(duckdb_tables(flat_people, flat_events))
    for got in (_sqlite_rows(flat_people, flat_events, as_of), duck.rows(_sql("duckdb", as_of))):
        assert len(got) == len(want)
        for a, b in zip(got, want, strict=True):
            assert (a.person_id, a.email, a.external_id, a.grade, a.mql, a.pql, a.hand_raiser, a.signals) == (
                b.person_id,
                b.email,
                b.external_id,
                b.grade,
                b.mql,
                b.pql,
                b.hand_raiser,
                b.signals,
            ), (a, b)
            assert a.fit == pytest.approx(b.fit, rel=1e-9, abs=1e-9)
            assert a.engagement == pytest.approx(b.engagement, rel=1e-9, abs=1e-9), (a, b)


SMALL_MODELS = {
    "fit only": "fit: [{name: dm, when: {person.role: decision_maker}, points: 5}]",
    "hand-raisers only": "hand_raisers: [custom.click]",
    "stage only": """
        grades: {A: 1}
        qualify: {mql: stage >= a and stage != b or grade == A}
        buying_stage: {from: topic, order: [a, b], min_events: 1, strong_events: {custom.click: b}}
    """,
    "one signal": """
        signals: [{name: s, at_least: 2, of: {event: page_view}, within: 1d}]
        qualify: {pql: not signal.s}
    """,
    "nothing": "description: empty",
}


@pytest.mark.parametrize("body", SMALL_MODELS.values(), ids=SMALL_MODELS.keys())
def test_models_with_few_sections_score_as_the_reference(body: str) -> None:
    small = model("model: small\n" + textwrap.dedent(body))
    people = _people()
    slots = [(1, "page_view", 3, "b"), (1, "page_view", 4, "a"), (2, "custom.click", 2, ["a", "b"])]
    events = [
        Event(f"e{n}", type_, T0 + slot * 6 * 3600, T0, {"topic": topic}, person_id=who)
        for n, (who, type_, slot, topic) in enumerate(slots)
    ]
    as_of = T0 + DAY * 2
    by_person = {p: [e for e in events if e.person_id == p] for p in people}
    want = ReferenceEngine(people, by_person, external_ids=EXTERNAL_IDS)
    conn = duckdb_tables(*flat_tables(people, events))
    assert DuckDBEngine(conn).score_many(small, [as_of]) == want.score_many(small, [as_of])


def test_a_product_rule_fires_in_a_window_even_when_later_negative_amounts_sink_the_persons_total() -> None:
    usage = model(
        """
        model: usage
        product:
          - {name: busy, at_least: 300, sum: {event: product_usage, metric: sent}, within: 14d, points: 10}
        qualify: {pql: product.busy}
        """
    )
    people = _people()
    amounts = {1: [300, -400], 2: [200, 50]}  # person 1: 300 in one window, -100 in all; person 2: never 300
    events = [
        Event(f"u{who}{n}", "product_usage", T0 + n * 20 * DAY, T0, {"metric": "sent", "value": v}, who)
        for who, values in amounts.items()
        for n, v in enumerate(values)
    ]
    as_of = T0 + 25 * DAY
    by_person = {p: [e for e in events if e.person_id == p] for p in people}
    want = ReferenceEngine(people, by_person, external_ids=EXTERNAL_IDS)
    expected = want.score_many(usage, [as_of])[as_of]
    assert [r.person_id for r in expected if r.pql] == [1]
    flat = flat_tables(people, events)
    assert DuckDBEngine(duckdb_tables(*flat)).score_many(usage, [as_of])[as_of] == expected
    sql = compile_model(usage, "sqlite", as_of)
    cursor = sqlite_tables(*flat).execute(sql)
    assert batch_rows([d[0] for d in cursor.description], cursor.fetchall()) == expected
