"""A backtest's parameters: the window (by default the span of the stored history), horizon and engine."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from liidi.analytics import backtest as bt
from liidi.engines import registry
from liidi.errors import FieldError, ValidationFailed
from liidi.services.unit_of_work import UnitOfWork

MAX_STEPS = 520
_DURATION = re.compile(r"^([1-9][0-9]*)([hdw])$")
_UNITS = {"h": 3600.0, "d": bt.DAY, "w": bt.WEEK}
Moment = str | float | datetime | None


@dataclass(frozen=True, slots=True)
class Params:
    """A backtest's window, horizon, optional weekly sales capacity and batch engine, checked."""

    start: float
    end: float
    every: str
    horizon: str
    capacity: float | None
    engine: str

    def window(self) -> bt.Window:
        """The window in seconds."""
        return bt.Window(self.start, self.end, duration(self.every), duration(self.horizon))

    def as_json(self) -> dict[str, Any]:
        """The parameters as stored and reported."""
        return {
            "from": iso(self.start),
            "to": iso(self.end),
            "every": self.every,
            "horizon": self.horizon,
            "capacity": self.capacity,
            "engine": self.engine,
        }


def check_params(
    *,
    start: Moment = None,
    end: Moment = None,
    every: str = "7d",
    horizon: str = "90d",
    capacity: float | None = None,
    engine: str = "reference",
    new_uow: Callable[[], UnitOfWork] | None = None,
) -> Params:
    """Parameters from text or numbers; every problem is a FieldError naming the field.

    Without `start` or `end` the window is taken from the history in the store (`new_uow`): from the
    day of the first arrival to the last day whose horizon the history covers (see `default_window`).
    """
    errors: list[FieldError] = []
    start_ts = _moment("from", start, errors) if start is not None else None
    end_ts = _moment("to", end, errors) if end is not None else None
    every_s, horizon_s = _duration("every", every, errors), _duration("horizon", horizon, errors)
    if not errors and (start is None or end is None) and every_s and horizon_s:
        start_ts, end_ts = _defaults(new_uow, start_ts, end_ts, every_s, horizon_s, errors)
    if start_ts is not None and end_ts is not None:
        errors += _span_errors(end_ts - start_ts, iso(end_ts) if end is None else end, every, every_s)
    if capacity is not None and not capacity > 0:
        errors.append(FieldError("capacity", capacity, "must be a number of leads per week above 0"))
    errors += engine_errors(engine)
    if errors or start_ts is None or end_ts is None:
        raise ValidationFailed(errors)
    return Params(start_ts, end_ts, every, horizon, capacity, engine)


def _defaults(
    new_uow: Callable[[], UnitOfWork] | None,
    start: float | None,
    end: float | None,
    every: float,
    horizon: float,
    errors: list[FieldError],
) -> tuple[float | None, float | None]:
    """The missing ends of the window, from the span of the stored history."""
    span = None
    if new_uow is not None:
        with new_uow() as uow:
            first, last = uow.backtests.earliest_ts(), uow.backtests.latest_ts()
        span = (first, last) if first is not None and last is not None else None
    if span is None:
        missing = "from" if start is None else "to"
        errors.append(FieldError(missing, None, "is required: the store holds no history to take it from"))
        return start, end
    return default_window(span, start=start, end=end, every=every, horizon=horizon)


def default_window(
    span: tuple[float, float], *, start: float | None, end: float | None, every: float, horizon: float
) -> tuple[float, float]:
    """The window over a history from `span[0]` (the first arrival) to `span[1]` (the latest record).

    `from` defaults to midnight UTC of the first arrival and `to` to midnight of the last day whose
    horizon ends within the history (`latest - horizon`), but never before `from`. When `from` is the
    default and the window would hold more than MAX_STEPS steps, it keeps the latest MAX_STEPS.
    """
    first, last = span
    chosen_end = end if end is not None else _midnight(last - horizon)
    chosen_start = start if start is not None else _midnight(first)
    if end is None:
        chosen_end = max(chosen_end, chosen_start)
    if start is None and (chosen_end - chosen_start) / every >= MAX_STEPS:
        chosen_start = chosen_end - (MAX_STEPS - 1) * every
    return chosen_start, chosen_end


def _midnight(ts: float) -> float:
    return ts - ts % bt.DAY


def _span_errors(span: float, end: Any, every: str, every_s: float | None) -> list[FieldError]:
    """'to' must not be before 'from', and the window must not hold too many steps."""
    if span < 0:
        return [FieldError("to", end, "must not be before from")]
    if every_s and span / every_s >= MAX_STEPS:
        return [FieldError("every", every, f"gives more than {MAX_STEPS} steps from 'from' to 'to'")]
    return []


def engine_errors(engine: str) -> list[FieldError]:
    """The engine must be known and installed."""
    runner = registry.RUNNERS.get(engine)
    if runner is None:
        return [FieldError("engine", engine, f"unknown engine; use one of {', '.join(engine_names())}")]
    if not runner.available():
        return [FieldError("engine", engine, f"not available in this installation: {runner.missing()}")]
    return []


def engine_names() -> list[str]:
    """The engine names a backtest accepts, in the order of the engine registry."""
    return registry.names()


def duration(text: str) -> float:
    """'7d' → seconds; units h, d and w."""
    found = _DURATION.match(text.strip())
    if found is None:
        raise ValueError(f"not a duration: {text!r}")
    return int(found.group(1)) * _UNITS[found.group(2)]


def _duration(name: str, value: str, errors: list[FieldError]) -> float | None:
    try:
        return duration(str(value))
    except ValueError:
        errors.append(FieldError(name, value, "must be a duration above 0 such as 36h, 7d or 2w"))
        return None


def _moment(name: str, value: str | float | datetime, errors: list[FieldError]) -> float | None:
    try:
        if isinstance(value, int | float):
            return float(value)
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).strip())
    except ValueError:
        errors.append(FieldError(name, value, "must be a date (2026-09-01) or an ISO 8601 time"))
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def iso(ts: float) -> str:
    """An epoch time as ISO 8601 UTC with a Z."""
    return datetime.fromtimestamp(ts, tz=UTC).isoformat().replace("+00:00", "Z")
