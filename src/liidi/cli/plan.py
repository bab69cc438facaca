"""`liidi plan`: a period's revenue target worked back to deals, proposals, meetings and contacts."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

import typer

from liidi.cli.args import parse_moment
from liidi.cli.chart_option import ChartOpt, check_chart, write_chart
from liidi.cli.common import Column, CsvFlag, JsonFlag, Listing, console, fail, friendly, show_list, uow
from liidi.cli.engine_option import EngineOption, ParquetOption
from liidi.cli.plan_show import euros as _euros
from liidi.cli.plan_show import plan_list_command, plan_show_command
from liidi.domain.periods import day_of, parse_period
from liidi.domain.planning import STAGES, parse_count, parse_money, parse_rate
from liidi.errors import ValidationFailed
from liidi.presentation.plan_chart import plan_chart
from liidi.services import planning

plan_app = typer.Typer(
    help="The reverse funnel: how many contacts, meetings, proposals and deals a revenue target needs. "
    "Rates left out are measured from the dated history.",
    invoke_without_command=True,
    no_args_is_help=True,
)
plan_app.command("list")(plan_list_command)
plan_app.command("show")(plan_show_command)
MAPPING = "contacts = lead/MQL, meetings = SAL/SQL, proposals = opportunities, deals = won"
MEASURES = ("successes", "trials", "ci_low", "ci_high")
RATE_OF = {"contacts": "contact_to_meeting", "meetings": "meeting_to_proposal", "proposals": "win_rate"}
COLUMNS = (
    Column("stage", key=True),
    Column("needed", key=True, right=True),
    Column("by", key=True),
    Column("converts", right=True),
    Column("source", least=10),
)
CSV_COLUMNS = (
    *COLUMNS[:4],
    Column("fraction"),
    Column("source"),
    Column("successes", right=True),
    Column("trials", right=True),
    Column("ci_low", right=True),
    Column("ci_high", right=True),
)


def _checked(check: Callable[[str, str], object], field: str) -> Callable[[str | None], str | None]:
    """A Typer callback refusing a bad value as a usage error (exit 2) with the reason."""

    def callback(value: str | None) -> str | None:
        if value is not None:
            try:
                check(value, field)
            except ValidationFailed as error:
                raise typer.BadParameter(f"{value!r}: {error.errors[0].reason}") from None
        return value

    return callback


def _option(name: str, field: str, check: Callable[[str, str], object], help_text: str) -> Any:
    return typer.Option(name, help=help_text, callback=_checked(check, field), show_default=False)


RATE_HELP = "(20%, 0.2, 1/3 or '1 in 3'; default: measured from history)"
Revenue = Annotated[str | None, _option("--revenue", "revenue", parse_money, "Revenue target in euros.")]
Deals = Annotated[
    str | None,
    _option("--deals", "deals", parse_count, "Target as a number of won deals instead of revenue."),
]
DealSize = Annotated[
    str | None,
    _option("--deal-size", "deal_size", parse_money, "Average deal in euros (default: mean won deal)."),
]
WinRate = Annotated[
    str | None, _option("--win-rate", "win_rate", parse_rate, f"Share of proposals won {RATE_HELP}.")
]
MeetingRate = Annotated[
    str | None,
    _option(
        "--meeting-to-proposal",
        "meeting_to_proposal",
        parse_rate,
        f"Share of meetings that become proposals {RATE_HELP}.",
    ),
]
ContactRate = Annotated[
    str | None,
    _option(
        "--contact-to-meeting",
        "contact_to_meeting",
        parse_rate,
        f"Share of contacts that get a meeting {RATE_HELP}.",
    ),
]
Period = Annotated[
    str | None,
    _option(
        "--period",
        "period",
        parse_period,
        "2026-12, 2026-Q1 or 2026 (default: this month).",
    ),
]
Since = Annotated[
    str | None,
    typer.Option(
        "--from", help="Measure rates from this date (default: 12 months before --to).", show_default=False
    ),
]
Until = Annotated[
    str | None,
    typer.Option(
        "--to", help="Measure rates up to this date (default: the latest stored history).", show_default=False
    ),
]
Save = Annotated[
    bool, typer.Option("--save", help="Store the plan for its period (replacing an earlier one).")
]


@plan_app.callback()
@friendly
def plan_command(
    ctx: typer.Context,
    revenue: Revenue = None,
    deals: Deals = None,
    deal_size: DealSize = None,
    win_rate: WinRate = None,
    meeting_to_proposal: MeetingRate = None,
    contact_to_meeting: ContactRate = None,
    period: Period = None,
    since: Since = None,
    until: Until = None,
    save: Save = False,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
    engine: EngineOption = None,
    parquet: ParquetOption = None,
    chart: ChartOpt = None,
) -> None:
    """Work a revenue target (or a number of deals) back to the contacts it needs, with when they are
    needed; `plan list` and `plan show PERIOD` read stored plans."""
    if ctx.invoked_subcommand is not None:
        return
    if as_json and as_csv:
        raise fail("choose one of --json and --csv", 2)
    check_chart(chart)
    planned = planning.make_plan(
        uow(),
        revenue=revenue,
        deals=deals,
        deal_size=deal_size,
        win_rate=win_rate,
        meeting_to_proposal=meeting_to_proposal,
        contact_to_meeting=contact_to_meeting,
        period=period,
        since=None if since is None else parse_moment(since, "--from"),
        until=None if until is None else parse_moment(until, "--to"),
        save=save,
        engine=engine,
        files=parquet,
    )
    data = planned.as_dict()
    write_chart(chart, lambda: plan_chart(data), "liidi plan", plan_rows(data, True))
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    rows = plan_rows(data, as_csv)
    if as_csv:
        show_list(Listing(CSV_COLUMNS, rows), as_csv=True)
        return
    _print(data, rows)


def plan_rows(data: dict[str, Any], raw: bool = False) -> list[dict[str, Any]]:
    """One row per stage, from contacts to deals, with the rate on to the next stage."""
    rows = []
    for stage in STAGES:
        rate = data["rates"][RATE_OF[stage]] if stage in RATE_OF else None
        rows.append(
            {
                "stage": stage,
                "needed": data[stage] if raw else f"{data[stage]:,}",
                "by": data["needed_by"].get(stage) or "",
                "converts": "" if rate is None else rate["percent"],
                "fraction": "" if rate is None else rate["fraction"],
                "source": "" if rate is None else _source(rate),
                **({} if rate is None else {k: rate[k] for k in MEASURES}),
            }
        )
    return rows


def _source(rate: dict[str, Any]) -> str:
    """'given', or 'measured 4/10, 95% CI 17–69%'."""
    if rate["source"] == "given":
        return "given"
    low, high = rate["ci_low"] * 100, rate["ci_high"] * 100
    digits = 1 if high < 10 else 0
    return f"measured {rate['successes']:,}/{rate['trials']:,}, 95% CI {low:.{digits}f}–{high:.{digits}f}%"


def _print(data: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    """The target, the table, the sentence, when the contacts are needed and where measures came from."""
    size = _euros(data["deal_size"])
    basis = "given"
    if data["deal_size_source"] == "measured":
        basis = f"mean of {data['deal_size_basis']:,} won deals"
    _say(f"Plan for {data['period']}: {data['deals']:,} deals of {size} ({basis})")
    dated = any(row["by"] for row in rows)
    show_list(Listing(tuple(c for c in COLUMNS if dated or c.name != "by"), rows))
    _say(data["sentence"])
    contacts_by = data["needed_by"].get("contacts")
    if contacts_by:
        _say(f"Contacts needed by {contacts_by} for deals closing in {data['period']}.")
    measured = data["deal_size_source"] == "measured" or any(
        r["source"] == "measured" for r in data["rates"].values()
    )
    if data["window"] is not None and (measured or contacts_by):
        window = data["window"]
        lags = data["lags_days"]
        _say(f"measured from {day_of(window['since'])} to {day_of(window['until'])}")
        _say(MAPPING)
        _say(
            "median days: contact → meeting {contact_to_meeting}, meeting → proposal "
            "{meeting_to_proposal}, proposal → won {proposal_to_deal}".format(
                **{k: "?" if v is None else v for k, v in lags.items()}
            )
        )
    if data["saved"]:
        _say(
            f"saved as the plan for {data['period']}"
            + (" (replacing the earlier one)" if data["replaced"] else "")
        )


def _say(line: str) -> None:
    console.print(line, markup=False, highlight=False)
