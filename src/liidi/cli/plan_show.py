"""`liidi plan list` and `liidi plan show PERIOD`: stored plans, and a plan against the period's actuals."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from liidi.cli.common import Column, CsvFlag, JsonFlag, Listing, console, fail, friendly, show_list, uow
from liidi.cli.engine_option import EngineOption, ParquetOption
from liidi.domain.periods import day_of
from liidi.services import planning

LIST_COLUMNS = (
    Column("period", key=True),
    Column("revenue", key=True, right=True),
    Column("deal size", right=True, drop=2),
    Column("contacts", right=True),
    Column("meetings", right=True),
    Column("proposals", right=True),
    Column("deals", right=True),
    Column("rates", drop=1),
)
SHOW_COLUMNS = (
    Column("stage", key=True),
    Column("planned", key=True, right=True),
    Column("actual", key=True, right=True),
    Column("reached", right=True),
    Column("expected", right=True, drop=2),
    Column("pace", right=True, drop=1),
    Column("status"),
)
PeriodArg = Annotated[
    str, typer.Argument(help="The plan's period: 2026-12, 2026-Q1 or 2026.", show_default=False)
]


@friendly
def plan_list_command(as_json: JsonFlag = False, as_csv: CsvFlag = False) -> None:
    """Every stored plan by period: the target, the stage counts and where the rates came from."""
    plans = planning.list_plans(uow())
    rows = [
        {
            "period": p["period"],
            "revenue": euros(p["revenue"]),
            "deal size": euros(p["deal_size"]),
            **{stage: f"{p[stage]:,}" for stage in ("contacts", "meetings", "proposals", "deals")},
            "rates": _sources(p),
        }
        for p in plans
    ]
    if not as_json and not as_csv and not plans:
        console.print("no plans stored; make one with liidi plan --save --period 2026-12", highlight=False)
        return
    show_list(Listing(LIST_COLUMNS, rows, items=plans), as_json=as_json, as_csv=as_csv)


@friendly
def plan_show_command(
    period: PeriodArg,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
    engine: EngineOption = None,
    parquet: ParquetOption = None,
) -> None:
    """A stored plan against what happened in its period so far: the share reached and the pace."""
    if as_json and as_csv:
        raise fail("choose one of --json and --csv", 2)
    shown = planning.show_plan(uow(), period, engine=engine, files=parquet)
    if as_json:
        typer.echo(json.dumps(shown, ensure_ascii=False, indent=2))
        return
    rows = [_progress_row(stage) for stage in shown["progress"]["stages"]]
    if as_csv:
        show_list(Listing(SHOW_COLUMNS, rows), as_csv=True)
        return
    done = shown["progress"]["elapsed"] * 100
    say = _say
    say(f"Plan for {shown['period']}: {euros(shown['revenue'])}, {done:.0f}% of the period gone")
    show_list(Listing(SHOW_COLUMNS, rows))
    say(shown["sentence"])
    say(
        f"actuals as of {day_of(shown['progress']['as_of'])}: contacts = people who became leads/MQLs, "
        "meetings = moved to sal/sql, proposals = deals opened, deals = deals won in the period"
    )


def _progress_row(stage: dict[str, Any]) -> dict[str, Any]:
    money = stage["stage"] == "revenue"
    shown = euros if money else _count
    return {
        "stage": stage["stage"],
        "planned": shown(stage["planned"]),
        "actual": shown(stage["actual"]),
        "reached": _pct(stage["reached"]),
        "expected": shown(stage["expected_by_now"]),
        "pace": _pct(stage["pace"]),
        "status": stage["status"],
    }


def _sources(plan: dict[str, Any]) -> str:
    """'given', 'measured' or 'mixed' over the three rates."""
    found = {rate["source"] for rate in plan["rates"].values()}
    return found.pop() if len(found) == 1 else "mixed"


def euros(amount: float) -> str:
    """An amount as €60,000 or €2,377.63."""
    return f"€{amount:,.0f}" if float(amount).is_integer() else f"€{amount:,.2f}"


def _count(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _pct(share: float | None) -> str:
    return "" if share is None else f"{share * 100:.0f}%"


def _say(line: str) -> None:
    console.print(line, markup=False, highlight=False)
