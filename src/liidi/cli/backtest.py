"""`liidi backtest`: replay history through two scoring models and compare who they would have flagged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from liidi.cli.common import console, friendly, progress_bar, uow
from liidi.cli.models import read_text

if TYPE_CHECKING:
    from liidi.services.backtest import Side


@friendly
def backtest_command(
    model: Annotated[str, typer.Option(help="The new model: a YAML file, or a stored version like core@v3.")],
    start: Annotated[
        str | None,
        typer.Option(
            "--from", help="The first step: a date (2026-06-01) or ISO time, UTC. Default: the first arrival."
        ),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--to", help="No step after this. Default: the latest record less the horizon."),
    ] = None,
    against: Annotated[
        str, typer.Option(help="'published' (the new model's published version), a YAML file, or name@vN.")
    ] = "published",
    every: Annotated[str, typer.Option(help="Time between steps: 36h, 7d, 2w.")] = "7d",
    horizon: Annotated[str, typer.Option(help="How long after a step outcomes count.")] = "90d",
    capacity: Annotated[
        float | None, typer.Option(help="Leads sales can take per week, to compare volumes with.")
    ] = None,
    engine: Annotated[
        str, typer.Option(help="Batch engine: reference, sqlite, postgres, duckdb or spark.")
    ] = "reference",
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the result as JSON here.")] = None,
    html_out: Annotated[
        Path | None, typer.Option("--html", help="Write a self-contained HTML report.")
    ] = None,
    png_out: Annotated[Path | None, typer.Option("--png", help="Write the chart as a PNG image.")] = None,
) -> None:
    """Backtest a scoring change: MQLs per week, precision, recall, days gained and lift of both models."""
    # The replay engines and the chart library load only for a backtest, not for every command.
    from liidi.presentation import backtest as report
    from liidi.services import backtest

    params = backtest.check_params(
        start=start, end=end, every=every, horizon=horizon, capacity=capacity, engine=engine, new_uow=uow
    )
    new = _side(model, field="model")
    other = _side(against, field="against", name=new.model.name)
    with progress_bar(f"replaying {len(params.window().steps())} steps", 100) as advance:
        result = backtest.run_backtest(uow, new=new, against=other, params=params, progress=_percent(advance))
    console.print(report.terminal(result))
    for path, content in ((json_out, report.to_json), (html_out, report.html_page)):
        if path is not None:
            path.write_text(content(result), encoding="utf-8")
            console.print(f"wrote {path}", markup=False, highlight=False)
    if png_out is not None:
        png_out.write_bytes(report.png(result))
        console.print(f"wrote {png_out}", markup=False, highlight=False)


def _side(ref: str, *, field: str, name: str | None = None) -> Side:
    """A model from a YAML file when the path exists, else a stored version or 'published'."""
    from liidi.services import backtest

    if ref != "published" and (Path(ref).is_file() or ref.endswith((".yaml", ".yml"))):
        return backtest.side_from_text(read_text(Path(ref)), ref)
    return backtest.pick_model(uow(), ref=ref, name=name, field=field)


def _percent(advance: Callable[[int], None]) -> Callable[[float], None]:
    """Turn a share of the work done into whole-percent steps of a progress bar."""
    done = [0]

    def tell(share: float) -> None:
        now = int(share * 100)
        if now > done[0]:
            advance(now - done[0])
            done[0] = now

    return tell
