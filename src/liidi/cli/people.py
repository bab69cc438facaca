"""`liidi people` and `liidi accounts`: find, read and merge."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from liidi.cli.args import person_id_of
from liidi.cli.common import Column, CsvFlag, JsonFlag, Listing, WideFlag, console, friendly, show_list, uow
from liidi.cli.timeline import render_person
from liidi.domain.accounts import Account
from liidi.domain.bounds import MAX_INT64
from liidi.domain.people import Person
from liidi.errors import NotFound
from liidi.services import leads, lifecycle, people, queries

people_app = typer.Typer(
    help="People (leads): list, show a timeline, merge duplicates.", no_args_is_help=True
)
accounts_app = typer.Typer(help="Accounts: list and show.", no_args_is_help=True)
PERSON_COLUMNS = (
    Column("id", right=True),
    Column("person", key=True, data=False),
    Column("e-mail", table=False),
    Column("crm id", table=False),
    Column("name", least=12),
    Column("stage", drop=2, least=12),
    Column("title", drop=3, least=12),
    Column("role", drop=4, least=14),
    Column("account", drop=5, right=True),
)
ACCOUNT_COLUMNS = (
    Column("id", right=True),
    Column("domain", key=True),
    Column("name", least=12),
    Column("country", drop=2),
    Column("tier", drop=3),
    Column("industry", drop=4, least=13),
    Column("employees", drop=5, right=True),
)


@people_app.command("list")
@friendly
def people_list(
    stage: Annotated[str | None, typer.Option(help="Lifecycle stage, e.g. lead, mql, sql.")] = None,
    role: Annotated[str | None, typer.Option(help="decision_maker, influencer, user or other.")] = None,
    account_id: Annotated[
        int | None, typer.Option(help="Only people of this account.", min=1, max=MAX_INT64)
    ] = None,
    q: Annotated[str | None, typer.Option(help="Search names and e-mails.")] = None,
    limit: Annotated[int, typer.Option(help="How many to show (1–500).")] = 50,
    wide: WideFlag = False,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
) -> None:
    """List people; columns that do not fit the terminal are left out (--wide shows all)."""
    filters = {"lifecycle_stage": stage, "role": role, "account_id": account_id, "q": q}
    found = queries.list_people(uow(), filters=filters, limit=limit)
    show_list(
        Listing(PERSON_COLUMNS, [_person_row(p) for p in found]), as_json=as_json, as_csv=as_csv, wide=wide
    )


def _person_row(p: Person) -> dict[str, Any]:
    """A person's cells."""
    return {
        "id": p.id,
        "person": p.handle,
        "e-mail": p.email or "",
        "crm id": p.external_id or "",
        "name": p.full_name or "",
        "title": p.title,
        "role": p.role.value,
        "stage": p.lifecycle_stage,
        "account": p.account_id,
    }


@people_app.command("show")
@friendly
def people_show(
    who: Annotated[str, typer.Argument(help="E-mail address, CRM id or person id.")],
    events: Annotated[int, typer.Option(help="How many recent events to show.", min=0, max=1000)] = 30,
) -> None:
    """Show a person with account, identities, lifecycle and a readable timeline."""
    person_id = person_id_of(who)
    render_person(console, queries.get_person(uow(), person_id=person_id, events=events))


@people_app.command("merge")
@friendly
def people_merge(
    survivor: Annotated[str, typer.Argument(help="E-mail, CRM id or person id of the person to keep.")],
    duplicate: Annotated[
        str, typer.Argument(help="E-mail, CRM id or person id of the person merged into it.")
    ],
    reason: Annotated[str | None, typer.Option(help="Why they are the same person.")] = None,
) -> None:
    """Merge a duplicate person into another, keeping all history; the merge is recorded."""
    ids = [person_id_of(w) for w in (survivor, duplicate)]
    result = people.merge_people(uow(), survivor_id=ids[0], merged_id=ids[1], actor="cli", reason=reason)
    console.print(
        f"merged person {result.merged_id} into {result.survivor_id}: "
        f"{result.moved_events} events and {result.moved_identities} identities moved",
        highlight=False,
    )


