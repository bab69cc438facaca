"""`liidi report waste|targets|value`: where leads are lost, target-account coverage, marketing value."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from liidi.cli.args import parse_moment, period_words
from liidi.cli.chart_option import ChartOpt, check_chart, write_chart
from liidi.cli.common import Column, CsvFlag, JsonFlag, Listing, console, fail, friendly, show_list, uow
from liidi.cli.report_funnel import EngineOption, ParquetOption
from liidi.domain.events import from_epoch
from liidi.presentation import report_chart
from liidi.presentation.reports import money, pct, targets_rows, value_rows, waste_rows
from liidi.services import targets, waste_report

When = Annotated[str | None, typer.Option(help="Epoch seconds or an ISO date/time, UTC.")]
Wide = Annotated[bool, typer.Option("--wide", help="Show every column, however wide.")]
FIGURES = (
    Column("count", right=True),
    Column("people", right=True, drop=2),
    Column("value", right=True),
    Column("estimated", right=True, drop=1),
)
WASTE_COLUMNS = (
    Column("measure", key=True),
    Column("stage", table=False),
    Column("to", table=False),
    Column("reason", table=False),
    *FIGURES,
)
LOST_COLUMNS = (Column("stage"), Column("to"), Column("reason", key=True), *FIGURES)
TARGET_COLUMNS = (
    Column("domain", key=True),
    Column("tier", drop=4),
    Column("icp", drop=5),
    Column("people", right=True, drop=3),
    Column("reached", right=True),
    Column("engaged", right=True, drop=2),
    Column("roles", right=True, data=False),
    Column("roles engaged", right=True, drop=6, data=False),
    Column("roles reached", table=False),
    Column("engaged roles", table=False),
    Column("missing", least=14),
    Column("coverage", right=True, drop=1),
)
VALUE_COLUMNS = (Column("measure", key=True), Column("count", right=True), Column("value", right=True))


def _say(line: str) -> None:
    console.print(line, markup=False, highlight=False)


def _period(since: str | None, until: str | None) -> tuple[float | None, float | None]:
    start = None if since is None else parse_moment(since, "--since")
    end = None if until is None else parse_moment(until, "--until")
    return start, end


def _span(report: dict[str, Any]) -> str:
    """The report's period in words."""
    return period_words(report["since"], report["until"])


def _chart(path: Path | None, kind: str, report: dict[str, Any]) -> None:
    """Write the chart as PNG or HTML, by the file's suffix."""
    title = f"liidi {kind} report"
    write_chart(path, lambda: report_chart.chart(kind, report), title, report_chart.rows_of(kind, report))


def _emit(
    report: dict[str, Any], listing: Listing, *, as_json: bool, as_csv: bool, wide: bool, headline: list[str]
) -> None:
    """JSON, CSV, or the headline lines and the table."""
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    elif as_csv:
        show_list(listing, as_csv=True)
    else:
        for line in headline:
            _say(line)
        if listing.rows:
            show_list(listing, wide=wide)


@friendly
def waste_command(
    since: When = None,
    until: When = None,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
    chart: ChartOpt = None,
    wide: Wide = False,
    engine: EngineOption = None,
    parquet: ParquetOption = None,
) -> None:
    """Leads never worked, closed without a reason, SLA misses, recycle loops, duplicates and losses by
    stage and reason in [--since, --until), with the pipeline value they carry (docs/analytics.md); on
    the store, or with --engine duckdb over a layout directory (--parquet)."""
    if as_json and as_csv:
        raise fail("choose one of --json and --csv", 2)
    check_chart(chart)
    start, end = _period(since, until)
    report = waste_report.waste(uow(), since=start, until=end, engine=engine, files=parquet).as_dict()
    _chart(chart, "waste", report)
    rows = [
        {
            **r,
            "value": money(r["value"]) if not as_csv else r["value"],
            "estimated": money(r["estimated"]) if not as_csv else r["estimated"],
        }
        for r in waste_rows(report)
    ]
    per_lead = money(report["value_per_lead"]) or "-"
    headline = [
        f"Waste {_span(report)}: {report['handed_over']} leads handed over, won value "
        f"{money(report['won_value'])}, {per_lead} per lead handed over"
    ]
    measures = [r for r in rows if not r["stage"]]
    _emit(
        report,
        Listing(WASTE_COLUMNS, measures if not as_csv else rows),
        as_json=as_json,
        as_csv=as_csv,
        wide=wide,
        headline=headline,
    )
    lost = [r for r in rows if r["stage"]]
    if lost and not (as_json or as_csv):
        _say("lost by stage and reason:")
        show_list(Listing(LOST_COLUMNS, lost), wide=wide)


