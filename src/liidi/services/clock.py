"""The current time as epoch seconds; services take `now` so tests can fix it."""

from __future__ import annotations

import time


def resolve_now(now: float | None) -> float:
    """The given time, or the wall clock when none was given."""
    return time.time() if now is None else now
