"""What every backend can store: 64-bit integers, finite numbers, text without NUL, real dates."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from liidi.domain.events import to_epoch

MAX_INT64 = 2**63 - 1
MAX_INT32 = 2**31 - 1
MAX_NESTING = 32
LATEST_EPOCH = 253402300799.0  # 9999-12-31T23:59:59Z


def parse_time(value: Any) -> float | None:
    """Epoch seconds from a datetime, a number or ISO 8601 text; None when none of these or out of range."""
    if isinstance(value, datetime):
        return to_epoch(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value) if math.isfinite(value) and abs(value) <= LATEST_EPOCH else None
    if isinstance(value, str):
        try:
            return to_epoch(datetime.fromisoformat(value.strip().replace("Z", "+00:00")))
        except (ValueError, OverflowError):
            return None
    return None


def moment_of(text: str) -> float | None:
    """Epoch seconds from '1793000000', '2026-11-01' or '2026-11-01T12:00:00+02:00' (UTC without an offset).

    None when the text is neither, or names a moment outside 1970-01-01 … 9999-12-31.
    """
    try:
        moment: float | None = float(text)
    except ValueError:
        moment = parse_time(text)
    if moment is None or not 0 <= moment <= LATEST_EPOCH:
        return None
    return moment


def json_value_problem(value: Any) -> tuple[str, str] | None:
    """Why a JSON value cannot be stored on every backend (path, reason), or None.

    Refused: nesting deeper than MAX_NESTING, NaN and ±Infinity, and the NUL character in keys or text.
    """
    stack: list[tuple[str, Any, int]] = [("", value, 1)]
    while stack:
        path, item, depth = stack.pop()
        if depth > MAX_NESTING and isinstance(item, Mapping | list):
            return path, f"nested deeper than {MAX_NESTING} levels"
        if isinstance(item, float) and not math.isfinite(item):
            return path, f"{item} is not a JSON number; use a finite number or text"
        if isinstance(item, str) and "\x00" in item:
            return path, "must not contain the NUL character (\\u0000)"
        if isinstance(item, Mapping):
            for key, inner in item.items():
                if "\x00" in str(key):
                    where = f"{path}.{key!r}".lstrip(".")
                    return where, "keys must not contain the NUL character (\\u0000)"
                stack.append((f"{path}.{key}".lstrip("."), inner, depth + 1))
        elif isinstance(item, list):
            stack.extend((f"{path}[{i}]", inner, depth + 1) for i, inner in enumerate(item))
    return None
