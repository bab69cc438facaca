"""Reading CSV files with a column mapping into records for the import services."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from liidi.domain.history import DEAL_FIELDS, HISTORY_FIELDS
from liidi.errors import FieldError, ValidationFailed

FIELDS: dict[str, tuple[str, ...]] = {
    "people": (
        "email",
        "external_id",
        "first_name",
        "last_name",
        "title",
        "consent",
        "lead_tool",
        "channel",
        "direction",
        "sourced_by",
        "owner",
        "account_domain",
        "account_external_id",
        "account_name",
        "account_id",
        "created_at",
    ),
    "accounts": (
        "domain",
        "external_id",
        "name",
        "industry",
        "country",
        "employees",
        "revenue_band",
        "tier",
        "owner",
        "created_at",
    ),
    "events": ("id", "type", "email", "person_id", "anonymous_id", "occurred_at"),
    "history": HISTORY_FIELDS,
    "deals": DEAL_FIELDS,
}
NESTED = {"people": "traits", "accounts": "traits", "events": "properties", "history": "-", "deals": "-"}


def parse_mapping(kind: str, pairs: list[str]) -> dict[str, Spec]:
    """`field=Column` pairs → {field: column}; nested fields are written traits.x or properties.x.

    The column side may also be a constant (`:page_view`) or a column with a value map
    (`Do Not Email:Yes→withdrawn,No→granted`), see `source_of`."""
    mapping: dict[str, Spec] = {}
    for pair in pairs:
        target, sep, column = pair.partition("=")
        target, column = target.strip(), column.strip()
        if not sep or not target or not column:
            raise ValidationFailed([FieldError("--map", pair, "write it as field=Column")])
        source_of(column, pair)
        check_target(kind, target, pair)
        mapping[target] = column
    return mapping


def check_target(kind: str, target: str, pair: str) -> None:
    """A FieldError unless `target` is a field of `kind` or a nested traits.x / properties.x."""
    nested = target.startswith(NESTED[kind] + ".") and len(target) > len(NESTED[kind]) + 1
    if target not in FIELDS[kind] and not nested:
        allowed = ", ".join(FIELDS[kind]) + (f", {NESTED[kind]}.<name>" if NESTED[kind] != "-" else "")
        raise ValidationFailed([FieldError("--map", pair, f"unknown {kind} field '{target}'; use {allowed}")])


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]], list[int]]:
    """Header, rows and each row's first line in the file, of a UTF-8 CSV file (a BOM is allowed)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ValidationFailed([FieldError("FILE", str(path), "file not found")]) from None
    except IsADirectoryError:
        raise ValidationFailed([FieldError("FILE", str(path), "is a directory, not a CSV file")]) from None
    except OSError as error:
        reason = f"cannot be read: {error.strerror or error}"
        raise ValidationFailed([FieldError("FILE", str(path), reason)]) from None
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        reason = f"not UTF-8 (byte {error.object[error.start]:#x} on line {line}); save the file as UTF-8"
        raise ValidationFailed([FieldError("FILE", str(path), reason)]) from None
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(text.splitlines(), dialect=dialect)
    if not reader.fieldnames:
        raise ValidationFailed([FieldError("FILE", str(path), "the file has no header row")])
    rows: list[dict[str, str]] = []
    lines: list[int] = []
    for row in reader:
        rows.append(row)
        lines.append(reader.line_num - sum(str(value).count("\n") for value in row.values()))
    return list(reader.fieldnames), rows, lines


@dataclass(frozen=True, slots=True)
class RowError(FieldError):
    """A refused row of a CSV file, named by its first line in the file."""

    line: int = 0

    def one_line(self) -> str:
        """'line 5: email='bad': e-mail address has no '@''."""
        return f"line {self.line}: {self.field}={self.value!r}: {self.reason}"


