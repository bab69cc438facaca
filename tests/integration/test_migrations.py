"""The migrations build exactly the schema the code declares, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from liidi.storage.session import current_revision
from liidi.storage.tables import metadata


def test_migrated_schema_matches_the_table_definitions(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_the_database_is_at_the_latest_revision(engine: Engine) -> None:
    assert current_revision(engine) == "0001"
    assert {"people", "events", "identities", "outbox", "api_keys"} <= set(inspect(engine).get_table_names())
