"""The typing options of `liidi import` and its report of the columns kept and skipped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from liidi.cli.csvfile import Source, Spec, check_target, source_of
from liidi.domain.attributes import TypeMismatch, parse_type
from liidi.errors import FieldError, ValidationFailed
from liidi.services.attributes import ColumnType


def parse_types(pairs: list[str]) -> dict[str, str]:
    """`Column=type` pairs → {column: type}."""
    declared: dict[str, str] = {}
    errors: list[FieldError] = []
    for pair in pairs:
        column, sep, kind = pair.rpartition("=")
        if not sep or not column.strip():
            errors.append(FieldError("--type", pair, "write it as Column=type, e.g. TotalVisits=number"))
            continue
        try:
            declared[column.strip()] = parse_type(kind)
        except TypeMismatch as mismatch:
            errors.append(FieldError("--type", pair, str(mismatch)))
    if errors:
        raise ValidationFailed(errors)
    return declared


def read_mapping_file(kind: str, path: Path) -> dict[str, Spec]:
    """A YAML mapping file: `field: Column`, `field: {constant: x}` or
    `field: {column: C, values: {From: to}}`; every value is read as text (Yes stays Yes)."""
    try:
        loaded: Any = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ValidationFailed([FieldError("--map-file", str(path), f"cannot be read: {error}")]) from None
    if not isinstance(loaded, dict):
        raise ValidationFailed([FieldError("--map-file", str(path), "must be a mapping of field: Column")])
    return {target: _file_source(kind, target, entry) for target, entry in loaded.items()}


def _file_source(kind: str, target: str, entry: Any) -> Spec:
    check_target(kind, target, target)
    if isinstance(entry, str) and entry.strip():
        return Source(entry.strip())
    if isinstance(entry, dict) and set(entry) == {"constant"}:
        return Source(None, str(entry["constant"]))
    values = entry.get("values", {}) if isinstance(entry, dict) else None
    if isinstance(entry, dict) and set(entry) <= {"column", "values"} and isinstance(values, dict):
        pairs = tuple((str(k).strip(), str(v).strip()) for k, v in values.items())
        return Source(str(entry.get("column", "")).strip() or None, None, pairs)
    reason = "write Column, {constant: value} or {column: Column, values: {From: to}}"
    raise ValidationFailed([FieldError(f"--map-file {target}", entry, reason)])


def column_report(header: list[str], used: dict[str, Spec], typed: dict[str, ColumnType]) -> list[str]:
    """Plain lines: each column kept, as what and of which type, then the columns skipped."""
    lines = []
    for target, spec in used.items():
        name = target.partition(".")[2]
        found = typed.get(name) if name else None
        kind = f": {found.type} ({found.source})" if found else ""
        source = source_of(spec)
        given = source.column if source.column is not None else f":{source.constant}"
        given += " (values mapped)" if source.values else ""
        shown = given if given in (target, name) else f"{given} → {target}"
        lines.append(_fit(f"  kept {shown}{kind}"))
    kept = {source_of(spec).column for spec in used.values()}
    skipped = [c for c in header if c not in kept]
    if skipped:
        lines.append(_fit(f"  skipped {len(skipped)} (use --all-columns or --map to keep them):"))
        lines.extend(_fit(f"    {c}") for c in skipped)
    return [f"columns: {len(used)} kept, {len(skipped)} skipped", *lines]


def _fit(line: str, width: int = 80) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"
