"""`liidi routing` and `liidi assign`: check, load and show routing.yaml, assign by hand, fairness report."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from liidi.cli.args import MOMENT_HELP, parse_moment, person_id_of
from liidi.cli.chart_option import ChartOpt, check_chart, write_chart
from liidi.cli.common import (
    Column,
    CsvFlag,
    JsonFlag,
    Listing,
    WideFlag,
    console,
    err_console,
    friendly,
    show_list,
    uow,
)
from liidi.cli.models import SPEC_EXIT, _who, read_text
from liidi.domain.events import from_epoch
from liidi.domain.routing import RoutingPlan, Share, plan_item
from liidi.domain.routing import summary as plan_summary
from liidi.domain.routing.describe import condition, weight
from liidi.domain.scoring import SpecIssue, issues_of
from liidi.errors import SpecError
from liidi.presentation import handover_charts
from liidi.services import routing

routing_app = typer.Typer(
    help="Routing qualified leads to sales: check and load routing.yaml, show it, report fairness.",
    no_args_is_help=True,
)
REP_COLUMNS = (
    Column("rep", key=True),
    Column("team", least=8, drop=2),
    Column("weight", right=True),
    Column("cap", right=True, drop=3),
    Column("out of office", least=21, drop=1),
)
SHARE_COLUMNS = (
    Column("owner", key=True),
    Column("team", least=8, drop=3),
    Column("weight", right=True, drop=2),
    Column("leads", right=True),
    Column("share", right=True, drop=1),
    Column("target", right=True),
    Column("diff", right=True),
)
AuthorOption = Annotated[
    str | None, typer.Option(help="Who makes the change (default: your login name).", show_default=False)
]


@routing_app.command("check")
@friendly
def routing_check(file: Annotated[Path, typer.Argument(help="A routing YAML file.")]) -> None:
    """Check a routing file and print every problem with its line and column (exit 65 when any)."""
    text = read_text(file)
    with _problems():
        plan = routing.check_routing(text, str(file))
    console.print(
        f"ok: {plan_summary(plan)}, fingerprint {plan.fingerprint()}", markup=False, highlight=False
    )


@routing_app.command("load")
@friendly
def routing_load(
    file: Annotated[Path, typer.Argument(help="A routing YAML file.")], author: AuthorOption = None
) -> None:
    """Check a routing file and put it in force for every lead qualifying from now on."""
    text = read_text(file)
    with _problems():
        loaded = routing.load_routing(uow(), text=text, source_name=str(file), author=_who(author))
    doc = loaded.document
    state = "now in force" if loaded.created else "unchanged, already in force"
    console.print(
        f"{doc.label} {state}: {plan_summary(loaded.plan)}, fingerprint {doc.fingerprint}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


@routing_app.command("show")
@friendly
def routing_show(as_json: JsonFlag = False, wide: WideFlag = False) -> None:
    """Show the routing in force: its reps, the rules that pick a team and the motions."""
    loaded = routing.show_routing(uow())
    plan, doc = loaded.plan, loaded.document
    if as_json:
        item = plan_item(plan) | {
            "version": doc.version,
            "fingerprint": doc.fingerprint,
            "author": doc.author,
        }
        typer.echo(json.dumps(item, ensure_ascii=False, indent=2))
        return
    header = (
        f"{doc.label} ({plan.name}), loaded {_when(doc.created_ts)} by {doc.author}: {plan_summary(plan)}"
    )
    console.print(wrapped(header), markup=False, highlight=False, soft_wrap=True)
    show_list(Listing(REP_COLUMNS, rep_rows(plan)), wide=wide)
    for line in rule_lines(plan):
        console.print(wrapped(line), markup=False, highlight=False, soft_wrap=True)


@routing_app.command("report")
@friendly
def routing_report(
    since: Annotated[
        str | None, typer.Option(help=f"From this moment (default: the start of this period). {MOMENT_HELP}")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Up to this moment (default now).")] = None,
    wide: WideFlag = False,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
    chart: ChartOpt = None,
) -> None:
    """Fairness: leads each rep was given over a time against the share their weight asks for."""
    check_chart(chart)
    start = parse_moment(since, "--since") if since is not None else None
    end = parse_moment(until, "--until") if until is not None else None
    report = routing.routing_report(uow(), since=start, until=end)
    rows = share_rows(report.shares)
    items = [s.as_dict() for s in report.shares]
    write_chart(chart, lambda: handover_charts.fairness_chart(items), "liidi routing fairness", rows)
    if not (as_json or as_csv):
        console.print(
            f"{report.total} leads from {_when(report.since)} to {_when(report.until)} UTC "
            f"({report.routing})",
            markup=False,
            highlight=False,
        )
    show_list(Listing(SHARE_COLUMNS, rows, items), as_json=as_json, as_csv=as_csv, wide=wide)


@friendly
def assign_command(
    who: Annotated[str, typer.Argument(help="E-mail address, CRM id or person id.")],
    to: Annotated[str, typer.Option("--to", help="The rep's e-mail (a rep of the routing in force).")],
    reason: Annotated[
        str | None, typer.Option(help="Why, in a few words (recorded with the change).")
    ] = None,
    actor: Annotated[str, typer.Option(help="Who makes the change.")] = "cli",
) -> None:
    """Give a person to a rep by hand; the change is recorded and announced like automatic routing."""
    person_id = person_id_of(who)
    done = routing.assign_person(uow(), person_id=person_id, to=to, actor=actor, reason=reason)
    d = done.decision
    team = f" (team {d.team})" if d.team else ""
    console.print(
        f"person {done.person_id} assigned to {d.owner}{team}: {d.reason}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


@contextmanager
def _problems() -> Iterator[None]:
    """Print every problem of an invalid routing file, one per line, and exit 65."""
    try:
        yield
    except SpecError as error:
        issues: list[SpecIssue] = issues_of(error)
        for issue in issues:
            err_console.print(issue.one_line(), markup=False, highlight=False, soft_wrap=True)
        noun = "problem" if len(issues) == 1 else "problems"
        err_console.print(f"[bold red]error:[/] {len(issues)} {noun} in the routing file", highlight=False)
        raise typer.Exit(SPEC_EXIT) from None


def rep_rows(plan: RoutingPlan) -> list[dict[str, Any]]:
    """A rep's cells: e-mail, team, weight, capacity a period, out-of-office ranges."""
    return [
        {
            "rep": r.email,
            "team": r.team,
            "weight": weight(r),
            "cap": r.capacity if r.capacity is not None else "-",
            "out of office": ", ".join(f"{a.first}–{a.last}" for a in r.away),
        }
        for r in plan.reps
    ]