@accounts_app.command("list")
@friendly
def accounts_list(
    industry: Annotated[str | None, typer.Option(help="Industry, e.g. software.")] = None,
    country: Annotated[
        str | None, typer.Option(help="Country as an ISO 3166 two-letter code, e.g. FI.")
    ] = None,
    tier: Annotated[str | None, typer.Option(help="most_wanted, tier_2, tier_3 or none.")] = None,
    q: Annotated[str | None, typer.Option(help="Search names and domains.")] = None,
    limit: Annotated[int, typer.Option(help="How many to show (1–500).")] = 50,
    wide: WideFlag = False,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
) -> None:
    """List accounts; columns that do not fit the terminal are left out (--wide shows all)."""
    code = country.strip().upper() if country and len(country.strip()) == 2 else country
    filters = {"industry": industry, "country": code, "tier": tier, "q": q}
    found = queries.list_accounts(uow(), filters=filters, limit=limit)
    show_list(
        Listing(ACCOUNT_COLUMNS, [_account_row(a) for a in found]), as_json=as_json, as_csv=as_csv, wide=wide
    )


def _account_row(a: Account) -> dict[str, Any]:
    """An account's cells."""
    return {
        "id": a.id,
        "domain": a.domain,
        "name": a.name,
        "industry": a.industry,
        "country": a.country,
        "employees": a.employees,
        "tier": a.tier.value,
    }


@accounts_app.command("show")
@friendly
def accounts_show(
    account: Annotated[str, typer.Argument(help="Account id or domain, e.g. kivikoski.fi.")],
) -> None:
    """Show an account with its people and deals."""
    account_id = queries.account_id_for(uow(), account)
    view = queries.get_account(uow(), account_id=account_id, events=0)
    a = view.account
    console.print(
        f"{a.name} ({a.domain}) — {a.industry or '?'}, {a.country or '?'}, "
        f"{a.employees or '?'} employees, tier: {a.tier.value}, owner {a.owner or '-'}",
        markup=False,
        highlight=False,
    )
    show_list(Listing(PERSON_COLUMNS[:-1], [_person_row(p) for p in view.people]))
    try:
        roll = leads.account_rollup(uow(), account_id=account_id)
        console.print(
            f"{roll.model}: total {roll.total:.0f}, best {roll.best:.0f}, top-{roll.top_k} {roll.top:.0f}; "
            f"{roll.people_engaged}/{roll.people_scored} engaged, {roll.qualified} qualified; "
            f"roles engaged: {', '.join(roll.roles_engaged) or 'none'}",
            markup=False,
            highlight=False,
        )
    except NotFound:
        pass
    for opp in view.opportunities:
        console.print(
            f"  deal {opp['name']}: {opp['stage']} {opp['amount'] or 0:,.0f} {opp['currency']}",
            markup=False,
            highlight=False,
        )


@people_app.command("transition")
@friendly
def people_transition(
    who: Annotated[str, typer.Argument(help="E-mail address, CRM id or person id.")],
    to: Annotated[
        str, typer.Argument(help="Target stage: lead, mql, sal, sql, opportunity, customer, recycled, …")
    ],
    reason: Annotated[
        str | None, typer.Option(help="Reason code (required for recycled and disqualified).")
    ] = None,
    actor: Annotated[str, typer.Option(help="Who makes the change.")] = "cli",
) -> None:
    """Move a person to another lifecycle stage (sales accepts, recycles or disqualifies)."""
    person_id = person_id_of(who)
    done = lifecycle.transition(uow(), person_id=person_id, to=to, actor=actor, reason=reason)
    console.print(
        f"person {done.person_id}: {done.from_stage} → {done.to_stage}", markup=False, highlight=False
    )
