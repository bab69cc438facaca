"""`liidi explain` and `liidi leads`: explained scores and the hot-lead list in the terminal."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from liidi.cli.common import console, friendly, uow
from liidi.domain.scoring import format_card
from liidi.services import leads, queries


@friendly
def explain(
    who: Annotated[str, typer.Argument(help="E-mail address or person id.")],
    as_of: Annotated[float | None, typer.Option(help="Epoch seconds to score as of (default now).")] = None,
) -> None:
    """Explain a person's score under every published model: each rule's points, decay, caps and verdict."""
    person_id = int(who) if who.isdigit() else queries.person_id_for_email(uow(), who)
    cards = leads.person_cards(uow(), person_id=person_id, as_of=as_of)
    if not cards:
        console.print("no scoring model is published yet (liidi model add FILE; liidi model publish NAME)")
    for card in cards:
        console.print(format_card(card), highlight=False, soft_wrap=True)


@friendly
def leads_command(
    hot: Annotated[bool, typer.Option("--hot/--all", help="Only leads that qualify now.")] = True,
    model: Annotated[str | None, typer.Option(help="Model name (default the first published).")] = None,
    grade: Annotated[str | None, typer.Option(help="Fit grade A–D.")] = None,
    stage: Annotated[str | None, typer.Option(help="Lifecycle stage, e.g. mql.")] = None,
    theme: Annotated[str | None, typer.Option(help="Interest theme, e.g. cloud.")] = None,
    owner: Annotated[str | None, typer.Option(help="Owner's e-mail.")] = None,
    limit: Annotated[int, typer.Option(help="How many (1–500).")] = 20,
) -> None:
    """List leads by score as of now, with grade, themes, buying stage and why they are hot."""
    filters = {"grade": grade, "stage": stage, "theme": theme, "owner": owner}
    found = leads.hot_leads(uow(), model=model, hot=hot, filters=filters, limit=limit)
    table = Table(
        "score", "grade", "lead", "title", "account", "stage", "why", title="hot leads" if hot else "leads"
    )
    for lead in found:
        c, p = lead.card, lead.person
        why = c.qualified_by or ", ".join(t.theme for t in c.themes) or ""
        table.add_row(
            f"{c.score:.0f}",
            c.grade or "-",
            p.email or str(p.id),
            p.title or "",
            lead.account.name if lead.account else "-",
            p.lifecycle_stage,
            why,
        )
    console.print(table)
