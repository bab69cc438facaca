"""Export the store's batch layout (people_flat, events_flat) as Parquet files for any batch engine."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from liidi.engines.layout import EVENTS, PEOPLE
from liidi.engines.layout import parquet_path as parquet_path
from liidi.engines.layout_history import HISTORY_COLUMNS
from liidi.services.unit_of_work import UnitOfWork

RELATIONS = (PEOPLE, EVENTS)
REPORT_RELATIONS = (PEOPLE, *HISTORY_COLUMNS)
Progress = Callable[[str, int, int], None]
"""Called with (relation, rows written just now, the relation's total rows)."""


def export_store(
    new_uow: Callable[[], UnitOfWork],
    *,
    directory: Path,
    relations: Sequence[str] = RELATIONS,
    chunk: int = 100_000,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Write each relation from one read snapshot of the store to DIR/<relation>.parquet; rows written."""
    from liidi.engines.export import export_layout

    return export_layout(new_uow().engine, directory, relations=relations, chunk=chunk, progress=progress)
