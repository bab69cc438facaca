"""People identified by their id in the CRM, with or without an e-mail; accounts never invented."""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, text

from liidi.errors import ValidationFailed
from liidi.services.imports import import_people
from liidi.services.people import upsert_people
from liidi.services.unit_of_work import UnitOfWork
from liidi.storage.session import make_engine

Uow = Callable[[], UnitOfWork]


def _rows(engine: Engine, sql: str) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def test_people_imported_by_crm_id_alone_have_no_email_and_no_invented_account(
    new_uow: Uow, engine: Engine
) -> None:
    records = [
        {"external_id": "7927b2df-8bba", "traits": {"TotalVisits": "5"}},
        {"external_id": "2a272436-5132", "traits": {"TotalVisits": "2"}},
    ]
    first = import_people(new_uow(), records=records)
    again = import_people(new_uow(), records=records)

    assert (first.created, again.created, again.unchanged) == (2, 0, 2)
    people = _rows(engine, "SELECT email, account_id FROM people ORDER BY id")
    assert people == [(None, None), (None, None)]
    assert _rows(engine, "SELECT count(*) FROM accounts") == [(0,)]
    kinds = _rows(engine, "SELECT kind, value FROM identities ORDER BY value")
    assert kinds == [("external_id", "2a272436-5132"), ("external_id", "7927b2df-8bba")]


def test_a_crm_id_joins_the_person_already_known_by_email_and_finds_them_later(new_uow: Uow) -> None:
    (known,) = upsert_people(new_uow(), records=[{"email": "anna@firma.fi"}])
    (joined,) = upsert_people(new_uow(), records=[{"email": "anna@firma.fi", "external_id": "P-1"}])
    (found,) = upsert_people(new_uow(), records=[{"external_id": "P-1", "title": "CTO"}])

    assert (joined.person_id, joined.created) == (known.person_id, False)
    assert (found.person_id, found.created, found.changed) == (known.person_id, False, True)


def test_an_email_given_to_a_person_known_by_crm_id_is_added_to_them(new_uow: Uow, engine: Engine) -> None:
    (made,) = upsert_people(new_uow(), records=[{"external_id": "P-2"}])
    (same,) = upsert_people(new_uow(), records=[{"external_id": "P-2", "email": "bo@firma.fi"}])

    assert (same.person_id, same.created, same.changed) == (made.person_id, False, True)
    assert _rows(engine, "SELECT email FROM people") == [("bo@firma.fi",)]
    # The e-mail of a person first known only by CRM id does not file them under an account by itself.
    assert _rows(engine, "SELECT account_id FROM people") == [(None,)]


def test_a_crm_id_and_an_email_of_two_different_people_refuse_the_whole_file(
    new_uow: Uow, engine: Engine
) -> None:
    upsert_people(new_uow(), records=[{"external_id": "P-3"}, {"email": "cai@firma.fi"}])
    records = [{"external_id": "P-9"}, {"external_id": "P-3", "email": "cai@firma.fi"}]

    with pytest.raises(ValidationFailed) as refused:
        import_people(new_uow(), records=records)

    error = refused.value.errors[0]
    assert (error.field, error.value, error.index) == ("email", "cai@firma.fi", 1)
    assert "external_id P-3" in error.reason
    assert _rows(engine, "SELECT count(*) FROM people") == [(2,)]


def test_two_rows_with_one_crm_id_are_one_person_and_the_later_row_wins(new_uow: Uow, engine: Engine) -> None:
    records = [
        {"external_id": "P-4", "title": "Analyst", "traits": {"Score": "1"}},
        {"external_id": "P-4", "title": "CTO"},
    ]
    results = import_people(new_uow(), records=records)

    assert (results.records, results.created) == (2, 1)
    assert _rows(engine, "SELECT title, seniority FROM people") == [("CTO", "c_level")]


def test_a_person_without_email_is_required_to_have_a_crm_id(new_uow: Uow) -> None:
    with pytest.raises(ValidationFailed) as refused:
        import_people(new_uow(), records=[{"external_id": "P-5"}, {"first_name": "Nobody"}])

    error = refused.value.errors[0]
    assert (error.field, error.index) == ("email", 1)
    assert "email or an external_id" in error.reason


def test_accounts_come_from_an_account_column_or_a_work_domain(new_uow: Uow, engine: Engine) -> None:
    records = [
        {"external_id": "P-6", "account_name": "Acme Corporation"},
        {"external_id": "P-7", "account_name": "Acme Corporation"},
        {"external_id": "P-8", "account_external_id": "ACC-1", "account_name": "Betasoloin"},
        {"email": "dana@kivikoski.fi"},
        {"email": "eve@gmail.com"},
    ]
    import_people(new_uow(), records=records)
    import_people(new_uow(), records=records)

    accounts = _rows(engine, "SELECT name, external_id, domain FROM accounts ORDER BY name")
    assert accounts == [
        ("Acme Corporation", None, None),
        ("Betasoloin", "ACC-1", None),
        ("Kivikoski", None, "kivikoski.fi"),
    ]
    filed = _rows(
        engine,
        "SELECT coalesce(p.email, i.value), a.name FROM people p "
        "LEFT JOIN identities i ON i.person_id = p.id AND i.kind = 'external_id' "
        "LEFT JOIN accounts a ON a.id = p.account_id ORDER BY p.id",
    )
    assert filed == [
        ("P-6", "Acme Corporation"),
        ("P-7", "Acme Corporation"),
        ("P-8", "Betasoloin"),
        ("dana@kivikoski.fi", "Kivikoski"),
        ("eve@gmail.com", None),
    ]


def test_an_attribute_of_the_wrong_type_in_an_upsert_names_its_record(new_uow: Uow) -> None:
    upsert_people(new_uow(), records=[{"external_id": "P-10", "traits": {"visits": 3}}])

    with pytest.raises(ValidationFailed) as refused:
        upsert_people(
            new_uow(),
            records=[{"external_id": "P-11"}, {"external_id": "P-12", "traits": {"visits": "many"}}],
        )

    error = refused.value.errors[0]
    assert (error.field, error.value, error.index) == ("traits.visits", "many", 1)


def _import_overlapping(url: str, barrier: Any, offset: int) -> None:
    engine = make_engine(url)
    records = [
        {"external_id": f"P-{(i + offset) % 60}", "account_name": f"Company {i % 5}", "title": "CTO"}
        for i in range(60)
    ]
    barrier.wait()
    for _ in range(3):
        import_people(UnitOfWork(engine), records=records)
    engine.dispose()


def test_concurrent_imports_of_the_same_crm_ids_make_one_person_and_one_account_each(
    postgres_engine: Engine, postgres_url: str
) -> None:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(4)
    procs = [ctx.Process(target=_import_overlapping, args=(postgres_url, barrier, 15 * n)) for n in range(4)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(300)
        assert proc.exitcode == 0, "an import process failed"

    counts = _rows(
        postgres_engine,
        "SELECT (SELECT count(*) FROM people), (SELECT count(DISTINCT value) FROM identities), "
        "(SELECT count(*) FROM accounts), (SELECT count(*) FROM people WHERE account_id IS NULL)",
    )
    assert counts == [(60, 60, 5, 0)]
