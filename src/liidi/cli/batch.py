"""`liidi score`: full rescoring of everyone as of one moment by a batch engine."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from liidi.cli.args import parse_moment
from liidi.cli.common import console, err_console, friendly, uow
from liidi.cli.models import read_text
from liidi.errors import FieldError, ValidationFailed

EngineOption = Annotated[
    str,
    typer.Option(help="Batch engine: sqlite, postgres (the store), duckdb or spark (Parquet, Delta, JDBC)."),
]


@friendly
def score_command(
    model: Annotated[str, typer.Option(help="A published model's name, or a scoring model YAML file.")],
    engine: EngineOption = "duckdb",
    as_of: Annotated[
        str | None, typer.Option(help="Epoch seconds or ISO date/time (UTC when no offset); default now.")
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            help="sqlite/postgres: a database URL (default the store); duckdb/spark: a Parquet directory "
            "(default a fresh export of the store); spark also a Delta directory or a jdbc: URL.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Write DIR/batch_scores.parquet instead of the store's batch_scores table."),
    ] = None,
    master: Annotated[str, typer.Option(help="Spark master URL, e.g. spark://host:7077.")] = "local[2]",
    shuffle_partitions: Annotated[int, typer.Option(help="Spark SQL shuffle partitions.", min=1)] = 2,
    conf: Annotated[
        list[str] | None, typer.Option(help="Extra Spark configuration KEY=VALUE (repeatable).")
    ] = None,
    tables: Annotated[
        str, typer.Option(help="Spark over JDBC: the people and events tables, comma-separated.")
    ] = "people_flat,events_flat",
) -> None:
    """Rescore everyone as of a moment with a batch engine; rows go to batch_scores, or to Parquet (--out)."""
    from liidi.services import batch

    batch.check_engine(engine)
    moment = parse_moment(as_of)
    path = Path(model)
    text = read_text(path) if path.is_file() else None
    chosen = batch.choose_model(uow(), ref=model, text=text)
    spark = batch.SparkOptions(master, shuffle_partitions, _pairs(conf or []), _two(tables))
    with _display() as progress:
        done = batch.rescore_batch(
            uow,
            chosen=chosen,
            engine=engine,
            as_of=moment,
            source=source,
            out=out,
            spark=spark,
            progress=progress,
        )
    when = datetime.fromtimestamp(done.as_of, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    console.print(
        f"scored {done.people} people with {done.model_version} as of {when} on {done.engine}: "
        f"{done.qualified} qualify; written to {done.written_to}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


def _pairs(items: list[str]) -> dict[str, str]:
    """KEY=VALUE strings as a dict."""
    bad = [item for item in items if "=" not in item]
    if bad:
        raise ValidationFailed(
            [FieldError("conf", bad[0], "expected KEY=VALUE")], f"--conf {bad[0]!r}: expected KEY=VALUE"
        )
    return dict(item.split("=", 1) for item in items)  # type: ignore[misc]


def _two(value: str) -> tuple[str, str]:
    """'people,events' as a pair of table names."""
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 2 or not all(parts):
        reason = "expected two table names: PEOPLE,EVENTS"
        raise ValidationFailed([FieldError("tables", value, reason)], f"--tables {value!r}: {reason}")
    return parts[0], parts[1]


@contextmanager
def _display() -> Iterator[Callable[[str, int, int | None], None]]:
    """Rich progress: a bar per phase (export, writing) and a pulse while the engine scores."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TimeElapsedColumn

    columns = (BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress("[progress.description]{task.description}", *columns, console=err_console) as bar:
        tasks: dict[str, TaskID] = {}

        def advance(phase: str, done: int, total: int | None) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(phase, total=total)
            bar.update(tasks[phase], total=total, advance=done)

        yield advance
