"""`liidi report acceptance`: what sales did with the leads handed over in a period."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from liidi.cli.args import parse_moment
from liidi.cli.common import Column, CsvFlag, JsonFlag, Listing, console, fail, friendly, show_list, uow
from liidi.services import acceptance

report_app = typer.Typer(
    help="Reports: acceptance of handed-over leads, funnel, velocity, sourced mix, score calibration.",
    no_args_is_help=True,
)
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
    since: When = None, until: When = None, as_json: JsonFlag = False, as_csv: CsvFlag = False
) -> None:
    """Of the leads moved to mql in [--since, --until): accepted, rejected by reason, waiting, sales-ready."""
    if as_json and as_csv:
        raise fail("choose one of --json and --csv", 2)
    start = None if since is None else parse_moment(since, "--since")
    end = None if until is None else parse_moment(until, "--until")
    report = acceptance.acceptance_report(uow(), since=start, until=end).as_dict()
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    rows = _rows(report)
    if as_csv:
        show_list(Listing(OUTCOME_COLUMNS, rows), as_csv=True)
        return
    _print(report, rows)


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
    span = f"{_day(report['since'], 'the start')} … {_day(report['until'], 'now')}"
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


def _day(ts: float | None, default: str) -> str:
    return default if ts is None else datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M")
