"""The migrations build exactly the schema the code declares, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from liidi.storage.session import alembic_config, current_revision
from liidi.storage.tables import metadata


def test_migrated_schema_matches_the_table_definitions(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_the_database_is_at_the_latest_revision(engine: Engine) -> None:
    head = ScriptDirectory.from_config(alembic_config(str(engine.url))).get_current_head()
    assert head is not None and current_revision(engine) == head
    assert {"people", "events", "identities", "outbox", "api_keys"} <= set(inspect(engine).get_table_names())
