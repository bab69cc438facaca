"""`liidi explain` and `liidi leads`: explained scores and the hot-lead list in the terminal."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

import typer

from liidi.cli.args import MOMENT_HELP, parse_moment, person_id_of
from liidi.cli.common import Column, CsvFlag, JsonFlag, Listing, WideFlag, console, friendly, show_list, uow
from liidi.cli.routing import assignment_lines, wrapped
from liidi.domain.events import from_epoch
from liidi.domain.scoring import ScoreCard, format_card
from liidi.domain.sla_wait import SlaWait, describe_wait, wait_cell
from liidi.errors import NotFound
from liidi.services import lead_sla, leads, routing
from liidi.services.clock import resolve_now

LEAD_COLUMNS = (
    Column("score grade", right=True, data=False),
    Column("score", table=False),
    Column("grade", table=False),
    Column("person", key=True, data=False),
    Column("e-mail", table=False),
    Column("crm id", table=False),
    Column("why", least=18, drop=1),
    Column("buying stage", table=False),
    Column("themes", table=False),
    Column("buying stage, themes", least=12, drop=2, data=False),
    Column("sla", drop=3, least=11, data=False),
    Column("sla status", table=False),
    Column("sla due", table=False),
    Column("sla waited", table=False),
    Column("account", drop=5, least=12),
    Column("lifecycle", drop=6),
    Column("title", drop=7, least=12),
    Column("id", drop=8, right=True),
    Column("owner", drop=9),
)
# A rep's waiting queue keeps the SLA in sight: the wait and the deadline are what the list is for.
WAITING_COLUMNS = tuple(
    replace(c, drop=0) if c.name == "sla" else replace(c, drop=4) if c.name.startswith("buying") else c
    for c in LEAD_COLUMNS
)
WHY_SHOWN = 2


@friendly
def explain(
    who: Annotated[str, typer.Argument(help="E-mail address, CRM id or person id.")],
    as_of: Annotated[str | None, typer.Option(help=f"The moment to score as of. {MOMENT_HELP}")] = None,
) -> None:
    """Explain a person's score under every published model: each rule's points, decay, caps and verdict."""
    person_id = person_id_of(who)
    moment = parse_moment(as_of) if as_of is not None else None
    cards = leads.person_cards(uow(), person_id=person_id, as_of=moment)
    if not cards:
        raise NotFound(
            "no scoring model is published yet: `liidi model add FILE` then `liidi model publish NAME`"
        )
    for card in cards:
        console.print(format_card(card), markup=False, highlight=False, soft_wrap=True)
    for line in assignment_lines(routing.assignments_of(uow(), person_id=person_id)):
        console.print(wrapped(line), markup=False, highlight=False, soft_wrap=True)


@friendly
def leads_command(
    hot: Annotated[
        bool,
        typer.Option(
            "--hot/--all",
            help="Only open leads that qualify now (hand-raiser, PQL or MQL), leaving out customers, "
            "disqualified people and people already in an open opportunity.",
        ),
    ] = True,
    with_open_deals: Annotated[
        bool,
        typer.Option("--with-open-deals", help="With --hot: also people already in an open opportunity."),
    ] = False,
    model: Annotated[str | None, typer.Option(help="Model name (default the first published).")] = None,
    grade: Annotated[str | None, typer.Option(help="Fit grade A–D.")] = None,
    stage: Annotated[str | None, typer.Option(help="Lifecycle stage, e.g. mql.")] = None,
    theme: Annotated[str | None, typer.Option(help="Interest theme, e.g. cloud.")] = None,
    owner: Annotated[
        str | None,
        typer.Option(
            help="A rep's own list: their open leads, qualifying today or not (with --all, every lead "
            "they own)."
        ),
    ] = None,
    waiting: Annotated[
        bool,
        typer.Option(
            "--waiting",
            help="With --owner: only leads whose response SLA still waits, oldest breach first, then "
            "open ones by due time.",
        ),
    ] = False,
    limit: Annotated[int, typer.Option(help="How many (1–500).")] = 20,
    wide: WideFlag = False,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
) -> None:
    """List leads by score as of now: grade, why, buying stage, themes and the response SLA (due, late, met).

    Why gives the top points, as in explain; the SLA shows for leads handed over to sales.
    """
    filters = {"grade": grade, "stage": stage, "theme": theme, "owner": owner}
    now = resolve_now(None)
    found = leads.hot_leads(
        uow(),
        model=model,
        hot=hot,
        filters=filters,
        limit=limit,
        with_open_deals=with_open_deals,
        waiting=waiting,
        as_of=now,
    )
    rows = [_lead_row(lead, as_json or as_csv) | _sla_cells(lead.sla, now) for lead in found]
    items = [_lead_item(lead) for lead in found]
    title = "waiting leads" if waiting else "hot leads" if hot else "leads"
    columns = WAITING_COLUMNS if waiting else LEAD_COLUMNS
    show_list(Listing(columns, rows, items, title), as_json=as_json, as_csv=as_csv, wide=wide)


def _lead_row(lead: leads.Lead, every_reason: bool) -> dict[str, Any]:
    """The table and CSV cells of a lead."""
    c, p = lead.card, lead.person
    why = lead.why if every_reason else lead.why[:WHY_SHOWN]
    return {
        "score grade": f"{c.score:.0f} {c.grade or '-'}",
        "score": f"{c.score:.0f}",
        "grade": c.grade or "",
        "person": p.handle,
        "e-mail": p.email or "",
        "crm id": p.external_id or "",
        "why": ", ".join(r.text for r in why),
        "buying stage, themes": _interest(c),
        "account": lead.account.name if lead.account else "",
        "lifecycle": p.lifecycle_stage,
        "buying stage": c.buying_stage or "",
        "themes": ", ".join(t.theme for t in c.themes),
        "title": p.title or "",
        "id": p.id,
        "owner": p.owner or "",
    }


def _sla_cells(wait: SlaWait | None, now: float) -> dict[str, Any]:
    """The SLA cells of a lead: the table's short cell and the CSV fields."""
    if wait is None:
        return {"sla": "", "sla status": "", "sla due": "", "sla waited": ""}
    return {
        "sla": wait_cell(wait, now),
        "sla status": wait.status,
        "sla due": from_epoch(wait.due_ts).isoformat(),
        "sla waited": describe_wait(wait.waited_seconds, wait.day_length),
    }


