"""`liidi import`: CSV files of people, accounts, events, dated stage changes or deals, with a mapping."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from liidi.cli.common import console, friendly, progress_bar, settings, uow
from liidi.cli.csvfile import on_lines, parse_mapping, read_rows, to_records
from liidi.errors import FieldError, ValidationFailed
from liidi.services import history, imports

KINDS = ("people", "accounts", "events", "history", "deals")


@friendly
def import_command(
    kind: Annotated[
        str, typer.Argument(help="What the file holds: people, accounts, events, history or deals.")
    ],
    file: Annotated[Path, typer.Argument(help="A UTF-8 CSV file with a header row.")],
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map", help="field=Column, repeatable; e.g. --map email='E-mail' --map traits.segment=Seg."
        ),
    ] = None,
) -> None:
    """Import a CSV file; every row is checked first, then all are stored in one transaction.

    history: dated stage changes (email / external_id / person_id, to, occurred_at, actor, reason, amount),
    which may skip stages; deals: opportunities upserted by external_id.
    """
    if kind not in KINDS:
        raise ValidationFailed([FieldError("KIND", kind, f"must be one of {', '.join(KINDS)}")])
    mapping = parse_mapping(kind, map_ or [])
    header, rows, lines = read_rows(file)
    records = to_records(kind, header, rows, mapping)
    try:
        _store(kind, records)
    except ValidationFailed as error:
        raise on_lines(error, lines, file, kind) from None


def _store(kind: str, records: list[dict[str, Any]]) -> None:
    """Store checked records in one transaction, with a progress bar, and say what happened."""
    if kind in ("history", "deals"):
        _load_past(kind, records)
        return
    with progress_bar(f"importing {kind}", len(records)) as advance:
        if kind == "events":
            tolerance = float(settings().future_tolerance_seconds)
            result = imports.import_events(
                uow(), records=records, progress=advance, future_tolerance=tolerance
            )
        elif kind == "people":
            result = imports.import_people(uow(), records=records, progress=advance)
        else:
            result = imports.import_accounts(uow(), records=records, progress=advance)
    other = "already stored" if kind == "events" else "updated"
    console.print(
        f"{result.records} {kind} read: {result.created} new, {result.updated_or_duplicate} {other}"
    )


def _load_past(kind: str, records: list[dict[str, Any]]) -> None:
    """Store dated stage changes or deals in one transaction and say what happened."""
    if kind == "history":
        done = history.import_history(uow(), records=records)
        console.print(
            f"{done.records} stage changes read: {done.created} new, {done.already_stored} already stored"
        )
    else:
        done = history.import_deals(uow(), records=records)
        console.print(f"{done.records} deals read: {done.created} new, {done.updated} updated")
