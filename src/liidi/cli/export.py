"""`liidi export`: the batch layout as Parquet files for DuckDB, Spark or any other engine."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from liidi.cli.common import console, err_console, friendly, uow
from liidi.services.export import EVENTS, PEOPLE, REPORT_RELATIONS

export_app = typer.Typer(
    help="Export the batch layout (people_flat, events_flat) as Parquet files.", no_args_is_help=True
)
ParquetOption = Annotated[
    Path,
    typer.Option("--parquet", help="Directory to write <relation>.parquet files into.", show_default=False),
]
ChunkOption = Annotated[int, typer.Option(help="Rows per chunk (and per Parquet row group).", min=1)]


@export_app.command("events")
@friendly
def export_events(
    parquet: ParquetOption,
    people: Annotated[
        bool,
        typer.Option("--people/--no-people", help="Also write people_flat.parquet from the same snapshot."),
    ] = True,
    chunk: ChunkOption = 100_000,
) -> None:
    """Write events_flat.parquet (and people_flat.parquet) from one consistent snapshot of the store."""
    _export(parquet, (PEOPLE, EVENTS) if people else (EVENTS,), chunk)


@export_app.command("people")
@friendly
def export_people(parquet: ParquetOption, chunk: ChunkOption = 100_000) -> None:
    """Write people_flat.parquet: every live person with their account's attributes."""
    _export(parquet, (PEOPLE,), chunk)


@export_app.command("history")
@friendly
def export_history(parquet: ParquetOption, chunk: ChunkOption = 100_000) -> None:
    """Write people_flat.parquet and the report relations (stages_flat, deals_flat, leads_flat,
    touches_flat, scores_flat, clocks_flat, merges_flat, accounts_flat, activity_flat) that `liidi report
    funnel|velocity|calibration|mix|waste|targets|value --engine duckdb` read."""
    _export(parquet, REPORT_RELATIONS, chunk)


def _export(directory: Path, relations: Sequence[str], chunk: int) -> None:
    """Run the export with one progress bar per relation and print what was written."""
    from liidi.services.export import export_store, parquet_path

    with _bars() as progress:
        written = export_store(uow, directory=directory, relations=relations, chunk=chunk, progress=progress)
    for relation, rows in written.items():
        console.print(
            f"{rows} rows → {parquet_path(directory, relation)}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


@contextmanager
def _bars() -> Iterator[Callable[[str, int, int], None]]:
    """Rich progress bars created as each relation starts; yields the progress callback."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TimeRemainingColumn

    columns = (BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress("[progress.description]{task.description}", *columns, console=err_console) as bar:
        tasks: dict[str, TaskID] = {}

        def advance(relation: str, rows: int, total: int) -> None:
            if relation not in tasks:
                tasks[relation] = bar.add_task(relation, total=total)
            bar.advance(tasks[relation], rows)

        yield advance
