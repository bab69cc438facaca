"""One type per attribute whatever path it came in by: values are coerced to the stored type or refused.

Every path that writes traits (CSV import, `POST /v1/people`, identify, `POST /v1/accounts`) goes
through `typed_traits_in`; an import first types whole columns with `type_columns_in`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from liidi.domain.attributes import TypeMismatch, coerce, infer_type, type_of_value, widened
from liidi.errors import FieldError, ValidationFailed
from liidi.services.unit_of_work import ChangedMeanwhile, UnitOfWork


@dataclass(frozen=True, slots=True)
class ColumnType:
    """The type an imported attribute has, and where it came from: declared, inferred or stored."""

    name: str
    type: str
    source: str


def typed_traits_in(
    uow: UnitOfWork, scope: str, traits: Mapping[str, Any], now: float, *, index: int | None = None
) -> dict[str, Any]:
    """Traits coerced to their attributes' stored types; new attributes take the type of their value."""
    names = {n for n, v in traits.items() if type_of_value(v) is not None}
    stored = uow.attributes.types(scope, names)
    new: dict[str, tuple[str, str]] = {}
    typed: dict[str, Any] = dict(traits)
    errors: list[FieldError] = []
    for name in sorted(names):
        value = traits[name]
        kind = stored.get(name)
        if kind is None:
            new[name] = (type_of_value(value) or "text", "value")
            continue
        incoming = type_of_value(value) or kind
        if widened(kind, incoming) != kind:
            uow.attributes.widen(scope, name, widened(kind, incoming))
            continue
        try:
            typed[name] = coerce(value, kind)
        except TypeMismatch as mismatch:
            errors.append(FieldError(f"traits.{name}", value, f"{mismatch}: {name} is {kind}", index))
    if errors:
        raise ValidationFailed(errors, f"refused: {errors[0].one_line()}")
    _record_in(uow, scope, new, now)
    return typed


def type_columns_in(
    uow: UnitOfWork,
    scope: str,
    rows: Sequence[dict[str, Any]],
    now: float,
    *,
    declared: Mapping[str, str],
) -> list[ColumnType]:
    """Type each attribute column of imported rows in place (text values read as the column's type).

    A stored type wins; else a declared one; else the one inferred from the column's values. Every
    value that does not fit is reported with its row index, and nothing is stored then.
    """
    names = sorted({n for row in rows for n in row})
    stored = uow.attributes.types(scope, set(names))
    columns: list[ColumnType] = []
    errors: list[FieldError] = []
    for name in names:
        values = [row[name] for row in rows if name in row]
        column = _column_type(name, values, stored, declared)
        if column.source == "stored":
            wanted = declared.get(name) or infer_type(str(v) for v in values)
            if name in declared and widened(column.type, wanted) != wanted:
                reason = f"{name} is already stored as {column.type}"
                errors.append(FieldError(f"--type {name}", declared[name], reason))
            elif widened(column.type, wanted) != column.type:
                uow.attributes.widen(scope, name, widened(column.type, wanted))
                column = ColumnType(name, widened(column.type, wanted), "stored")
        columns.append(column)
        for index, row in enumerate(rows):
            if name in row:
                try:
                    row[name] = coerce(row[name], column.type)
                except TypeMismatch as mismatch:
                    errors.append(FieldError(f"traits.{name}", row[name], f"{mismatch} ({name})", index))
    if errors:
        raise ValidationFailed(errors, f"refused: {errors[0].one_line()}")
    _record_in(uow, scope, {c.name: (c.type, c.source) for c in columns if c.source != "stored"}, now)
    return columns


def _record_in(uow: UnitOfWork, scope: str, new: dict[str, tuple[str, str]], now: float) -> None:
    """Store the types of new attributes; if another writer typed one otherwise meanwhile, run again."""
    stored = uow.attributes.add_missing(scope, new, now)
    for name, (kind, _source) in sorted(new.items()):
        if stored.get(name) != kind:
            raise ChangedMeanwhile(
                f"attribute {name} was typed {stored.get(name)} by another writer meanwhile"
            )


def _column_type(
    name: str, values: list[Any], stored: Mapping[str, str], declared: Mapping[str, str]
) -> ColumnType:
    if name in stored:
        return ColumnType(name, stored[name], "stored")
    if name in declared:
        return ColumnType(name, declared[name], "declared")
    return ColumnType(name, infer_type(str(v) for v in values), "inferred")


def attributes_of(uow: UnitOfWork, scope: str, traits: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each trait with its stored type (None for lists and objects), in name order."""
    types = uow.attributes.types(scope, set(traits))
    return [{"name": name, "value": traits[name], "type": types.get(name)} for name in sorted(traits)]
