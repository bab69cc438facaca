"""Response SLA policies: how soon a handed-over lead must be touched, measured in business time.

A policy gives a deadline in working time from the hand-over, an optional warning before it, and an
escalation ladder whose steps fall due at working-time offsets after the breach.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from liidi.domain.business_time import BusinessCalendar

QUALIFIED_BY = ("hand_raiser", "mql", "pql", "manual")
MOTIONS = ("no_touch", "low_touch", "high_touch")
GRADES = ("A", "B", "C", "D")
_DURATION = re.compile(r"^(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?$")


class Action(StrEnum):
    """What an escalation step does."""

    NOTIFY_OWNER = "notify_owner"
    NOTIFY_TEAM_LEAD = "notify_team_lead"
    REASSIGN = "reassign"


def parse_working_time(text: str, day_length: int) -> int:
    """'30m', '4h', '1h 30m' or '1d' (one working day of `day_length` seconds) as seconds of working time."""
    match = _DURATION.match(text.strip().lower())
    if not match or not text.strip() or not any(match.groups()):
        raise ValueError(f"expected working time such as 30m, 4h, 1h 30m or 1d, got {text!r}")
    days, hours, minutes = (int(part or 0) for part in match.groups())
    return days * day_length + hours * 3600 + minutes * 60


def describe_working_time(seconds: float, day_length: int) -> str:
    """Seconds of working time as '1d', '4h', '1h 30m' or '15m'."""
    days, rest = divmod(int(seconds), day_length) if seconds >= day_length else (0, int(seconds))
    hours, rest = divmod(rest, 3600)
    parts = [f"{days}d"] * bool(days) + [f"{hours}h"] * bool(hours) + [f"{rest // 60}m"] * bool(rest // 60)
    return " ".join(parts) or "0m"


@dataclass(frozen=True, slots=True)
class Step:
    """One rung of the ladder: an action due `after` seconds of working time past the deadline."""

    after: int
    action: Action

    def is_due(self, since_breach: float) -> bool:
        """Whether this step's time has come, `since_breach` working seconds after the deadline."""
        return since_breach >= self.after


@dataclass(frozen=True, slots=True)
class Ladder:
    """Escalation steps in order of their offsets after the breach."""

    steps: tuple[Step, ...] = ()

    def steps_due(self, since_breach: float) -> tuple[Step, ...]:
        """The steps whose time has come, `since_breach` working seconds after the deadline."""
        return tuple(step for step in self.steps if step.is_due(since_breach))

    def next_step(self, since_breach: float) -> Step | None:
        """The first step not yet due, if any."""
        return next((step for step in self.steps if not step.is_due(since_breach)), None)


@dataclass(frozen=True, slots=True)
class Match:
    """Which leads a policy is for; an empty set matches any value."""

    qualified_by: frozenset[str] = frozenset()
    motion: frozenset[str] = frozenset()
    grade: frozenset[str] = frozenset()

    def matches(self, qualified_by: str | None, motion: str | None, grade: str | None) -> bool:
        """Whether a lead qualified this way, with this motion and grade, is covered."""
        return all(
            not wanted or value in wanted
            for wanted, value in (
                (self.qualified_by, qualified_by),
                (self.motion, motion),
                (self.grade, grade),
            )
        )

    def covers(self, other: Match) -> bool:
        """Whether every lead the other matches is matched by this one too."""
        return all(
            not mine or (theirs and theirs <= mine)
            for mine, theirs in (
                (self.qualified_by, other.qualified_by),
                (self.motion, other.motion),
                (self.grade, other.grade),
            )
        )


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    """How soon leads of one kind must be touched, in the working time of a calendar."""

    name: str
    respond_within: int
    calendar: BusinessCalendar
    warn_before: int | None = None
    ladder: Ladder = Ladder()
    match: Match = Match()

    def deadline(self, handed_over_ts: float) -> float:
        """When the lead must have been touched: `respond_within` of working time after the hand-over."""
        return self.calendar.add(handed_over_ts, self.respond_within)

    def warning_at(self, handed_over_ts: float) -> float | None:
        """When the owner is warned: `warn_before` of working time before the deadline, if ever."""
        if self.warn_before is None:
            return None
        return self.calendar.add(handed_over_ts, self.respond_within - self.warn_before)

    def waited(self, handed_over_ts: float, now_ts: float) -> float:
        """Working seconds the lead has waited since the hand-over."""
        return self.calendar.between(handed_over_ts, now_ts)

    def is_breached(self, handed_over_ts: float, now_ts: float) -> bool:
        """Whether the deadline has passed untouched by `now`."""
        return now_ts >= self.deadline(handed_over_ts)

    def since_breach(self, handed_over_ts: float, now_ts: float) -> float | None:
        """Working seconds since the deadline, or None before it."""
        due = self.deadline(handed_over_ts)
        return self.calendar.between(due, now_ts) if now_ts >= due else None

    def steps_due(self, handed_over_ts: float, now_ts: float) -> tuple[Step, ...]:
        """The escalation steps due by `now` (none before the breach)."""
        since = self.since_breach(handed_over_ts, now_ts)
        return () if since is None else self.ladder.steps_due(since)

    def step_at(self, handed_over_ts: float, step: Step) -> float:
        """When a step of the ladder falls due: its offset of working time after the deadline."""
        return self.calendar.add(self.deadline(handed_over_ts), step.after)


@dataclass(frozen=True, slots=True)
class SlaPolicies:
    """The calendar and the policies of one sla.yaml, in the order they are tried."""

    calendar: BusinessCalendar
    policies: tuple[SlaPolicy, ...]
    source: str = ""

    def policy_for(
        self, *, qualified_by: str | None, motion: str | None = None, grade: str | None = None
    ) -> SlaPolicy | None:
        """The first policy that matches a lead, or None when no SLA applies."""
        return next((p for p in self.policies if p.match.matches(qualified_by, motion, grade)), None)

    def named(self, name: str) -> SlaPolicy | None:
        """The policy of a name, if there is one."""
        return next((p for p in self.policies if p.name == name), None)
