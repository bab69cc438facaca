"""`liidi targets`: the ideal-customer profile and the Most Wanted list of target accounts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from liidi.cli.common import console, err_console, friendly, uow
from liidi.cli.models import _who, read_text
from liidi.domain.most_wanted import parse_csv
from liidi.domain.scoring import issues_of
from liidi.errors import FieldError, SpecError
from liidi.services import targets

targets_app = typer.Typer(
    help="Target accounts: load the ICP (buying-group roles wanted) and import the Most Wanted list.",
    no_args_is_help=True,
)
SPEC_EXIT = 65
JsonOut = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def _say(line: str) -> None:
    console.print(line, markup=False, highlight=False)


def _problems(issues: list[FieldError]) -> None:
    """'file:line:column section: reason' per issue, then a count."""
    for issue in issues:
        err_console.print(issue.one_line(), markup=False, highlight=False, soft_wrap=True)
    noun = "problem" if len(issues) == 1 else "problems"
    err_console.print(f"[bold red]error:[/] {len(issues)} {noun} in the ICP file", highlight=False)


@targets_app.command("load")
@friendly
def targets_load(
    file: Annotated[
        Path, typer.Argument(help="An ICP YAML file (see docs/analytics.md, examples/icp.yaml).")
    ],
    author: Annotated[
        str | None, typer.Option(help="Who makes the change (default: your login name).", show_default=False)
    ] = None,
) -> None:
    """Check an ICP file and put it in force (exit 65 listing every problem with its line when invalid)."""
    text = read_text(file)
    try:
        loaded = targets.load_icp(uow(), text=text, source_name=str(file), author=_who(author))
    except SpecError as error:
        _problems(list(issues_of(error)))
        raise typer.Exit(SPEC_EXIT) from None
    doc, icp = loaded.document, loaded.icp
    state = "now in force" if loaded.created else "unchanged, already in force"
    _say(f"{doc.label} {state}: {icp.name}, {len(icp.roles)} roles, {icp.window_days}-day window")


@targets_app.command("show")
@friendly
def targets_show(as_json: JsonOut = False) -> None:
    """The ICP in force: which accounts fit and the buying-group roles wanted."""
    loaded = targets.show_icp(uow())
    data = loaded.icp.as_dict()
    if as_json:
        typer.echo(json.dumps({"version": loaded.document.version, **data}, ensure_ascii=False, indent=2))
        return
    _say(f"{loaded.document.label}: {data['icp']} ({data['window_days']}-day window)")
    for key in ("industries", "countries", "sizes", "revenue_bands"):
        _say(f"  {key}: {', '.join(data[key]) or 'any'}")  # type: ignore[arg-type]
    for role in loaded.icp.roles:
        parts = [
            f"{k}: {', '.join(v)}"
            for k, v in (("role", role.roles), ("seniority", role.seniorities), ("title", role.title_words))
            if v
        ]
        _say(f"  role {role.name}: {'; '.join(parts)}")


@targets_app.command("import")
@friendly
def targets_import(
    file: Annotated[Path, typer.Argument(help="A CSV with a header: domain and/or account_id, and tier.")],
    replace: Annotated[
        bool, typer.Option("--replace", help="Take accounts not in the file off the list (tier none).")
    ] = False,
    as_json: JsonOut = False,
) -> None:
    """Import the Most Wanted list: set each account's tier (most_wanted when left empty); an unknown
    domain becomes a new account. All rows or none."""
    rows = parse_csv(read_text(file))
    done = targets.import_most_wanted(uow(), rows=rows, replace=replace)
    if as_json:
        typer.echo(json.dumps(done.as_dict()))
        return
    _say(
        f"{done.listed} accounts on the list: {done.created} new, {done.changed} changed tier, "
        f"{done.removed} taken off"
    )
