"""`liidi accept|reject|step-back|convert|close|touch`: sales feedback on a lead, and `liidi reasons`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from liidi.cli.args import person_id_of
from liidi.cli.common import (
    Column,
    CsvFlag,
    JsonFlag,
    Listing,
    console,
    err_console,
    friendly,
    settings,
    show_list,
    uow,
)
from liidi.cli.models import read_text
from liidi.domain.bounds import MAX_INT64
from liidi.domain.feedback import FeedbackReasons
from liidi.domain.scoring.issues import issues_of
from liidi.errors import SpecError
from liidi.services import deals, feedback, reasons, touches

SPEC_EXIT = 65
Person = Annotated[str, typer.Argument(help="E-mail address, CRM id or person id.")]
Actor = Annotated[str, typer.Option(help="Who gives the feedback, e.g. the rep's e-mail.")]
REASON_COLUMNS = (
    Column("action"),
    Column("reason", key=True),
    Column("to"),
    Column("description", least=16, drop=1),
)
DONE = {
    "accept": "accepted",
    "reject": "rejected",
    "step-back": "stepped back",
    "convert": "converted",
    "close": "closed",
}
reasons_app = typer.Typer(
    help="Reason codes sales gives to reject, step back and lose: list them, or check a file.",
    invoke_without_command=True,
)


def configured_reasons() -> FeedbackReasons:
    """The reasons of LIIDI_FEEDBACK_REASONS (problems printed by line), or the shipped ones."""
    with reasons_problems():
        return reasons.load_reasons(settings().feedback_reasons)


@contextmanager
def reasons_problems() -> Iterator[None]:
    """Print every problem of an invalid reasons file, one per line, and exit 65."""
    try:
        yield
    except SpecError as error:
        found = issues_of(error)
        for issue in found:
            err_console.print(issue.one_line(), markup=False, highlight=False, soft_wrap=True)
        noun = "problem" if len(found) == 1 else "problems"
        err_console.print(f"[bold red]error:[/] {len(found)} {noun} in the reasons file", highlight=False)
        raise typer.Exit(SPEC_EXIT) from None


def _said(done: feedback.Feedback, who: str) -> None:
    """One line: the person, the move and the reason; the deal on its own line."""
    why = f" ({done.reason})" if done.reason else ""
    console.print(
        f"{who}: {done.from_stage} → {done.to_stage}{why}, {DONE[done.action]} by {done.actor}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    if done.deal:
        d = done.deal
        amount = "no amount" if d["amount"] is None else f"{d['amount']:,.2f} {d['currency']}"
        console.print(
            f"deal {d['id']} {d['name']}: {d['stage']}, {amount}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


@friendly
def accept_command(who: Person, actor: Actor = "cli") -> None:
    """Accept a handed-over lead: mql → sal."""
    _said(feedback.accept(uow(), person_id=person_id_of(who), actor=actor), who)


@friendly
def reject_command(
    who: Person,
    reason: Annotated[str, typer.Option(help="A reason code (liidi reasons lists them).")],
    actor: Actor = "cli",
) -> None:
    """Reject a handed-over lead: recycled or disqualified, as the reason says."""
    rules = configured_reasons()
    _said(feedback.reject(uow(), person_id=person_id_of(who), reason=reason, actor=actor, reasons=rules), who)


@friendly
def step_back_command(
    who: Person,
    reason: Annotated[str, typer.Option(help="A step-back reason code (liidi reasons lists them).")],
    actor: Actor = "cli",
) -> None:
    """Return an accepted lead (sal or sql) to marketing as recycled, with a reason."""
    rules = configured_reasons()
    done = feedback.step_back(uow(), person_id=person_id_of(who), reason=reason, actor=actor, reasons=rules)
    _said(done, who)


@friendly
def convert_command(
    who: Person,
    opportunity: Annotated[
        bool, typer.Option("--opportunity", help="Make an opportunity with an open deal, not just an SQL.")
    ] = False,
    amount: Annotated[float | None, typer.Option(help="The deal's amount, e.g. 12000.")] = None,
    currency: Annotated[str | None, typer.Option(help="Three letters; default EUR.")] = None,
    name: Annotated[str | None, typer.Option(help="The deal's name; default 'deal for <e-mail>'.")] = None,
    actor: Actor = "cli",
) -> None:
    """Convert a lead: sal → sql, or with --opportunity → opportunity with an open deal."""
    done = deals.convert(
        uow(),
        person_id=person_id_of(who),
        actor=actor,
        opportunity=opportunity,
        amount=amount,
        currency=currency,
        name=name,
    )
    _said(done, who)


@friendly
def close_command(
    who: Person,
    won: Annotated[
        bool | None, typer.Option("--won/--lost", help="Won (the person becomes a customer) or lost.")
    ] = None,
    reason: Annotated[
        str | None, typer.Option(help="Lost: a lost reason code (required). Won: optional text.")
    ] = None,
    amount: Annotated[float | None, typer.Option(help="The final amount; default the deal's.")] = None,
    deal: Annotated[
        int | None,
        typer.Option(help="The deal's id, when the person has several open.", min=1, max=MAX_INT64),
    ] = None,
    actor: Actor = "cli",
) -> None:
    """Close the person's open deal as won or lost."""
    if won is None:
        raise typer.BadParameter("say --won or --lost", param_hint="--won/--lost")
    rules = configured_reasons() if not won else None
    done = deals.close(
        uow(),
        person_id=person_id_of(who),
        won=won,
        actor=actor,
        reason=reason,
        amount=amount,
        deal_id=deal,
        reasons=rules,
    )
    _said(done, who)


@friendly
def touch_command(
    who: Person,
    kind: Annotated[str, typer.Option(help="call, email, meeting or note.")],
    note: Annotated[str | None, typer.Option(help="What was said or agreed.")] = None,
    at: Annotated[
        str | None, typer.Option(help="When: epoch seconds or an ISO date/time, UTC; default now.")
    ] = None,
    actor: Annotated[str | None, typer.Option(help="Who made the touch, e.g. the rep's e-mail.")] = None,
    source: Annotated[str, typer.Option(help="crm or rep.")] = "rep",
) -> None:
    """Record a call, e-mail, meeting or note by sales for a person."""
    done = touches.record_touch(
        uow(), person_id=person_id_of(who), kind=kind, occurred_at=at, actor=actor, note=note, source=source
    )
    console.print(
        f"{who}: {done['kind']} recorded (touch {done['id']})", markup=False, highlight=False, soft_wrap=True
    )


@reasons_app.callback()
@friendly
def reasons_command(ctx: typer.Context, as_json: JsonFlag = False, as_csv: CsvFlag = False) -> None:
    """List the reason codes in use (LIIDI_FEEDBACK_REASONS, or the shipped ones) and where each leads."""
    if ctx.invoked_subcommand is not None:
        return
    rows: list[dict[str, Any]] = configured_reasons().listing()
    show_list(Listing(REASON_COLUMNS, rows), as_json=as_json, as_csv=as_csv)


@reasons_app.command("check")
@friendly
def reasons_check(file: Annotated[Path, typer.Argument(help="A reasons YAML file.")]) -> None:
    """Check a reasons file and print every problem with its line and column (exit 65 when any)."""
    with reasons_problems():
        found = reasons.check_reasons(read_text(file), str(file))
    console.print(
        f"ok: {len(found.reject)} reject, {len(found.step_back)} step-back "
        f"and {len(found.lost)} lost reasons",
        markup=False,
        highlight=False,
    )
