"""The composition root: where the API and the CLI get a database engine and migrate the schema.

Entry points reach storage only through services or this module (an import-linter contract checks it).
Storage is imported inside the functions, so importing this module stays cheap for `liidi --help`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """The SQLAlchemy engine for the store at `url`, with the connection settings liidi relies on."""
    from liidi.storage.session import make_engine as storage_engine

    return storage_engine(url, echo=echo)


def upgrade(url: str, revision: str = "head") -> None:
    """Create or migrate the store's schema to `revision`."""
    from liidi.storage.session import upgrade as storage_upgrade

    storage_upgrade(url, revision)
