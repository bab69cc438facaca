"""Fixtures: a fresh database per test on SQLite and on PostgreSQL (a new database per test run)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from liidi.services.unit_of_work import UnitOfWork
from liidi.storage import session
from liidi.storage.tables import metadata

PG_ADMIN_URL = os.environ.get(
    "LIIDI_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that each test copies."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    session.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database created for this test run, migrated, and dropped at the end."""
    name = f"liidi_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # pragma: no cover - environment problem, reported loudly
        pytest.fail(f"PostgreSQL is required for the test suite ({PG_ADMIN_URL}): {error}")
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    session.upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate(engine: Engine) -> None:
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL to an empty, migrated database; the test runs once per backend."""
    if request.param == "sqlite":
        path = tmp_path / "liidi.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    engine = session.make_engine(url)
    _truncate(engine)
    engine.dispose()
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on the test database."""
    eng = session.make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def new_uow(engine: Engine) -> Callable[[], UnitOfWork]:
    """Makes a fresh unit of work on the test database."""
    return lambda: UnitOfWork(engine)


@pytest.fixture
def postgres_engine(postgres_url: str) -> Iterator[Engine]:
    """An engine on an emptied PostgreSQL test database (for PostgreSQL-only tests)."""
    eng = session.make_engine(postgres_url)
    _truncate(eng)
    yield eng
    eng.dispose()
