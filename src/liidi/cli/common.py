"""Shared CLI plumbing: settings, the unit of work, one-line errors, exit codes and list output."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, wraps
from typing import Annotated, Any, TypeVar

import typer
from pydantic import ValidationError
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from sqlalchemy import Engine
from sqlalchemy.exc import DataError, OperationalError

from liidi.bootstrap import make_engine
from liidi.config import Settings
from liidi.errors import Conflict, LiidiError, NotFound, Unauthorized, ValidationFailed
from liidi.services.unit_of_work import UnitOfWork

console = Console()
err_console = Console(stderr=True)

EXIT_CODES: list[tuple[type[LiidiError], int]] = [
    (ValidationFailed, 65),
    (NotFound, 66),
    (Conflict, 67),
    (Unauthorized, 77),
]
F = TypeVar("F", bound=Callable[..., Any])


def exit_code_for(error: LiidiError) -> int:
    """The process exit code for a liidi error."""
    return next((code for kind, code in EXIT_CODES if isinstance(error, kind)), 1)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a one-line reason to stderr and return the Exit to raise."""
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def friendly(func: F) -> F:
    """Turn liidi, settings and database errors into a one-line message and a non-zero exit."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ValidationFailed as error:
            for item in error.errors[1:6]:
                err_console.print(f"  {escape(item.one_line())}", highlight=False, soft_wrap=True)
            raise fail(error.message, exit_code_for(error)) from None
        except LiidiError as error:
            raise fail(error.message, exit_code_for(error)) from None
        except ValidationError as error:
            first = error.errors()[0]
            raise fail(f"invalid setting {first['loc']}: {first['msg']}", 78) from None
        except OperationalError as error:
            raise fail(f"database error: {str(error.orig).splitlines()[0]}", 69) from None
        except (DataError, OverflowError) as error:
            raise fail(f"a value is out of range: {str(error).splitlines()[0]}", 65) from None

    return wrapper  # type: ignore[return-value]


@cache
def settings() -> Settings:
    """Settings from the environment (LIIDI_*)."""
    return Settings()


@cache
def engine() -> Engine:
    """The engine for the configured database."""
    return make_engine(settings().database_url)


def uow() -> UnitOfWork:
    """A fresh unit of work."""
    return UnitOfWork(engine())


@contextmanager
def progress_bar(description: str, total: int) -> Iterator[Callable[[int], None]]:
    """A Rich progress bar, shown from the first step on (a refusal before any work prints no bar)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    columns = (BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    bar = Progress("[progress.description]{task.description}", *columns, console=err_console)
    task = bar.add_task(description, total=total)

    def advance(n: int) -> None:
        if not bar.live.is_started:
            bar.start()
        bar.advance(task, n)

    try:
        yield advance
    finally:
        if bar.live.is_started:
            bar.stop()


JsonFlag = Annotated[bool, typer.Option("--json", help="Print the rows as JSON instead of a table.")]
CsvFlag = Annotated[
    bool, typer.Option("--csv", help="Print the rows as CSV (with a header) instead of a table.")
]
WideFlag = Annotated[
    bool, typer.Option("--wide", help="Show every column, even when the table is wider than the terminal.")
]


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a list: `key` columns (what a user pastes next) are never cut or wrapped.

    Other columns wrap down to `least` characters; when the table still does not fit the terminal, the
    columns with the highest `drop` are left out first (0: never left out). `table` and `data` say
    whether the column is in the table and in CSV. A table cell longer than `most` (0: no limit) is cut
    with '…'; CSV and JSON keep it whole.
    """

    name: str
    key: bool = False
    drop: int = 0
    right: bool = False
    least: int = 8
    table: bool = True
    data: bool = True
    most: int = 0


@dataclass(frozen=True, slots=True)
class Listing:
    """Rows for a list command: flat cells for the table and CSV, and optionally richer JSON items."""

    columns: tuple[Column, ...]
    rows: list[dict[str, Any]]
    items: list[dict[str, Any]] | None = None
    title: str | None = None


def show_list(listing: Listing, *, as_json: bool = False, as_csv: bool = False, wide: bool = False) -> None:
    """Print a list as a table fitted to the terminal, or as JSON or CSV for scripts."""
    if as_json and as_csv:
        raise fail("choose one of --json and --csv", 2)
    if as_json:
        columns = [c.name for c in listing.columns if c.data]
        rows = [{name: row.get(name) for name in columns} for row in listing.rows]
        items = listing.items if listing.items is not None else rows
        typer.echo(json.dumps(items, ensure_ascii=False, indent=2, default=str))
    elif as_csv:
        typer.echo(_csv_text(listing), nl=False)
    else:
        _print_table(listing, wide)


def _csv_text(listing: Listing) -> str:
    """Every column, lists joined with '; '."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = [c for c in listing.columns if c.data]
    writer.writerow([c.name for c in columns])
    for row in listing.rows:
        writer.writerow([_cell(row.get(c.name)) for c in columns])
    return out.getvalue()


def _cell(value: Any) -> str:
    """A value as table or CSV text."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    return str(value)


def _shown(row: dict[str, Any], column: Column) -> str:
    """A table cell's text, cut to the column's `most` characters."""
    text = _cell(row.get(column.name))
    return text[: column.most - 1] + "…" if column.most and len(text) > column.most else text


GAP = 2  # a column separator and one space of padding


def _print_table(listing: Listing, wide: bool) -> None:
    """The table with the columns that fit (all with --wide), naming any left out."""
    columns = tuple(c for c in listing.columns if c.table)
    natural = {c.name: _natural(listing, c) for c in columns}
    shown = list(columns) if wide else _fitting(columns, natural)
    widths = natural if wide else _squeezed(shown, natural)
    table = _table(listing, shown, widths)
    hidden = [c.name for c in columns if c not in shown]
    if hidden:
        table.caption = f"hidden: {', '.join(hidden)} (--wide shows them)"
    total = sum(widths[c.name] for c in shown) + GAP * (len(shown) - 1)
    out = console
    if wide and total > console.width:
        out = Console(
            file=console.file,
            width=total,
            force_terminal=console.is_terminal,
            color_system=console.color_system,  # type: ignore[arg-type]
            no_color=console.no_color,
        )
    out.print(table, crop=not wide)


def _natural(listing: Listing, column: Column) -> int:
    """The width a column needs to show every cell on one line (its name may wrap between words)."""
    cells = [cell_len(_shown(row, column)) for row in listing.rows]
    return max([*cells, *(cell_len(word) for word in column.name.split())])


def _least(column: Column, natural: dict[str, int]) -> int:
    """The narrowest a column may get: keys never shrink."""
    return natural[column.name] if column.key else min(natural[column.name], column.least)


def _fitting(columns: tuple[Column, ...], natural: dict[str, int]) -> list[Column]:
    """Leave out the most droppable columns until the narrowest table fits the console."""
    shown = list(columns)
    while sum(_least(c, natural) for c in shown) + GAP * (len(shown) - 1) > console.width:
        droppable = [c for c in shown if c.drop]
        if not droppable:
            break
        shown.remove(max(droppable, key=lambda c: c.drop))
    return shown


def _squeezed(shown: list[Column], natural: dict[str, int]) -> dict[str, int]:
    """Column widths that fit the console, narrowing the columns with the most room to give."""
    widths = {c.name: natural[c.name] for c in shown}
    excess = sum(widths.values()) + GAP * (len(shown) - 1) - console.width
    while excess > 0:
        room = max(shown, key=lambda c: widths[c.name] - _least(c, natural))
        if widths[room.name] <= _least(room, natural):
            break
        widths[room.name] -= 1
        excess -= 1
    return widths


def _table(listing: Listing, columns: list[Column], widths: dict[str, int]) -> Table:
    """A compact Rich table of fixed column widths; cells are plain text, never markup."""
    table = Table(
        title=listing.title, box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True
    )
    for c in columns:
        table.add_column(
            c.name,
            width=widths[c.name],
            no_wrap=c.key,
            overflow="fold",
            justify="right" if c.right else "left",
        )
    for row in listing.rows:
        table.add_row(*(Text(_shown(row, c)) for c in columns))
    return table
