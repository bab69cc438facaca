"""`liidi import`: CSV files of people, accounts, events, dated stage changes or deals, with a mapping."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from liidi.cli.columns import column_report, parse_types, read_mapping_file
from liidi.cli.common import console, err_console, friendly, progress_bar, settings, uow
from liidi.cli.csvfile import (
    NESTED,
    Source,
    Spec,
    columns_used,
    on_lines,
    parse_mapping,
    read_rows,
    source_of,
    to_records,
)
from liidi.errors import FieldError, ValidationFailed
from liidi.services import history, imports
from liidi.services.attributes import ColumnType

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
            "--map",
            help="field=Column, repeatable; e.g. --map email='E-mail' --map traits.segment=Seg; "
            "a constant: --map type=:page_view; a value map: "
            "--map 'consent=Do Not Email:Yes→withdrawn,No→granted'.",
        ),
    ] = None,
    map_file: Annotated[
        Path | None,
        typer.Option(
            "--map-file", help="A YAML file of field: Column (or {constant: …} / {column: …, values: …})."
        ),
    ] = None,
    type_: Annotated[
        list[str] | None,
        typer.Option("--type", help="Column=type, repeatable: integer, number, boolean, datetime or text."),
    ] = None,
    missing: Annotated[
        list[str] | None,
        typer.Option("--missing", help="A placeholder value that means missing, e.g. Select; repeatable."),
    ] = None,
    all_columns: Annotated[
        bool, typer.Option("--all-columns", help="Keep every unmapped column as an attribute.")
    ] = False,
    id_column: Annotated[
        str | None,
        typer.Option(
            "--id-column",
            help="people: the column of each person's id in the CRM (e.g. 'Prospect ID'); "
            "the same as --map external_id=COLUMN. People are matched by it, then by e-mail.",
        ),
    ] = None,
) -> None:
    """Import a CSV file; every row is checked first, then all are stored in one transaction.

    Attribute columns are typed (declared with --type, else inferred); the columns kept and skipped
    are listed on stderr. history: dated stage changes (email / external_id / person_id, to,
    occurred_at, actor, reason, amount), which may skip stages; deals: opportunities upserted by
    external_id.
    """
    if kind not in KINDS:
        raise ValidationFailed([FieldError("KIND", kind, f"must be one of {', '.join(KINDS)}")])
    mapping = {**(read_mapping_file(kind, map_file) if map_file else {}), **parse_mapping(kind, map_ or [])}
    if id_column is not None:
        mapping |= _id_mapping(kind, id_column)
    declared = parse_types(type_ or [])
    header, rows, lines = read_rows(file)
    if id_column is not None and id_column.strip() not in header:
        reason = f"not a column of {file}; its columns are {', '.join(header)}"
        raise ValidationFailed([FieldError("--id-column", id_column, reason)])
    used = columns_used(kind, header, mapping, all_columns=all_columns)
    records = to_records(
        kind, header, rows, mapping, all_columns=all_columns, missing=frozenset(missing or [])
    )
    try:
        columns = _store(kind, records, _declared_traits(kind, used, declared))
    except ValidationFailed as error:
        raise on_lines(error, lines, file, kind) from None
    for line in column_report(header, used, columns):
        err_console.print(line, highlight=False, markup=False, soft_wrap=True)


def _id_mapping(kind: str, column: str) -> dict[str, Spec]:
    """`--id-column` as the mapping of `external_id` (people only)."""
    if kind != "people":
        reason = "is for people; map the id of other records with --map external_id=COLUMN"
        raise ValidationFailed([FieldError("--id-column", column, reason)])
    if not column.strip():
        raise ValidationFailed([FieldError("--id-column", column, "name the column, e.g. 'Prospect ID'")])
    return {"external_id": Source(column.strip())}


def _declared_traits(kind: str, used: dict[str, Spec], declared: dict[str, str]) -> dict[str, str]:
    """Declared types by trait name (a column's type applies to the trait it is imported as)."""
    prefix = NESTED[kind] + "."
    columns = {t: source_of(spec).column for t, spec in used.items() if t.startswith(prefix)}
    if kind == "events" and declared:
        reason = "types are for attributes of people and accounts; event properties are kept as sent"
        raise ValidationFailed([FieldError("--type", next(iter(declared)), reason)])
    unknown = [c for c in declared if c not in columns.values()]
    if unknown:
        reason = "no such column is imported as an attribute; map it to traits.<name> or use --all-columns"
        raise ValidationFailed([FieldError("--type", c, reason) for c in unknown])
    return {t.removeprefix(prefix): declared[c] for t, c in columns.items() if c in declared}


def _store(kind: str, records: list[dict[str, Any]], declared: dict[str, str]) -> dict[str, ColumnType]:
    """Store checked records in one transaction, with a progress bar, and say what happened."""
    if kind in ("history", "deals"):
        _load_past(kind, records)
        return {}
    with progress_bar(f"importing {kind}", len(records)) as advance:
        if kind == "events":
            tolerance = float(settings().future_tolerance_seconds)
            result = imports.import_events(
                uow(), records=records, progress=advance, future_tolerance=tolerance
            )
        elif kind == "people":
            result = imports.import_people(uow(), records=records, progress=advance, declared=declared)
        else:
            result = imports.import_accounts(uow(), records=records, progress=advance, declared=declared)
    if result.unchanged is not None:
        changed = result.updated_or_duplicate - result.unchanged
        told = f"{result.created} new, {changed} updated, {result.unchanged} unchanged"
    else:
        other = "already stored" if kind == "events" else "updated"
        told = f"{result.created} new, {result.updated_or_duplicate} {other}"
    console.print(f"{result.records} {kind} read: {told}")
    return {c.name: c for c in result.columns}


def _load_past(kind: str, records: list[dict[str, Any]]) -> None:
    """Store dated stage changes or deals in one transaction and say what happened."""
    if kind == "history":
        done = history.import_history(uow(), records=records)
        console.print(
            f"{done.records} stage changes read: {done.created} new, {done.already_stored} already stored"
        )
    else:
        done = history.import_deals(uow(), records=records)
        counts = f"{done.created} new, {done.updated} updated, {done.unchanged} unchanged"
        console.print(f"{done.records} deals read: {counts}")
