"""`--chart FILE.png|FILE.html` on the report commands: checked before the report runs, written after."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from liidi.cli.common import err_console
from liidi.errors import FieldError, ValidationFailed

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ChartOpt = Annotated[
    Path | None,
    typer.Option(
        "--chart",
        help="Also write a chart: FILE.png, or FILE.html (the chart and the table, self-contained).",
        show_default=False,
    ),
]


def check_chart(path: Path | None) -> None:
    """Refuse a chart path the report cannot write (before any work is done)."""
    from liidi.presentation.charts import chart_problem

    problem = chart_problem(path) if path is not None else None
    if path is not None and problem is None and not path.parent.is_dir():
        problem = f"the folder {path.parent} does not exist"
    if problem:
        raise _refused(path, problem)


def write_chart(
    path: Path | None, draw: Callable[[], Figure], title: str, rows: list[dict[str, Any]]
) -> None:
    """Draw and write the chart when a path was given, and say where it went (on stderr, so that --json
    and --csv output stays clean)."""
    if path is None:
        return
    from liidi.presentation import charts

    try:
        charts.write_chart(path, draw(), title, rows)
    except OSError as error:
        reason = f"cannot be written: {error.strerror or error}"
        raise ValidationFailed(
            [FieldError("--chart", str(path), reason)], f"--chart {path}: {reason}"
        ) from None
    err_console.print(f"wrote {path}", markup=False, highlight=False, soft_wrap=True)


def _refused(path: Path | None, reason: str) -> ValidationFailed:
    return ValidationFailed([FieldError("--chart", str(path), reason)], f"--chart {path}: {reason}")
