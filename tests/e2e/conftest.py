"""An app on the test database with an admin and an ingest key."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner

from liidi.api.app import create_app
from liidi.cli import common
from liidi.config import Settings
from liidi.services.keys import create_key
from liidi.services.unit_of_work import UnitOfWork


@dataclass
class Api:
    """A test client with ready-made auth headers."""

    client: TestClient
    admin: dict[str, str]
    ingest: dict[str, str]


@pytest.fixture
def api(engine: Engine, db_url: str) -> Iterator[Api]:
    settings = Settings(database_url=db_url, max_body_bytes=200_000)
    admin = create_key(UnitOfWork(engine), scope="admin").secret
    ingest = create_key(UnitOfWork(engine), scope="ingest").secret
    with TestClient(create_app(settings, engine)) as client:
        yield Api(client, {"Authorization": f"Bearer {admin}"}, {"Authorization": f"Bearer {ingest}"})


@pytest.fixture
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """A CLI runner whose commands use the test database and print for an 80-column terminal."""
    monkeypatch.setenv("LIIDI_DATABASE_URL", db_url)
    for console in (common.console, common.err_console):
        monkeypatch.setattr(console, "_width", 80)
    common.settings.cache_clear()
    common.engine.cache_clear()
    yield CliRunner()
    if common.engine.cache_info().currsize:
        common.engine().dispose()
    common.settings.cache_clear()
    common.engine.cache_clear()
