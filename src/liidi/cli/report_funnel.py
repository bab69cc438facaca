"""`liidi report funnel|velocity|calibration|mix`: the funnel, its speed and the score's calibration."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from liidi.cli.args import parse_moment
from liidi.cli.chart_option import ChartOpt, check_chart, write_chart
from liidi.cli.common import Column, CsvFlag, JsonFlag, Listing, WideFlag, console, fail, show_list, uow
from liidi.cli.engine_option import EngineOption, ParquetOption
from liidi.domain.reports import DIMENSIONS, FUNNEL_STAGES
from liidi.presentation import funnel as rows

From = Annotated[
    str | None,
    typer.Option("--from", "--since", help="Start (included): epoch seconds or an ISO date/time, UTC."),
]
To = Annotated[
    str | None,
    typer.Option("--to", "--until", help="End (excluded): epoch seconds or an ISO date/time, UTC."),
]
By = Annotated[
    str | None, typer.Option("--by", help=f"Group by {', '.join(DIMENSIONS)}.", show_default=False)
]
STAGE_COLUMNS = tuple(
    Column(rows.stage_label(s), right=True, drop=1 if s == "subscriber" else 0) for s in FUNNEL_STAGES
)
DEAL_COLUMNS = (
    *(Column(n, right=True, drop=d) for n, d in (("deals", 0), ("open", 2), ("won", 0), ("lost", 0))),
    Column("win rate", right=True),
    Column("won amount", right=True),
    Column("pipeline", right=True, drop=1),
)
VELOCITY_COLUMNS = (
    Column("measure", key=True),
    Column("n", right=True),
    Column("median d", right=True),
    Column("mean d", right=True, drop=1),
)
MIX_COLUMNS = tuple(
    Column(n, key=n == "sourced", right=n != "sourced")
    for n in ("sourced", "people", "share", "opps", "opp share", "won amount", "won share")
)


def _moments(since: str | None, until: str | None) -> tuple[float | None, float | None]:
    start = None if since is None else parse_moment(since, "--from")
    end = None if until is None else parse_moment(until, "--to")
    return start, end


def _check_chart(chart: Path | None, as_json: bool, as_csv: bool) -> None:
    if as_json and as_csv:
        raise fail("choose one of --json and --csv", 2)
    check_chart(chart)


def _chart(chart: Path | None, kind: str, data: Any, title: str, table: list[dict[str, Any]]) -> None:
    from liidi.presentation import funnel_chart

    write_chart(chart, lambda: getattr(funnel_chart, f"{kind}_chart")(data), title, table)


def _show(title: str, listing: Listing, wide: bool) -> None:
    console.print(title, markup=False, highlight=False)
    show_list(listing, wide=wide)


def funnel_command(
    by: By = None,
    since: From = None,
    until: To = None,
    engine: EngineOption = None,
    parquet: ParquetOption = None,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
    chart: ChartOpt = None,
    wide: WideFlag = False,
) -> None:
    """People arrived in [--from, --to) by group: how many reached each stage and each step's conversion;
    deals created then: won, lost, win rate and amounts."""
    _check_chart(chart, as_json, as_csv)
    start, end = _moments(since, until)
    from liidi.services import funnel_reports

    report = funnel_reports.funnel_report(uow(), by=by, since=start, until=end, engine=engine, files=parquet)
    data, key = report.as_dict(), by or "group"
    volume = rows.funnel_rows(data, key)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif as_csv:
        show_list(Listing((Column(key, key=True), *STAGE_COLUMNS), volume), as_csv=True)
    else:
        first = Column(key, key=True)
        _show("People reaching each stage", Listing((first, *STAGE_COLUMNS), volume), wide)
        steps = Listing((first, *STAGE_COLUMNS[1:]), rows.conversion_rows(data, key))
        _show("Conversion from the stage before", steps, wide)
        _show("Deals", Listing((first, *DEAL_COLUMNS), rows.deal_rows(data, key)), wide)
    _chart(chart, "funnel", data, f"Funnel by {key}", volume)


def velocity_command(
    by: By = None,
    since: From = None,
    until: To = None,
    engine: EngineOption = None,
    parquet: ParquetOption = None,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
    chart: ChartOpt = None,
    wide: WideFlag = False,
) -> None:
    """Days in each stage, from mql to the first sales touch, and from deal to close (n, median, mean),
    for what started in [--from, --to)."""
    _check_chart(chart, as_json, as_csv)
    start, end = _moments(since, until)
    from liidi.services import funnel_reports

    report = funnel_reports.velocity_report(
        uow(), by=by, since=start, until=end, engine=engine, files=parquet
    )
    data, key = report.as_dict(), by or "group"
    table = rows.velocity_rows(data, key)
    listing = Listing((Column(key, key=True), *VELOCITY_COLUMNS), table)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif as_csv:
        show_list(listing, as_csv=True)
    else:
        _show("Velocity (days)", listing, wide)
        untouched = ", ".join(f"{k}: {n}" for k, n in data["untouched"].items()) or "none"
        console.print(f"MQLs never touched: {untouched}", markup=False, highlight=False)
    _chart(chart, "velocity", data, f"Velocity by {key}", table)


def calibration_command(
    model: Annotated[
        str | None, typer.Option("--model", help="Only this model (default: every model).")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Use each model's latest batch run at or before this moment."),
    ] = None,
    band: Annotated[float, typer.Option("--band", help="Width of a score band.")] = 20.0,
    engine: EngineOption = None,
    parquet: ParquetOption = None,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
    chart: ChartOpt = None,
    wide: WideFlag = False,
) -> None:
    """Of the people a model's batch run scored (liidi score), the share reaching sql, opportunity and
    customer afterwards, by score band and by grade."""
    _check_chart(chart, as_json, as_csv)
    moment = None if as_of is None else parse_moment(as_of, "--as-of")
    from liidi.services import funnel_reports

    report = funnel_reports.calibration_report(
        uow(), model=model, as_of=moment, band=band, engine=engine, files=parquet
    )
    data = report.as_dict()
    targets = tuple(Column(f"→{rows.stage_label(t)}", right=True) for t in data["targets"])
    first = (Column("model", key=True, drop=1), Column("band", key=True), Column("people", right=True))
    bands = Listing((*first, *targets), rows.calibration_rows(data, "bands"))
    grades = Listing(
        (first[0], Column("grade", key=True), *first[2:], *targets), rows.calibration_rows(data, "grades")
    )
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif as_csv:
        show_list(bands, as_csv=True)
    elif not data["bands"]:
        console.print("No batch scores yet: run `liidi score --model M --as-of DATE` first.", markup=False)
    else:
        _show("Conversion after the run by score band", bands, wide)
        _show("By grade", grades, wide)
    _chart(chart, "calibration", data, "Score calibration", bands.rows)


def mix_command(
    since: From = None,
    until: To = None,
    engine: EngineOption = None,
    parquet: ParquetOption = None,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
    chart: ChartOpt = None,
    wide: WideFlag = False,
) -> None:
    """The sourced mix of people arrived in [--from, --to): sales- vs marketing-sourced shares of people,
    opportunities and won amount."""
    _check_chart(chart, as_json, as_csv)
    start, end = _moments(since, until)
    from liidi.services import funnel_reports

    mix = funnel_reports.mix_report(uow(), since=start, until=end, engine=engine, files=parquet)
    table = rows.mix_rows(mix)
    listing = Listing(MIX_COLUMNS, table, items=mix)
    if as_json or as_csv:
        show_list(listing, as_json=as_json, as_csv=as_csv)
    else:
        _show("Sourced mix", listing, wide)
    _chart(chart, "mix", mix, "Sourced mix", table)
