"""Fresh, migrated benchmark databases on SQLite or PostgreSQL, dropped again at the end of a run."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from liidi.storage import session


class Databases:
    """Creates one empty database per call and remembers the PostgreSQL ones to drop."""

    def __init__(self, pg_admin: str, workdir: Path) -> None:
        self.pg_admin = pg_admin
        self.workdir = workdir
        self.created: list[str] = []

    def fresh(self, kind: str) -> str:
        """The URL of a new migrated database of this kind (sqlite or postgresql)."""
        if kind == "sqlite":
            url = f"sqlite:///{self.workdir / f'bench-{uuid.uuid4().hex[:8]}.db'}"
        else:
            name = f"liidi_bench_{uuid.uuid4().hex[:8]}"
            with create_engine(self.pg_admin, isolation_level="AUTOCOMMIT").connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            self.created.append(name)
            url = make_url(self.pg_admin).set(database=name).render_as_string(hide_password=False)
        session.upgrade(url)
        return url

    def drop_all(self) -> None:
        """Drop every PostgreSQL database this object created."""
        if not self.created:
            return
        with create_engine(self.pg_admin, isolation_level="AUTOCOMMIT").connect() as conn:
            for name in self.created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.created.clear()
