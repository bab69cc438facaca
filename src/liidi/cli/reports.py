"""`liidi report`: acceptance of handed-over leads, waste, target-account coverage and marketing value."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from liidi.cli.args import parse_moment, period_words
from liidi.cli.chart_option import ChartOpt, check_chart, write_chart
from liidi.cli.common import Column, CsvFlag, JsonFlag, Listing, console, fail, friendly, show_list, uow
from liidi.cli.report_more import targets_command, value_command, waste_command
from liidi.presentation import handover_charts
from liidi.presentation.reports import acceptance_group_rows
from liidi.services import acceptance

report_app = typer.Typer(
    help="Reports: funnel, velocity, sourced mix, score calibration, acceptance of handed-over leads, "
    "waste, target accounts and marketing value.",
    no_args_is_help=True,
)
report_app.command("waste")(waste_command)
report_app.command("targets")(targets_command)
report_app.command("value")(value_command)
When = Annotated[str | None, typer.Option(help="Epoch seconds or an ISO date/time, UTC.")]
OUTCOME_COLUMNS = (
    Column("outcome"),
    Column("reason", key=True),
    Column("to"),
    Column("count", right=True),
    Column("share", right=True),
)


@report_app.command("acceptance")
@friendly
def acceptance_command(
    since: When = None,
    until: When = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="Also per channel, lead_tool, direction, sourced_by, model or qualified_by.",
            show_default=False,
        ),
    ] = None,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
    chart: ChartOpt = None,
) -> None:
    """Of the leads moved to mql in [--since, --until): accepted, rejected by reason, waiting, sales-ready;
    with --by, the same per source or scoring model."""
    if as_json and as_csv:
        raise fail("choose one of --json and --csv", 2)
    check_chart(chart)
    start = None if since is None else parse_moment(since, "--since")
    end = None if until is None else parse_moment(until, "--until")
    report = acceptance.acceptance_report(uow(), since=start, until=end, by=by).as_dict()
    table = acceptance_group_rows(report) if by is not None else _rows(report)
    write_chart(chart, lambda: handover_charts.acceptance_chart(report), "liidi acceptance report", table)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    groups = _group_listing(report) if by is not None else None
    if as_csv:
        show_list(groups or Listing(OUTCOME_COLUMNS, _rows(report)), as_csv=True)
        return
    _print(report, _rows(report))
    if groups is not None and groups.rows:
        show_list(groups)


def _group_listing(report: dict[str, Any]) -> Listing:
    """The outcomes per group, the sales-ready share as a percentage."""
    rows = [{**r, "sales-ready": _pct(r["sales-ready"])} for r in acceptance_group_rows(report)]
    names = ("handed over", "accepted", "rejected", "waiting", "other", "sales-ready")
    columns = (
        Column(report["by"], key=True),
        *(Column(n, right=True, drop=3 if n == "other" else 0) for n in names),
    )
    return Listing(columns, rows)


def _rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per outcome, then one per rejection reason."""
    rows = [
        {"outcome": o, "reason": "", "to": "", "count": report[o]["count"], "share": _pct(report[o]["share"])}
        for o in ("accepted", "rejected", "waiting", "other")
    ]
    rows += [
        {
            "outcome": "rejected",
            "reason": r["reason"],
            "to": r["to"],
            "count": r["count"],
            "share": _pct(r["share"]),
        }
        for r in report["rejected_by_reason"]
    ]
    return rows


def _print(report: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    """A headline, the outcomes, and the rejections by reason."""
    span = period_words(report["since"], report["until"])
    console.print(
        f"Hand-overs {span}: {report['handed_over']} leads moved to mql", markup=False, highlight=False
    )
    if not report["handed_over"]:
        return
    show_list(Listing(OUTCOME_COLUMNS, rows))
    judged = report["accepted"]["count"] + report["rejected"]["count"]
    if report["sales_ready"] is not None:
        console.print(
            f"sales-ready: {_pct(report['sales_ready'])} of the {judged} leads sales judged "
            "(accepted of accepted + rejected)",
            markup=False,
            highlight=False,
        )
        console.print(f"median time to decision: {report['median_hours_to_decision']} h", markup=False)


def _pct(share: float | None) -> str:
    return "" if share is None else f"{share * 100:.1f} %"
