"""Small builders for test input."""

from __future__ import annotations

from typing import Any

NOW = 1_793_000_000.0  # 2026-10-26T07:33:20Z, a fixed "now" for services


def event(type_: str = "page_view", *, ts: float = NOW - 3600, **fields: Any) -> dict[str, Any]:
    """A raw event as the API receives it."""
    raw: dict[str, Any] = {"type": type_, "occurred_at": ts}
    raw.update(fields)
    return raw
