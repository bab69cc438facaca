"""`liidi pacing`: the weekly plan (targets, playbooks), the weekly review, notes per week, playbook runs."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Annotated, Any

import typer

from liidi.cli.chart_option import ChartOpt, check_chart, write_chart
from liidi.cli.common import (
    Column,
    CsvFlag,
    JsonFlag,
    Listing,
    console,
    err_console,
    fail,
    friendly,
    show_list,
    uow,
)
from liidi.cli.engine_option import EngineOption, ParquetOption
from liidi.cli.models import _who, read_text
from liidi.cli.sla import SPEC_EXIT
from liidi.domain.events import from_epoch
from liidi.domain.pacing import METRICS, PacingPlan, Playbook
from liidi.domain.pacing_load import load_plan_text
from liidi.domain.scoring import issues_of
from liidi.errors import FieldError, SpecError
from liidi.presentation import pacing_chart
from liidi.services import pacing, playbooks

pacing_app = typer.Typer(
    help="Weekly pacing: the plan's targets and playbooks, the weekly review and notes per week.",
    no_args_is_help=True,
)
PlanFile = Annotated[Path, typer.Argument(help="A plan YAML file (see docs/pacing.md).")]
Author = Annotated[
    str | None, typer.Option(help="Who makes the change (default: your login name).", show_default=False)
]
TITLES = {"leads": "Leads", "mqls": "MQLs", "sals": "SALs", "meetings": "Meetings"}
WORDS = {"leads": "leads", "mqls": "MQLs", "sals": "SALs", "meetings": "meetings"}


@pacing_app.command("check")
@friendly
def pacing_check(file: PlanFile) -> None:
    """Check a plan file and print every problem with its line and column (exit 65 when any)."""
    try:
        plan = load_plan_text(read_text(file), str(file))
    except SpecError as error:
        _report(issues_of(error))
        raise typer.Exit(SPEC_EXIT) from None
    _say(f"ok: {plan.name}")
    for line in _describe(plan):
        _say(line)


@pacing_app.command("load")
@friendly
def pacing_load(file: PlanFile, author: Author = None) -> None:
    """Check a plan file and put it in force for the review and the playbooks (exit 65 on problems)."""
    text = read_text(file)
    try:
        loaded = pacing.load_plan(uow(), text=text, source_name=str(file), author=_who(author))
    except SpecError as error:
        _report(issues_of(error))
        raise typer.Exit(SPEC_EXIT) from None
    doc = loaded.document
    state = "now in force" if loaded.created else "unchanged, already in force"
    _say(f"{doc.label} {state}: {loaded.plan.name}, fingerprint {doc.fingerprint}")


@pacing_app.command("show")
@friendly
def pacing_show() -> None:
    """Show the plan in force: weekly targets, week overrides, segments and playbooks."""
    loaded = pacing.show_plan(uow())
    doc = loaded.document
    when = f"{from_epoch(doc.created_ts):%Y-%m-%d %H:%M}"
    _say(f"{doc.label} ({loaded.plan.name}), loaded {when} UTC by {doc.author}")
    for line in _describe(loaded.plan):
        _say(line)


@pacing_app.command("note")
@friendly
def pacing_note(
    week: Annotated[str, typer.Argument(help="An ISO week such as 2026-W49 (UTC, Monday to Sunday).")],
    done: Annotated[str | None, typer.Option("--done", help="What was done in the week.")] = None,
    next_: Annotated[str | None, typer.Option("--next", help="What is done next.")] = None,
    author: Author = None,
) -> None:
    """Store what was done in a week and what is next (a part left out keeps its stored text)."""
    saved = pacing.save_note(uow(), week=week, done=done, next_=next_, author=_who(author))
    _say(f"note for {saved['week']} saved")
    for key in ("done", "next"):
        if saved[key]:
            _say(f"  {key}: {saved[key]}")


@pacing_app.command("report")
@friendly
def pacing_report(
    weeks: Annotated[int, typer.Option("--weeks", help="How many weeks, up to the --until week.")] = 8,
    by: Annotated[
        str | None,
        typer.Option(help="Split by lead_tool, channel, direction or sourced_by.", show_default=False),
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="The last week shown, e.g. 2026-W49 (default: this week).")
    ] = None,
    chart: ChartOpt = None,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
    wide: Annotated[bool, typer.Option("--wide", help="Show every column, however wide.")] = False,
    engine: EngineOption = None,
    parquet: ParquetOption = None,
) -> None:
    """Leads, MQLs, SALs and meetings per ISO week against the plan's targets, with each week's notes."""
    if as_json and as_csv:
        raise fail("choose one of --json and --csv", 2)
    check_chart(chart)
    found = pacing.report(uow(), weeks=weeks, by=by, until=until, engine=engine, files=parquet)
    data = found.as_dict()
    listing = _listing(data)
    table = [{c.name: row.get(c.name) for c in listing.columns if c.table} for row in listing.rows]
    write_chart(chart, lambda: pacing_chart.chart(data), "liidi weekly review", table)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if as_csv:
        show_list(listing, as_csv=True)
        return
    plan = f"{data['plan']} (v{data['plan_version']})" if data["plan"] else "no plan loaded: no targets"
    running = [w["week"] for w in data["weeks"] if w["partial"]]
    still = f"; {running[0]} is still running" if running else ""
    _say(f"Weekly review {data['weeks'][0]['week']} … {data['weeks'][-1]['week']} (UTC), {plan}{still}")
    show_list(listing, wide=wide)


@pacing_app.command("run")
@friendly
def pacing_run(
    once: Annotated[bool, typer.Option("--once", help="One pass, then exit.")] = False,
    every: Annotated[float, typer.Option(help="Seconds between passes without --once.", min=1.0)] = 300.0,
) -> None:
    """Judge last week against each playbook; each that fires makes a task and a message, once a week."""
    from liidi.notify.worker import stop_on_signals

    stop = threading.Event()
    if not once:
        stop_on_signals(stop)
    while not stop.is_set():
        done = playbooks.run(uow)
        for o in done.outcomes:
            _say(f"{done.period} {o.playbook}: {_outcome(o)}")
        if not done.outcomes:
            _say(f"{done.period}: no playbooks (no plan loaded, or none in it)")
        if once:
            return
        stop.wait(every)


def _outcome(o: playbooks.Outcome) -> str:
    """'fired: MQLs 1 < 3, task 4', 'on pace: MQLs 2 ≥ 2' or 'already fired for this week'."""
    if o.result == "fired":
        return f"fired: {WORDS[o.metric]} {o.actual} < {o.below}, task {o.task_id}"
    if o.result == "on_pace":
        return f"on pace: {WORDS[o.metric]} {o.actual} ≥ {o.below}"
    return "already fired for this week"


def _describe(plan: PacingPlan) -> list[str]:
    """Targets, overrides, segments and playbooks, one line each."""
    lines = [f"every week: {_targets(plan.targets.values)}"]
    lines += [f"  {week}: {_targets(t.values)}" for week, t in sorted(plan.weeks.items())]
    lines += [f"segment {s.by} {s.value}: {_targets(s.targets.values)}" for s in plan.segments]
    lines += [_playbook(p) for p in plan.playbooks]
    return lines


def _targets(values: dict[str, int]) -> str:
    return ", ".join(f"{WORDS[m]} {values[m]}" for m in METRICS if m in values) or "no targets"


def _playbook(p: Playbook) -> str:
    owner = f", owner {p.owner}" if p.owner else ""
    return (
        f"playbook {p.name}: if {WORDS[p.metric]} of {p.where.describe()} < {p.below} last week, "
        f"{p.play()} next week{owner}"
    )


def _listing(data: dict[str, Any]) -> Listing:
    """Rows per week (per group and total when split): cells '34/40 85%' in the table, numbers in CSV."""
    key = data["by"]
    columns = [Column("week", key=True)] + ([Column(key, key=True)] if key else [])
    columns += [Column(TITLES[m], right=True, data=False) for m in METRICS]
    for m in METRICS:
        columns += [Column(f"{m}{part}", table=False) for part in ("", " target", " share")]
    columns += [Column("done", least=10, drop=2), Column("next", least=10, drop=1)]
    rows = []
    for week in data["weeks"]:
        label = week["week"]
        groups = [*week["groups"], week["total"]] if key else [week["total"]]
        for group in groups:
            row: dict[str, Any] = {"week": label}
            row |= {key: group["key"]} if key else {}
            for m in METRICS:
                value = group[m]
                row |= {TITLES[m]: pacing_chart.cell(value), m: value["actual"]}
                row |= {f"{m} target": value["target"], f"{m} share": value["share"]}
            if group is week["total"]:
                row |= {"done": week["done"], "next": week["next"]}
            rows.append(row)
    return Listing(tuple(columns), rows)


def _report(issues: list[FieldError]) -> None:
    """'file:line:column section: reason' per issue, then a count."""
    for issue in issues:
        err_console.print(issue.one_line(), markup=False, highlight=False, soft_wrap=True)
    noun = "problem" if len(issues) == 1 else "problems"
    err_console.print(f"[bold red]error:[/] {len(issues)} {noun} in the plan file", highlight=False)


def _say(line: str) -> None:
    console.print(line, markup=False, highlight=False, soft_wrap=True)


def tasks_command(
    status: Annotated[
        str | None, typer.Option(help="Only tasks of this status: open or done.", show_default=False)
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many, newest first.", min=1, max=1000)] = 100,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
) -> None:
    """Tasks the playbooks created (newest first): what to do, in which week, for whom, and why."""
    rows = playbooks.list_tasks(uow(), status=status, limit=limit)
    columns = (
        Column("id", key=True, right=True),
        Column("runs in", key=True),
        Column("title", least=20),
        Column("owner", key=True),
        Column("status", drop=1),
        Column("playbook", drop=2, least=14),
        Column("period", table=False),
        Column("detail", table=False),
        Column("created", table=False),
    )
    shown = [
        {
            "id": r["id"],
            "runs in": r["due_period"],
            "title": r["title"],
            "owner": r["owner"],
            "status": r["status"],
            "playbook": r["playbook"],
            "period": r["period"],
            "detail": r["detail"],
            "created": f"{from_epoch(r['created_ts']):%Y-%m-%d %H:%M}",
        }
        for r in rows
    ]
    if not rows and not (as_json or as_csv):
        _say("no tasks")
        return
    show_list(Listing(columns, shown), as_json=as_json, as_csv=as_csv)
