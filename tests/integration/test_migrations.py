"""The migrations build exactly the schema the code declares, on both databases."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url

from liidi.services import backtest_jobs
from liidi.services.unit_of_work import UnitOfWork
from liidi.storage.session import alembic_config, current_revision, make_engine, upgrade
from liidi.storage.tables import metadata
from tests.conftest import BACKENDS, PG_ADMIN_URL


def test_migrated_schema_matches_the_table_definitions(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_the_database_is_at_the_latest_revision(engine: Engine) -> None:
    head = ScriptDirectory.from_config(alembic_config(str(engine.url))).get_current_head()
    assert head is not None and current_revision(engine) == head
    assert {"people", "events", "identities", "outbox", "api_keys"} <= set(inspect(engine).get_table_names())


@pytest.fixture(params=BACKENDS)
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to a database that was never migrated, on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    name = f"liidi_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_a_job_running_before_the_runner_migration_is_failed_at_the_next_start(empty_db_url: str) -> None:
    upgrade(empty_db_url, "0004")
    engine = make_engine(empty_db_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO backtest_jobs (status, progress, params, created_ts) "
                    "VALUES ('running', 0.5, '{}', 1.0)"
                )
            )
        upgrade(empty_db_url)
        job = backtest_jobs.get_job(UnitOfWork(engine), job_id=1)
        assert (job["status"], job["runner"]) == ("running", None)
        assert backtest_jobs.fail_interrupted(UnitOfWork(engine)) == [1]
        assert backtest_jobs.get_job(UnitOfWork(engine), job_id=1)["error"] == backtest_jobs.INTERRUPTED
        command.downgrade(alembic_config(empty_db_url), "0004")
        assert "runner" not in {c["name"] for c in inspect(engine).get_columns("backtest_jobs")}
    finally:
        engine.dispose()


def test_outbox_rows_delivered_before_the_delivery_migration_are_not_delivered_again(
    empty_db_url: str,
) -> None:
    upgrade(empty_db_url, "0005")
    engine = make_engine(empty_db_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO outbox (topic, payload, created_ts, available_ts, delivered_ts) VALUES "
                    "('person.merged', '{\"survivor_id\": 1, \"merged_id\": 2}', 1.0, 1.0, 2.0), "
                    "('person.merged', '{\"survivor_id\": 3, \"merged_id\": 4}', 1.0, 1.0, NULL)"
                )
            )
        upgrade(empty_db_url, "0006")
        with UnitOfWork(engine) as uow:
            [item] = uow.outbox.claim("w1", 10, 5.0, 30.0)
            assert (item.id, item.message().payload()) == (2, {"survivor_id": 3, "merged_id": 4})
            assert uow.outbox.count(status="delivered") == 1
        command.downgrade(alembic_config(empty_db_url), "0005")
        assert "status" not in {c["name"] for c in inspect(engine).get_columns("outbox")}
    finally:
        engine.dispose()


def test_batch_scores_stored_before_the_identity_columns_get_the_persons_email_and_first_external_id(
    empty_db_url: str,
) -> None:
    upgrade(empty_db_url, "0008")
    engine = make_engine(empty_db_url)
    people = "INSERT INTO people (id, email, traits, created_ts, updated_ts) VALUES (:id, :email, '{}', 1, 1)"
    ids = "INSERT INTO identities (id, kind, value, person_id, created_ts) VALUES (:id, :kind, :value, :p, 1)"
    rows = (
        "INSERT INTO batch_scores (person_id, model, as_of_ts, model_version, fit, engagement, score, mql, "
        "pql, hand_raiser, signals, scored_ts) VALUES (:p, 'core', 1, 'core@v1', 0, 0, 0, false, false, "
        "false, '[]', 1)"
    )
    try:
        with engine.begin() as conn:
            conn.execute(text(people), [{"id": 1, "email": "a@firma.fi"}, {"id": 2, "email": None}])
            conn.execute(
                text(ids),
                [
                    {"id": 1, "kind": "email", "value": "a@firma.fi", "p": 1},
                    {"id": 3, "kind": "external_id", "value": "crm-2-first", "p": 2},
                    {"id": 4, "kind": "external_id", "value": "crm-2-second", "p": 2},
                ],
            )
            conn.execute(text(rows), [{"p": 1}, {"p": 2}])
        upgrade(empty_db_url, "0009")
        with engine.connect() as conn:
            stored = conn.execute(text("SELECT person_id, email, external_id FROM batch_scores")).all()
        assert sorted(tuple(r) for r in stored) == [(1, "a@firma.fi", None), (2, None, "crm-2-first")]
        command.downgrade(alembic_config(empty_db_url), "0008")
        assert "external_id" not in {c["name"] for c in inspect(engine).get_columns("batch_scores")}
    finally:
        engine.dispose()
