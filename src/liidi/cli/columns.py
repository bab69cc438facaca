"""The typing options of `liidi import` and its report of the columns kept and skipped."""

from __future__ import annotations

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


def column_report(header: list[str], used: dict[str, str], typed: dict[str, ColumnType]) -> list[str]:
    """Plain lines: each column kept, as what and of which type, then the columns skipped."""
    lines = []
    for target, column in used.items():
        name = target.partition(".")[2]
        found = typed.get(name) if name else None
        kind = f": {found.type} ({found.source})" if found else ""
        shown = column if column in (target, name) else f"{column} → {target}"
        lines.append(_fit(f"  kept {shown}{kind}"))
    skipped = [c for c in header if c not in set(used.values())]
    if skipped:
        lines.append(_fit(f"  skipped {len(skipped)} (use --all-columns or --map to keep them):"))
        lines.extend(_fit(f"    {c}") for c in skipped)
    return [f"columns: {len(used)} kept, {len(skipped)} skipped", *lines]


def _fit(line: str, width: int = 80) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"
