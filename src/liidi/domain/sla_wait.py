"""How long a handed-over lead has waited for its first response, in business time, and its SLA status.

Read-side view of an SLA clock at a moment: `open` while the deadline is ahead, `breached` once it has
passed untouched (whether or not the scan has seen it yet), `met` once a response stopped the clock.
A closed clock (the lead went to someone else) has no wait to show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from liidi.domain.business_time import BusinessCalendar

WAITING = ("open", "breached")


@dataclass(frozen=True, slots=True)
class SlaWait:
    """A lead's SLA at a moment: status, deadline, business time waited and past the deadline."""

    status: str
    policy: str
    due_ts: float
    waited_seconds: float
    late_seconds: float
    zone: str
    day_length: int = 86400

    @property
    def waiting(self) -> bool:
        """Whether the lead still waits for a first response."""
        return self.status in WAITING


def wait_of(clock: Mapping[str, Any], calendar: BusinessCalendar | None, now_ts: float) -> SlaWait | None:
    """The clock's wait as of `now_ts`, in the calendar's working time (wall-clock time without one);
    None for a closed clock."""
    status = str(clock["status"])
    if status not in (*WAITING, "met"):
        return None
    due = float(clock["due_ts"])
    end = float(clock["first_touch_ts"]) if status == "met" else now_ts
    if status != "met":
        status = "breached" if status == "breached" or now_ts >= due else "open"
    started = float(clock["started_ts"])
    return SlaWait(
        status=status,
        policy=str(clock["policy"]),
        due_ts=due,
        waited_seconds=_span(calendar, started, end),
        late_seconds=_span(calendar, due, end),
        zone=calendar.zone if calendar is not None else "UTC",
        day_length=calendar.day_length if calendar is not None else 86400,
    )


def _span(calendar: BusinessCalendar | None, start: float, end: float) -> float:
    if calendar is None:
        return max(0.0, end - start)
    return calendar.between(start, end)


def describe_wait(seconds: float, day_length: int = 86400) -> str:
    """Working seconds as '45m', '2h 10m' or, from one working day of `day_length` seconds on, as working
    days and hours: '3d 2h'."""
    if seconds >= day_length > 0:
        days, rest = divmod(int(seconds), day_length)
        return f"{days}d {rest // 3600}h" if rest >= 3600 else f"{days}d"
    hours, minutes = divmod(int(seconds) // 60, 60)
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m"


def wait_cell(wait: SlaWait, now_ts: float) -> str:
    """'due 14:30' (with the date when not today, in the calendar's zone), 'late 1h 05m' or 'met'."""
    if wait.status == "met":
        return "met"
    if wait.status == "breached":
        return f"late {describe_wait(wait.late_seconds, wait.day_length)}"
    tz = ZoneInfo(wait.zone)
    due, now = datetime.fromtimestamp(wait.due_ts, tz), datetime.fromtimestamp(now_ts, tz)
    return f"due {due:%H:%M}" if due.date() == now.date() else f"due {due:%d.%m %H:%M}"