@friendly
def targets_command(
    as_of: When = None,
    months: Annotated[int, typer.Option(help="Months of newly reached decision makers to show.")] = 12,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
    chart: ChartOpt = None,
    wide: Wide = False,
    engine: EngineOption = None,
    parquet: ParquetOption = None,
) -> None:
    """Per target account (the Most Wanted list), the buying-group roles of the ICP reached and engaged in
    its rolling window up to --as-of, and the decision makers newly reached per month; on the store, or
    with --engine duckdb over a layout directory (--parquet)."""
    if as_json and as_csv:
        raise fail("choose one of --json and --csv", 2)
    check_chart(chart)
    moment = None if as_of is None else parse_moment(as_of, "--as-of")
    report = targets.report(uow(), as_of=moment, months=months, engine=engine, files=parquet).as_dict()
    _chart(chart, "targets", report)
    wanted = len(report["roles_wanted"])
    rows = [
        {
            **r,
            "roles": f"{len(r['roles reached'])}/{wanted}",
            "roles engaged": f"{len(r['engaged roles'])}/{wanted}",
            "coverage": pct(r["coverage"]) if not as_csv else r["coverage"],
        }
        for r in targets_rows(report)
    ]
    months_line = ", ".join(
        f"{m['month']}: {m['new_decision_makers']}" for m in report["new_decision_makers_by_month"]
    )
    headline = [
        f"Target accounts ({report['icp']}), {report['window_days']} days to "
        f"{from_epoch(report['as_of']):%Y-%m-%d}: "
        f"{report['target_accounts']}, every wanted role reached at {report['fully_covered']}",
        f"roles wanted: {', '.join(report['roles_wanted'])}",
        f"newly reached decision makers: {months_line or 'none'}",
    ]
    _emit(report, Listing(TARGET_COLUMNS, rows), as_json=as_json, as_csv=as_csv, wide=wide, headline=headline)


@friendly
def value_command(
    since: When = None,
    until: When = None,
    lookback_days: Annotated[
        int, typer.Option(help="Days before a deal in which marketing activity counts as influence.")
    ] = 180,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
    chart: ChartOpt = None,
    wide: Wide = False,
    engine: EngineOption = None,
    parquet: ParquetOption = None,
) -> None:
    """Marketing's value in [--since, --until): decision makers reached and engaged, conversations held,
    pipeline influenced and marketing-sourced (docs/analytics.md); on the store, or with --engine duckdb
    over a layout directory (--parquet)."""
    if as_json and as_csv:
        raise fail("choose one of --json and --csv", 2)
    check_chart(chart)
    start, end = _period(since, until)
    report = waste_report.value(
        uow(), since=start, until=end, lookback_days=lookback_days, engine=engine, files=parquet
    ).as_dict()
    _chart(chart, "value", report)
    rows = [{**r, "value": money(r["value"]) if not as_csv else r["value"]} for r in value_rows(report)]
    headline = [f"Marketing value {_span(report)} (influence: {report['lookback_days']} days before a deal)"]
    _emit(report, Listing(VALUE_COLUMNS, rows), as_json=as_json, as_csv=as_csv, wide=wide, headline=headline)
