"""Everyday commands start fast: they never load the chart, batch-engine or data-frame libraries."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from liidi.services.people import identify
from liidi.services.unit_of_work import UnitOfWork
from liidi.storage.session import make_engine
from tests.builders import publish
from tests.e2e.test_scores_api import MODEL

HEAVY = ("matplotlib", "duckdb", "pandas", "pyspark", "pyarrow", "sqlglot", "alembic")


def imported(args: list[str], db_url: str) -> set[str]:
    """Top-level packages a `liidi` command imports, from `python -X importtime`."""
    env = {**os.environ, "LIIDI_DATABASE_URL": db_url, "COLUMNS": "80"}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "liidi", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [
        line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")
    ]
    return {name.split(".")[0] for name in lines}


@pytest.fixture(scope="module")
def scored_db(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store with a published model and one person (imports do not depend on the backend)."""
    path = tmp_path_factory.mktemp("imports") / "liidi.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    publish(lambda: UnitOfWork(engine), MODEL)
    identify(UnitOfWork(engine), email="anna@firma.fi", traits={"title": "CTO"})
    engine.dispose()
    return f"sqlite:///{path}"


@pytest.mark.parametrize(
    "args", [["--help"], ["leads", "--all"], ["explain", "anna@firma.fi"], ["people", "list"]], ids=" ".join
)
def test_everyday_commands_do_not_import_heavy_libraries(args: list[str], scored_db: str) -> None:
    loaded = imported(args, scored_db)
    assert "liidi" in loaded and not loaded & set(HEAVY), sorted(loaded & set(HEAVY))
