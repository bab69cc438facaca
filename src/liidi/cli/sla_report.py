"""`liidi sla report`: of the response clocks started in a period, met in time, late, breached, open."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from liidi.cli.args import parse_moment, period_words
from liidi.cli.chart_option import ChartOpt, check_chart, write_chart
from liidi.cli.common import Column, CsvFlag, JsonFlag, Listing, console, fail, show_list, uow
from liidi.presentation import handover_charts
from liidi.services import sla_report

When = Annotated[str | None, typer.Option(help="Epoch seconds or an ISO date/time, UTC.")]
By = Annotated[
    str | None,
    typer.Option("--by", help="Group by owner, team, motion or month (UTC).", show_default=False),
]
Wide = Annotated[bool, typer.Option("--wide", help="Show every column, however wide.")]
NUMBERS = (
    Column("clocks", right=True),
    Column("met", right=True),
    Column("late", right=True, drop=1),
    Column("breached", right=True),
    Column("open", right=True, drop=2),
    Column("closed", right=True, drop=3),
    Column("in SLA", right=True),
    Column("median h", right=True),
    Column("p90 h", right=True),
)


def sla_report_command(
    since: When = None,
    until: When = None,
    by: By = None,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
    wide: Wide = False,
    chart: ChartOpt = None,
) -> None:
    """Clocks started in [--since, --until): met within the SLA, late, breached and still waiting, open;
    the share within the SLA and the median and p90 response time in business hours."""
    if as_json and as_csv:
        raise fail("choose one of --json and --csv", 2)
    check_chart(chart)
    start = None if since is None else parse_moment(since, "--since")
    end = None if until is None else parse_moment(until, "--until")
    report = sla_report.report(uow(), since=start, until=end, by=by)
    data = report.as_dict()
    key = report.by or "group"
    rows = [_row(key, g) for g in [*data["groups"], data["total"]]]
    write_chart(chart, lambda: handover_charts.sla_chart(data), "liidi SLA report", rows)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    listing = Listing((Column(key, key=True), *NUMBERS), rows)
    if as_csv:
        show_list(listing, as_csv=True)
        return
    console.print(
        f"SLA clocks started {period_words(start, end)}: {report.total.clocks}", markup=False, highlight=False
    )
    if report.total.clocks:
        show_list(listing, wide=wide)


def _row(key: str, group: dict[str, Any]) -> dict[str, Any]:
    share = group["within_sla"]
    return {
        key: group["key"],
        **{name: group[name] for name in ("clocks", "met", "late", "breached", "open", "closed")},
        "in SLA": "" if share is None else f"{share * 100:.0f}%",
        "median h": group["median_hours"],
        "p90 h": group["p90_hours"],
    }
