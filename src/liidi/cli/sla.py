"""`liidi sla`: check a response-SLA file (calendar, policies, escalation ladders)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from liidi.cli.common import console, err_console, friendly, uow
from liidi.cli.models import _who, read_text
from liidi.cli.sla_clocks import sla_clocks_command
from liidi.cli.sla_report import sla_report_command
from liidi.domain.business_time import BusinessCalendar
from liidi.domain.events import from_epoch
from liidi.domain.scoring import issues_of
from liidi.domain.sla import SlaPolicies, SlaPolicy, describe_working_time
from liidi.domain.sla_load import load_sla_text
from liidi.errors import FieldError, SpecError, ValidationFailed
from liidi.services import sla

sla_app = typer.Typer(
    help="Response SLA: check and load a file of business hours, policies and escalation ladders.",
    no_args_is_help=True,
)
SPEC_EXIT = 65


@sla_app.command("check")
@friendly
def sla_check(
    file: Annotated[Path, typer.Argument(help="An SLA YAML file (see docs/sla.md).")],
    handed_over: Annotated[
        str | None,
        typer.Option(
            "--handed-over",
            help="A local time such as '2026-12-04 15:50': also print when each policy would warn, "
            "breach and escalate for a lead handed over then.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check an SLA file and print every problem with its line and column (exit 65 when any)."""
    text = read_text(file)
    try:
        policies = load_sla_text(text, str(file))
    except SpecError as error:
        _report(issues_of(error))
        raise typer.Exit(SPEC_EXIT) from None
    start = _moment(handed_over, policies.calendar) if handed_over is not None else None
    for line in _summary(policies):
        _say(line)
    for policy in policies.policies:
        for line in _describe(policy) + (_timeline(policy, start) if start is not None else []):
            _say(line)


@sla_app.command("load")
@friendly
def sla_load(
    file: Annotated[Path, typer.Argument(help="An SLA YAML file (see docs/sla.md).")],
    author: Annotated[
        str | None, typer.Option(help="Who makes the change (default: your login name).", show_default=False)
    ] = None,
) -> None:
    """Check an SLA file and put it in force: leads handed over from now on get clocks (exit 65 when the
    file has problems)."""
    text = read_text(file)
    try:
        loaded = sla.load_sla(uow(), text=text, source_name=str(file), author=_who(author))
    except SpecError as error:
        _report(issues_of(error))
        raise typer.Exit(SPEC_EXIT) from None
    doc = loaded.document
    state = "now in force" if loaded.created else "unchanged, already in force"
    _say(f"{doc.label} {state}: {_count(loaded.policies)}, fingerprint {doc.fingerprint}")


@sla_app.command("show")
@friendly
def sla_show() -> None:
    """Show the SLA in force: its calendar and policies."""
    loaded = sla.show_sla(uow())
    doc = loaded.document
    _say(f"{doc.label}, loaded {from_epoch(doc.created_ts):%Y-%m-%d %H:%M} UTC by {doc.author}")
    for line in _summary(loaded.policies)[1:]:
        _say(line)
    for policy in loaded.policies.policies:
        for line in _describe(policy):
            _say(line)


def _count(policies: SlaPolicies) -> str:
    count = len(policies.policies)
    return f"{count} {'policy' if count == 1 else 'policies'}"


def _say(line: str) -> None:
    console.print(line, markup=False, highlight=False)


def _report(issues: list[FieldError]) -> None:
    """'file:line:column section: reason' per issue, then a count."""
    for issue in issues:
        err_console.print(issue.one_line(), markup=False, highlight=False, soft_wrap=True)
    noun = "problem" if len(issues) == 1 else "problems"
    err_console.print(f"[bold red]error:[/] {len(issues)} {noun} in the SLA file", highlight=False)


def _summary(policies: SlaPolicies) -> list[str]:
    """'ok: 3 policies', then the calendar: zone, hours, holidays and closed dates."""
    calendar = policies.calendar
    count = len(policies.policies)
    holidays = f"holidays of {calendar.country}" if calendar.country else "no public holidays"
    if calendar.subdivision:
        holidays += f"-{calendar.subdivision}"
    closed = f", {len(calendar.closed)} closed dates" if calendar.closed else ""
    return [
        f"ok: {count} {'policy' if count == 1 else 'policies'}",
        f"calendar: {calendar.zone}, {calendar.hours.describe()}, {holidays}{closed}",
    ]


def _describe(policy: SlaPolicy) -> list[str]:
    """The policy's name and leads, its deadline and warning, and its ladder."""
    day = policy.calendar.day_length
    match = policy.match
    wanted = [
        f"{key} {'/'.join(sorted(values))}"
        for key, values in (
            ("qualified_by", match.qualified_by),
            ("motion", match.motion),
            ("grade", match.grade),
        )
        if values
    ]
    within = f"  respond within {describe_working_time(policy.respond_within, day)}"
    if policy.warn_before is not None:
        within += f", warning {describe_working_time(policy.warn_before, day)} before"
    steps = [f"{step.action.value} +{describe_working_time(step.after, day)}" for step in policy.ladder.steps]
    ladder = [f"  then {', '.join(steps)}"] if steps else []
    return [f"{policy.name}: {', '.join(wanted) or 'every lead'}", within, *ladder]


def _timeline(policy: SlaPolicy, start: float) -> list[str]:
    """When a lead handed over at `start` is warned, breaches and meets each step, in local time."""
    zone = policy.calendar.tz
    at = [("warning", policy.warning_at(start)), ("due", policy.deadline(start))]
    at += [(step.action.value, policy.step_at(start, step)) for step in policy.ladder.steps]
    return [f"  handed over {datetime.fromtimestamp(start, zone):%a %Y-%m-%d %H:%M}:"] + [
        f"    {label:<17} {datetime.fromtimestamp(ts, zone):%a %Y-%m-%d %H:%M}"
        for label, ts in at
        if ts is not None
    ]


def _moment(text: str, calendar: BusinessCalendar) -> float:
    """A local time in the calendar's zone (or with its own offset) as epoch seconds."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        reason = "expected a time such as 2026-12-04 15:50"
        raise ValidationFailed(
            [FieldError("--handed-over", text, reason)], f"--handed-over {text!r}: {reason}"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=calendar.tz)
    return moment.timestamp()


sla_app.command("report")(friendly(sla_report_command))
sla_app.command("clocks")(friendly(sla_clocks_command))
