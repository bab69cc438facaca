"""Alembic environment: runs migrations online against the configured URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import pool

from liidi.storage.session import make_engine
from liidi.storage.tables import metadata

config = context.config
url = config.get_main_option("sqlalchemy.url") or ""
connectable = make_engine(url) if url.startswith("sqlite") else None
if connectable is None:
    from sqlalchemy import create_engine

    connectable = create_engine(url, poolclass=pool.NullPool)

with connectable.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
connectable.dispose()
