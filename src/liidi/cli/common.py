"""Shared CLI plumbing: settings, the unit of work, one-line errors and exit codes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache, wraps
from typing import Any, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

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
    """A Rich progress bar; yields the function that advances it."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    columns = (BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress("[progress.description]{task.description}", *columns, console=err_console) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n: bar.advance(task, n)
