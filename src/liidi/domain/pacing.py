"""Weekly pacing (R20, R21): ISO weeks, weekly targets, notes per week and playbook triggers.

A week is an ISO week in UTC, Monday 00:00 to the next Monday, named like `2026-W49`. The four counted
metrics are leads, MQLs, SALs and meetings (see docs/pacing.md for what each counts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from liidi.errors import FieldError, ValidationFailed

METRICS = ("leads", "mqls", "sals", "meetings")
DIMENSIONS = ("lead_tool", "channel", "direction", "sourced_by")
ACTIONS = ("start_outbound", "order_meetings", "task")
WEEK_SECONDS = 7 * 86400
MONDAY_OFFSET = 3 * 86400  # 1970-01-01 was a Thursday: epoch + 3 days is a Monday 00:00 UTC
MAX_NOTE = 4000
MAX_WEEKS = 104
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True, slots=True, order=True)
class Week:
    """One ISO week (UTC): its year and number."""

    year: int
    number: int

    @property
    def label(self) -> str:
        """'2026-W49'."""
        return f"{self.year:04d}-W{self.number:02d}"

    @property
    def monday(self) -> date:
        """The Monday the week starts on."""
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def start(self) -> float:
        """Monday 00:00 UTC as epoch seconds."""
        return datetime(*self.monday.timetuple()[:3], tzinfo=UTC).timestamp()

    @property
    def end(self) -> float:
        """The next Monday 00:00 UTC as epoch seconds."""
        return self.start + WEEK_SECONDS

    @property
    def index(self) -> int:
        """Whole weeks since the Monday before the epoch (the key the weekly counts are grouped by)."""
        return int((self.start + MONDAY_OFFSET) // WEEK_SECONDS)

    def shifted(self, weeks: int) -> Week:
        """The week `weeks` later (earlier when negative)."""
        return week_of_date(self.monday + timedelta(weeks=weeks))


def week_of_date(day: date) -> Week:
    """The ISO week a date falls in."""
    year, number, _ = day.isocalendar()
    return Week(year, number)


def week_of(ts: float) -> Week:
    """The ISO week (UTC) a moment falls in."""
    return week_of_date(datetime.fromtimestamp(ts, UTC).date())


def week_of_index(index: int) -> Week:
    """The week of a weekly count's key (see Week.index)."""
    return week_of(index * WEEK_SECONDS - MONDAY_OFFSET)


def parse_week(text: object, field_name: str = "week") -> Week:
    """'2026-W49' as a Week; ValidationFailed naming the field, the value and the reason."""
    match = _WEEK.match(text) if isinstance(text, str) else None
    reason = "expected an ISO week such as 2026-W49"
    if match:
        year, number = int(match.group(1)), int(match.group(2))
        try:
            date.fromisocalendar(year, number, 1)
        except ValueError:
            reason = f"{year} has no week {number}"
        else:
            if 1970 <= year <= 9998:
                return Week(year, number)
            reason = "the year must be between 1970 and 9998"
    shown = text[:40] if isinstance(text, str) else text
    raise ValidationFailed([FieldError(field_name, shown, reason)], f"{field_name} {shown!r}: {reason}")


@dataclass(frozen=True, slots=True)
class Targets:
    """Target counts per metric for a week (a metric left out has no target)."""

    values: dict[str, int] = field(default_factory=dict)

    def of(self, metric: str) -> int | None:
        """The target of a metric, if set."""
        return self.values.get(metric)

    def merged(self, other: Targets) -> Targets:
        """These targets with the other's metrics in their place."""
        return Targets({**self.values, **other.values})


@dataclass(frozen=True, slots=True)
class Segment:
    """Weekly targets for the people of one value of a dimension (a lead tool, a channel …)."""

    by: str
    value: str
    targets: Targets


@dataclass(frozen=True, slots=True)
class Filter:
    """Which people a playbook counts: for each dimension given, one of its values."""

    values: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def describe(self) -> str:
        """'channel in organic, paid' or 'everyone'."""
        parts = [f"{k} in {', '.join(v)}" for k, v in self.values.items()]
        return " and ".join(parts) or "everyone"


@dataclass(frozen=True, slots=True)
class Playbook:
    """If `metric` (of the people `where` picks) last week was below `below`, do `action` next week."""

    name: str
    metric: str
    below: int
    action: str
    where: Filter = Filter()
    contacts_per_day: int | None = None
    meetings: int | None = None
    owner: str | None = None
    note: str | None = None

    def fires(self, actual: int) -> bool:
        """Whether last week's count calls for the play."""
        return actual < self.below

    def play(self) -> str:
        """What the play does: 'start outbound at 30 contacts/day', 'order 10 booked meetings' or the note."""
        if self.action == "start_outbound":
            return f"start outbound at {self.contacts_per_day} contacts/day"
        if self.action == "order_meetings":
            return f"order {self.meetings} booked meetings"
        return self.note or self.name

    def title(self, week: Week) -> str:
        """The task's one-line title for the week the play runs in."""
        play = self.play()
        return f"{play[:1].upper()}{play[1:]} in {week.label}"


@dataclass(frozen=True, slots=True)
class PacingPlan:
    """plan.yaml: weekly targets, overrides for given weeks, per-segment targets and playbooks."""

    name: str
    targets: Targets
    weeks: dict[str, Targets] = field(default_factory=dict)
    segments: tuple[Segment, ...] = ()
    playbooks: tuple[Playbook, ...] = ()
    description: str | None = None

    def targets_for(self, week: Week) -> Targets:
        """The week's targets: the weekly ones with that week's overrides."""
        override = self.weeks.get(week.label)
        return self.targets.merged(override) if override else self.targets

    def segment_targets(self, by: str, value: str) -> Targets:
        """The targets of one group of a split report (none when the plan has no such segment)."""
        found = next((s for s in self.segments if s.by == by and s.value == value), None)
        return found.targets if found else Targets()


@dataclass(frozen=True, slots=True)
class WeekNote:
    """What was done in a week and what is done next."""

    week: Week
    done: str | None
    next: str | None


def check_note(week: object, done: str | None, next_: str | None) -> WeekNote:
    """A week's note from its parts; ValidationFailed names each field at fault."""
    parsed = parse_week(week)
    errors: list[FieldError] = []
    texts = [_note_text(value, name, errors) for value, name in ((done, "done"), (next_, "next"))]
    if not errors and texts == [None, None]:
        errors.append(FieldError("done", done, "give --done or --next (or both)"))
    if errors:
        raise ValidationFailed(errors, f"note refused: {errors[0].one_line()}")
    return WeekNote(parsed, texts[0], texts[1])


def _note_text(value: str | None, name: str, errors: list[FieldError]) -> str | None:
    if value is None or not value.strip():
        return None
    if "\x00" in value:
        shown = value.replace("\x00", "\\0")[:40]
        errors.append(FieldError(name, shown, "must not contain the NUL character"))
    elif len(value) > MAX_NOTE:
        errors.append(FieldError(name, value[:40] + "…", f"must be at most {MAX_NOTE} characters"))
    return value.strip()


def share(actual: int, target: int | None) -> float | None:
    """actual / target, rounded to 4 places; None without a (positive) target."""
    return round(actual / target, 4) if target else None
