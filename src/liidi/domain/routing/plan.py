"""A routing document as frozen data: teams, reps, the rules that pick a team and the motions by potential."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from liidi.domain.accounts import Account
from liidi.domain.people import Person
from liidi.domain.scoring.conditions import Subject
from liidi.domain.scoring.spec import AllOf

PERIODS: tuple[str, ...] = ("day", "week")
QUALIFIED_BY: tuple[str, ...] = ("hand_raiser", "pql", "mql", "manual")


class Motion(StrEnum):
    """How much of a person's time a lead gets (R14): automation only, a light touch, or a full one."""

    NO_TOUCH = "no_touch"
    LOW_TOUCH = "low_touch"
    HIGH_TOUCH = "high_touch"


@dataclass(frozen=True, slots=True)
class Lead:
    """What routing reads of a lead: the person, their account and what qualified them."""

    person: Person
    account: Account | None = None
    qualified_by: str | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """When a rule applies: every condition on the person and account, and (if given) what qualified them."""

    when: AllOf = field(default_factory=AllOf)
    qualified_by: tuple[str, ...] = ()

    def holds(self, lead: Lead) -> bool:
        """True when the lead meets the rule's conditions."""
        if self.qualified_by and lead.qualified_by not in self.qualified_by:
            return False
        return Subject(lead.person, lead.account).holds(self.when)


@dataclass(frozen=True, slots=True)
class Team:
    """A sales team and its lead (who hears about escalations)."""

    name: str
    lead: str | None = None


@dataclass(frozen=True, slots=True)
class Away:
    """An out-of-office range, first and last day included, in the document's time zone."""

    first: date
    last: date

    def covers(self, day: date) -> bool:
        """True on every day of the range."""
        return self.first <= day <= self.last


@dataclass(frozen=True, slots=True)
class Rep:
    """A sales rep: their team, their weight in round-robin and how many new leads a period they take."""

    email: str
    team: str
    name: str | None = None
    weight: Fraction = Fraction(1)
    capacity: int | None = None
    away: tuple[Away, ...] = ()

    def is_away(self, day: date) -> bool:
        """True on an out-of-office day."""
        return any(span.covers(day) for span in self.away)

    def has_room(self, given: int) -> bool:
        """True while the leads given this period are below the rep's capacity (no capacity: always)."""
        return self.capacity is None or given < self.capacity


@dataclass(frozen=True, slots=True)
class TeamRule:
    """Leads that match go to a team; the first matching rule wins."""

    name: str
    team: str
    match: Match = field(default_factory=Match)


@dataclass(frozen=True, slots=True)
class MotionRule:
    """Leads that match get a motion; the first matching rule wins."""

    name: str
    motion: Motion
    match: Match = field(default_factory=Match)


@dataclass(frozen=True, slots=True)
class Period:
    """The day or week (in the document's time zone) whose leads count against capacity."""

    start: float
    end: float
    unit: str

    @property
    def words(self) -> str:
        """'today' or 'this week'."""
        return "today" if self.unit == "day" else f"this {self.unit}"


@dataclass(frozen=True, slots=True)
class RoutingPlan:
    """A whole routing document."""

    name: str
    teams: tuple[Team, ...]
    reps: tuple[Rep, ...]
    rules: tuple[TeamRule, ...]
    motions: tuple[MotionRule, ...] = ()
    fallback: str | None = None
    affinity: bool = True
    period: str = "week"
    timezone: str = "UTC"
    description: str = ""

    def rep(self, email: str | None) -> Rep | None:
        """The rep with this e-mail, if there is one."""
        return next((r for r in self.reps if r.email == email), None) if email else None

    def team(self, name: str | None) -> Team | None:
        """The team with this name, if there is one."""
        return next((t for t in self.teams if t.name == name), None) if name else None

    def members(self, team: str) -> tuple[Rep, ...]:
        """The reps of a team, in the order written."""
        return tuple(r for r in self.reps if r.team == team)

    def team_rule(self, lead: Lead) -> TeamRule | None:
        """The first rule whose conditions the lead meets."""
        return next((rule for rule in self.rules if rule.match.holds(lead)), None)

    def motion_rule(self, lead: Lead) -> MotionRule | None:
        """The first motion rule whose conditions the lead meets."""
        return next((rule for rule in self.motions if rule.match.holds(lead)), None)

    def day_at(self, ts: float) -> date:
        """The calendar day of a moment in the document's time zone."""
        return datetime.fromtimestamp(ts, ZoneInfo(self.timezone)).date()

    def period_at(self, ts: float) -> Period:
        """The day or week (from Monday) a moment falls in, as epoch seconds [start, end)."""
        zone = ZoneInfo(self.timezone)
        day = self.day_at(ts)
        first = day - timedelta(days=day.weekday()) if self.period == "week" else day
        length = 7 if self.period == "week" else 1
        start = datetime.combine(first, time(), zone).timestamp()
        try:
            end = datetime.combine(first + timedelta(days=length), time(), zone).timestamp()
        except OverflowError:
            end = start + length * 86400.0
        return Period(start, end, self.period)

    def fingerprint(self) -> str:
        """A stable hash of what changes routing (the description left out)."""
        data = {k: v for k, v in dataclasses.asdict(self).items() if k != "description"}
        text = json.dumps(data, sort_keys=True, default=_plain, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _plain(value: Any) -> Any:
    """JSON for fractions and dates (everything else in a plan is already plain)."""
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    return str(value)
