"""`liidi people` and `liidi accounts`: find, read and merge."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from liidi.cli.common import console, friendly, uow
from liidi.cli.timeline import render_person
from liidi.errors import NotFound
from liidi.services import leads, lifecycle, people, queries

people_app = typer.Typer(
    help="People (leads): list, show a timeline, merge duplicates.", no_args_is_help=True
)
accounts_app = typer.Typer(help="Accounts: list and show.", no_args_is_help=True)


@people_app.command("list")
@friendly
def people_list(
    stage: Annotated[str | None, typer.Option(help="Lifecycle stage, e.g. lead, mql, sql.")] = None,
    role: Annotated[str | None, typer.Option(help="decision_maker, influencer, user or other.")] = None,
    account_id: Annotated[int | None, typer.Option(help="Only people of this account.")] = None,
    q: Annotated[str | None, typer.Option(help="Search names and e-mails.")] = None,
    limit: Annotated[int, typer.Option(help="How many to show (1–500).")] = 50,
) -> None:
    """List people."""
    filters = {"lifecycle_stage": stage, "role": role, "account_id": account_id, "q": q}
    found = queries.list_people(uow(), filters=filters, limit=limit)
    table = Table("id", "e-mail", "name", "title", "role", "stage", "account")
    for p in found:
        table.add_row(
            str(p.id),
            p.email or "",
            p.name,
            p.title or "",
            p.role.value,
            p.lifecycle_stage,
            str(p.account_id or ""),
        )
    console.print(table)


@people_app.command("show")
@friendly
def people_show(
    who: Annotated[str, typer.Argument(help="E-mail address or person id.")],
    events: Annotated[int, typer.Option(help="How many recent events to show.")] = 30,
) -> None:
    """Show a person with account, identities, lifecycle and a readable timeline."""
    person_id = int(who) if who.isdigit() else queries.person_id_for_email(uow(), who)
    render_person(console, queries.get_person(uow(), person_id=person_id, events=events))


@people_app.command("merge")
@friendly
def people_merge(
    survivor: Annotated[str, typer.Argument(help="E-mail or id of the person to keep.")],
    duplicate: Annotated[str, typer.Argument(help="E-mail or id of the person merged into it.")],
    reason: Annotated[str | None, typer.Option(help="Why they are the same person.")] = None,
) -> None:
    """Merge a duplicate person into another, keeping all history; the merge is recorded."""
    ids = [int(w) if w.isdigit() else queries.person_id_for_email(uow(), w) for w in (survivor, duplicate)]
    result = people.merge_people(uow(), survivor_id=ids[0], merged_id=ids[1], actor="cli", reason=reason)
    console.print(
        f"merged person {result.merged_id} into {result.survivor_id}: "
        f"{result.moved_events} events and {result.moved_identities} identities moved"
    )


@accounts_app.command("list")
@friendly
def accounts_list(
    industry: Annotated[str | None, typer.Option(help="Industry, e.g. software.")] = None,
    country: Annotated[str | None, typer.Option(help="Country name.")] = None,
    tier: Annotated[str | None, typer.Option(help="most_wanted, tier_2, tier_3 or none.")] = None,
    q: Annotated[str | None, typer.Option(help="Search names and domains.")] = None,
    limit: Annotated[int, typer.Option(help="How many to show (1–500).")] = 50,
) -> None:
    """List accounts."""
    filters = {"industry": industry, "country": country, "tier": tier, "q": q}
    table = Table("id", "domain", "name", "industry", "country", "employees", "tier")
    for a in queries.list_accounts(uow(), filters=filters, limit=limit):
        table.add_row(
            str(a.id),
            a.domain or "",
            a.name or "",
            a.industry or "",
            a.country or "",
            str(a.employees or ""),
            a.tier.value,
        )
    console.print(table)


@accounts_app.command("show")
@friendly
def accounts_show(
    account_id: Annotated[int, typer.Argument(help="Account id.")],
) -> None:
    """Show an account with its people and deals."""
    view = queries.get_account(uow(), account_id=account_id, events=0)
    a = view.account
    console.print(
        f"[bold]{a.name}[/] ({a.domain}) — {a.industry or '?'}, {a.country or '?'}, "
        f"{a.employees or '?'} employees, tier {a.tier.value}, owner {a.owner or '-'}"
    )
    table = Table("id", "e-mail", "name", "title", "role", "stage")
    for p in view.people:
        table.add_row(str(p.id), p.email or "", p.name, p.title or "", p.role.value, p.lifecycle_stage)
    console.print(table)
    try:
        roll = leads.account_rollup(uow(), account_id=account_id)
        console.print(
            f"{roll.model}: total {roll.total:.0f}, best {roll.best:.0f}, top-{roll.top_k} {roll.top:.0f}; "
            f"{roll.people_engaged}/{roll.people_scored} engaged, {roll.qualified} qualified; "
            f"roles engaged: {', '.join(roll.roles_engaged) or 'none'}"
        )
    except NotFound:
        pass
    for opp in view.opportunities:
        console.print(f"  deal {opp['name']}: {opp['stage']} {opp['amount'] or 0:,.0f} {opp['currency']}")


@people_app.command("transition")
@friendly
def people_transition(
    who: Annotated[str, typer.Argument(help="E-mail address or person id.")],
    to: Annotated[
        str, typer.Argument(help="Target stage: lead, mql, sal, sql, opportunity, customer, recycled, …")
    ],
    reason: Annotated[
        str | None, typer.Option(help="Reason code (required for recycled and disqualified).")
    ] = None,
    actor: Annotated[str, typer.Option(help="Who makes the change.")] = "cli",
) -> None:
    """Move a person to another lifecycle stage (sales accepts, recycles or disqualifies)."""
    person_id = int(who) if who.isdigit() else queries.person_id_for_email(uow(), who)
    done = lifecycle.transition(uow(), person_id=person_id, to=to, actor=actor, reason=reason)
    console.print(f"person {done.person_id}: {done.from_stage} → {done.to_stage}")