def on_lines(error: ValidationFailed, lines: list[int], path: Path, kind: str) -> ValidationFailed:
    """The same refusal with each item's line in the file, so a user can find the row."""
    found = [
        RowError(e.field, e.value, e.reason, e.index, lines[e.index])
        if e.index is not None and 0 <= e.index < len(lines)
        else e
        for e in error.errors
    ]
    return ValidationFailed(found, f"no {kind} stored: {path} {found[0].one_line()}")


def columns_used(
    kind: str, header: list[str], mapping: dict[str, Spec], *, all_columns: bool = False
) -> dict[str, Spec]:
    """{target: column} for the mapped and same-named columns, and with `all_columns` (always for
    events) every other column as a trait or property of its own name."""
    missing = [
        f"{field}={source_of(spec).column}"
        for field, spec in mapping.items()
        if (column := source_of(spec).column) is not None and column not in header
    ]
    if missing:
        reason = f"mapped column not in the file's header {header}"
        raise ValidationFailed([FieldError("--map", m, reason) for m in missing])
    full: dict[str, Spec] = {**{name: name for name in header if name in FIELDS[kind]}, **mapping}
    if all_columns or kind == "events":
        used = {source_of(spec).column for spec in full.values()}
        full |= {f"{NESTED[kind]}.{c}": c for c in header if c not in used and c.strip()}
    return full


def to_records(
    kind: str,
    header: list[str],
    rows: list[dict[str, str]],
    mapping: dict[str, Spec],
    *,
    all_columns: bool = False,
    missing: frozenset[str] = frozenset(),
) -> list[dict[str, Any]]:
    """Apply the mapping (plus same-named columns) to rows; events keep unmapped columns as properties.

    Blank cells and the placeholder values in `missing` (e.g. 'Select') are left out as missing."""
    sources = {
        t: source_of(spec) for t, spec in columns_used(kind, header, mapping, all_columns=all_columns).items()
    }
    records = []
    for row in rows:
        record: dict[str, Any] = {}
        for target, source in sources.items():
            value = source.value(row)
            if value and value not in missing:
                _put(record, target, value)
        records.append(record)
    return records


ARROWS = ("→", "->")


@dataclass(frozen=True, slots=True)
class Source:
    """Where a field's value comes from: a column (its values mapped if `values`), or a constant."""

    column: str | None
    constant: str | None = None
    values: tuple[tuple[str, str], ...] = ()

    def value(self, row: dict[str, str]) -> str:
        """This source's value in a row, stripped; a value not in the value map is kept as it is."""
        if self.column is None:
            return self.constant or ""
        value = (row.get(self.column) or "").strip()
        return dict(self.values).get(value, value)


Spec = str | Source
"""A field's source as given: column text (see `source_of`) or a Source read from a mapping file."""


def source_of(spec: str | Source, pair: str | None = None) -> Source:
    """`Column`, `:constant` or `Column:From→to,From→to` (`->` too); FieldError naming `pair`."""
    if isinstance(spec, Source):
        return spec
    if spec.startswith(":"):
        return Source(None, spec[1:].strip())
    arrow = min((i for a in ARROWS if (i := spec.find(a)) >= 0), default=-1)
    if arrow < 0:
        return Source(spec)
    colon = spec.rfind(":", 0, arrow)
    pairs = []
    for item in spec[colon + 1 :].split(","):
        old, new = _arrow_split(item)
        if colon <= 0 or not old:
            reason = "write a value map as Column:From→to,From→to"
            raise ValidationFailed([FieldError("--map", pair or spec, reason)])
        pairs.append((old, new))
    return Source(spec[:colon].strip(), None, tuple(pairs))


def _arrow_split(item: str) -> tuple[str, str]:
    for arrow in ARROWS:
        old, sep, new = item.partition(arrow)
        if sep:
            return old.strip(), new.strip()
    return "", ""


def _put(record: dict[str, Any], target: str, value: str) -> None:
    head, dot, tail = target.partition(".")
    if dot:
        record.setdefault(head, {})[tail] = value
    else:
        record[target] = value