def _interest(card: ScoreCard) -> str:
    """'deciding: cloud, security' — the buying stage and the top two themes, in one cell."""
    themes = ", ".join(t.theme for t in card.themes[:2])
    stage = (card.buying_stage or "").replace("_", " ")
    return f"{stage}: {themes}" if stage and themes else stage or themes


def _lead_item(lead: leads.Lead) -> dict[str, Any]:
    """A lead as JSON, in the shape of the API's GET /v1/leads items."""
    c, p = lead.card, lead.person
    return {
        "person": {
            "id": p.id,
            "email": p.email,
            "external_id": p.external_id,
            "name": p.name,
            "title": p.title,
            "stage": p.lifecycle_stage,
        },
        "account": {"id": lead.account.id, "name": lead.account.name, "domain": lead.account.domain}
        if lead.account
        else None,
        "score": c.score,
        "grade": c.grade,
        "qualified": c.is_qualified,
        "qualified_by": c.qualified_by,
        "themes": [t.theme for t in c.themes],
        "buying_stage": c.buying_stage,
        "why": [
            {"kind": r.kind, "rule": r.rule, "points": r.points, "detail": r.detail, "text": r.text}
            for r in lead.why
        ],
        "owner": p.owner,
        "assignment": routing.assignment_item(lead.assignment),
        "sla": lead_sla.sla_item(lead.sla),
    }