def rule_lines(plan: RoutingPlan) -> list[str]:
    """The rules and motions in order, one line each, and what happens when nobody can take a lead."""
    lines = [f"cap: new leads a {plan.period} at most; weight: share of the team's round-robin leads"]
    lines.append("rules (the first that matches picks the team):")
    lines += [f"  {i}. {r.name}: {condition(r.match)} → {r.team}" for i, r in enumerate(plan.rules, 1)]
    if plan.motions:
        lines.append("motions (the first that matches):")
        lines += [
            f"  {i}. {m.name}: {condition(m.match)} → {m.motion.value}" for i, m in enumerate(plan.motions, 1)
        ]
    affinity = "on" if plan.affinity else "off"
    queue = plan.fallback or "none"
    lines.append(f"affinity {affinity}; capacity per {plan.period} ({plan.timezone}); fallback {queue}")
    return lines


def share_rows(shares: list[Share]) -> list[dict[str, Any]]:
    """A row per owner: leads, share of the team's leads, the share the weight asks for, the difference."""
    rows = []
    for s in shares:
        team = {"queue": "fallback", "other": "(other)", "none": "(no owner)"}.get(s.kind, s.team or "")
        rows.append(
            {
                "owner": s.owner or "-",
                "team": team,
                "weight": _number(float(s.weight)) if s.weight is not None else "",
                "leads": s.leads,
                "share": f"{s.share:.0%}" if s.share is not None else "",
                "target": f"{s.target:.0%}" if s.target is not None else "",
                "diff": f"{s.difference:+.1f}" if s.difference is not None else "",
            }
        )
    return rows


def wrapped(line: str) -> str:
    """A line wrapped at the terminal's width between words, continued under its text (e-mails whole)."""
    indent = " " * (len(line) - len(line.lstrip()) + 3)
    width = max(console.width, 40)
    return textwrap.fill(
        line, width=width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else f"{value:g}"


def _when(ts: float) -> str:
    """Epoch seconds as 'YYYY-MM-DD HH:MM' UTC."""
    return from_epoch(ts).strftime("%Y-%m-%d %H:%M")


def assignment_lines(rows: list[dict[str, Any]]) -> list[str]:
    """'owner: mikko@… (team nordics, low_touch)', then every assignment, oldest first."""
    if not rows:
        return ["owner: none (not routed)"]
    last = rows[-1]
    about = ", ".join(v for v in (f"team {last['team']}" if last["team"] else "", last["motion"] or "") if v)
    lines = [f"owner: {last['owner'] or 'none'}" + (f" ({about})" if about else "")]
    for row in rows:
        rule = f" [rule: {row['rule']}]" if row["rule"] else ""
        lines.append(f"  {_when(row['assigned_ts'])}  {row['reason']}{rule}, by {row['actor']}")
    return lines
