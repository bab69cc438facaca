"""Nurture: timed tracks of steps for leads that are not ready for sales yet (R13).

A track is chosen by what a person cares about (their top interest themes) and where they are in buying
(their buying stage), both as the scoring model computes them. Not-ready leads (scored, not qualified)
and recycled leads (sent back by sales) enter; each step waits some days, then does one thing: a webhook
to the e-mail tool, an e-mail over SMTP, or a task for a rep. A person leaves when they qualify, are
disqualified or unsubscribe; one person follows at most one track per scoring model at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

DAY = 86400
NURTURABLE: frozenset[str] = frozenset({"subscriber", "lead", "recycled"})
QUALIFIED_STAGES: frozenset[str] = frozenset({"mql", "sal", "sql", "opportunity", "customer"})


class Action(StrEnum):
    """What a step does."""

    WEBHOOK = "webhook"  # a call to the e-mail tool naming a campaign or template
    EMAIL = "email"  # an e-mail liidi sends over SMTP, with a subject and a template
    TASK = "task"  # a task for the person's rep


class Status(StrEnum):
    """Where an enrolment is."""

    ACTIVE = "active"
    COMPLETED = "completed"
    EXITED = "exited"


class ExitReason(StrEnum):
    """Why a person left a track before its end."""

    QUALIFIED = "qualified"
    DISQUALIFIED = "disqualified"
    UNSUBSCRIBED = "unsubscribed"
    MERGED = "merged"
    TRACK_REMOVED = "track_removed"


class Entry(StrEnum):
    """How a person came into nurture."""

    NOT_READY = "not_ready"
    RECYCLED = "recycled"


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a track: wait `wait_days` after the step before (or the enrolment), then act."""

    action: Action
    wait_days: int = 0
    template: str | None = None
    campaign: str | None = None
    subject: str | None = None
    task: str | None = None

    @property
    def wait(self) -> int:
        """The wait in seconds."""
        return self.wait_days * DAY

    def describe(self) -> str:
        """'after 3d: email "Five cloud myths" (template cloud-myths)'."""
        what = {
            Action.WEBHOOK: " ".join(
                f"{k} {v}" for k, v in (("campaign", self.campaign), ("template", self.template)) if v
            ),
            Action.EMAIL: f'"{self.subject}" (template {self.template})',
            Action.TASK: f'"{self.task}"',
        }[self.action]
        return f"after {self.wait_days}d: {self.action.value} {what}"


@dataclass(frozen=True, slots=True)
class Track:
    """A named sequence of steps for people of some interest themes at some buying stages.

    An empty set of themes takes any theme (and people with none); an empty set of stages any stage.
    """

    name: str
    steps: tuple[Step, ...]
    themes: frozenset[str] = frozenset()
    stages: frozenset[str] = frozenset()
    description: str = ""

    def names_theme(self, theme: str | None) -> bool:
        """Whether the track is written for this theme by name."""
        return theme is not None and theme in self.themes

    def takes_stage(self, stage: str | None) -> bool:
        """Whether the track is for people at this buying stage."""
        return not self.stages or stage in self.stages

    def hides(self, other: Track) -> bool:
        """Whether this track, placed above the other, takes every person the other would.

        Tracks naming themes are tried before tracks for any theme, so only tracks of the same kind hide
        each other.
        """
        if bool(self.themes) != bool(other.themes):
            return False
        stages = not self.stages or (bool(other.stages) and other.stages <= self.stages)
        return other.themes <= self.themes and stages


@dataclass(frozen=True, slots=True)
class PersonState:
    """What nurture needs to know of a person now: stage, consent and what the model says of them."""

    lifecycle_stage: str
    consent: str = "unknown"
    grade: str | None = None
    score: float = 0.0
    themes: tuple[str, ...] = ()
    buying_stage: str | None = None
    merged: bool = False

    @property
    def can_be_nurtured(self) -> bool:
        """Not merged away, not past marketing, not disqualified, and not unsubscribed."""
        return not self.merged and self.lifecycle_stage in NURTURABLE and self.consent != "withdrawn"


@dataclass(frozen=True, slots=True)
class EntryRules:
    """Who enters nurture: recycled leads, and not-ready leads of some grades and a least score."""

    recycled: bool = True
    not_ready: bool = True
    grades: frozenset[str] = frozenset()
    min_score: float | None = None

    def admits(self, person: PersonState) -> Entry | None:
        """How a person enters nurture now (recycled or not ready), or None when they do not."""
        if not person.can_be_nurtured:
            return None
        if person.lifecycle_stage == "recycled":
            return Entry.RECYCLED if self.recycled else None
        if not self.not_ready or (self.grades and person.grade not in self.grades):
            return None
        if self.min_score is not None and person.score < self.min_score:
            return None
        return Entry.NOT_READY


@dataclass(frozen=True, slots=True)
class NurtureCatalog:
    """The tracks of one nurture file, keyed by the themes and buying stages of one scoring model."""

    model: str
    tracks: tuple[Track, ...]
    entry: EntryRules = EntryRules()
    name: str = ""
    description: str = ""

    def track_for(self, theme: str | None, stage: str | None) -> Track | None:
        """The track for someone interested in `theme` at buying stage `stage`.

        The first track naming the theme that takes the stage; else the first track for any theme that
        takes it; else none.
        """
        named = (t for t in self.tracks if t.names_theme(theme) and t.takes_stage(stage))
        return next(named, None) or self._any_theme(stage)

    def track_for_interests(self, themes: Sequence[str], stage: str | None) -> Track | None:
        """The track for someone's top themes (strongest first): the first theme with its own track wins."""
        for theme in themes:
            found = next((t for t in self.tracks if t.names_theme(theme) and t.takes_stage(stage)), None)
            if found is not None:
                return found
        return self._any_theme(stage)

    def _any_theme(self, stage: str | None) -> Track | None:
        return next((t for t in self.tracks if not t.themes and t.takes_stage(stage)), None)

    def named(self, name: str) -> Track | None:
        """The track of a name, if the file has one."""
        return next((t for t in self.tracks if t.name == name), None)


def exit_reason(person: PersonState) -> ExitReason | None:
    """Why a person must leave nurture now, if they must: merged, qualified, disqualified, unsubscribed."""
    if person.merged:
        return ExitReason.MERGED
    if person.lifecycle_stage in QUALIFIED_STAGES:
        return ExitReason.QUALIFIED
    if person.lifecycle_stage == "disqualified":
        return ExitReason.DISQUALIFIED
    if person.consent == "withdrawn":
        return ExitReason.UNSUBSCRIBED
    return None


@dataclass(frozen=True, slots=True)
class Enrolment:
    """A person on a track: which step is next and when it is due."""

    person_id: int
    model: str
    track: Track
    enrolled_ts: float
    step_index: int
    next_due_ts: float | None
    status: Status = Status.ACTIVE

    @classmethod
    def start(cls, person_id: int, model: str, track: Track, now: float) -> Enrolment:
        """A new enrolment: the first step is due after its wait."""
        first = track.steps[0].wait if track.steps else 0
        enrolment = cls(person_id, model, track, now, 0, now + first)
        return enrolment if track.steps else enrolment.finished()

    @property
    def current(self) -> Step | None:
        """The step to be done next, if any is left."""
        steps = self.track.steps
        return (
            steps[self.step_index] if self.status is Status.ACTIVE and self.step_index < len(steps) else None
        )

    def next_step(self, now: float) -> Step | None:
        """The step to perform at `now`: the next, once its wait is over (None before then or at the end)."""
        step = self.current
        due = self.next_due_ts
        return step if step is not None and due is not None and due <= now else None

    def after_step(self, done_ts: float) -> Enrolment:
        """The enrolment once its next step was done at `done_ts`: the step after it waits from then."""
        index = self.step_index + 1
        if index >= len(self.track.steps):
            return replace(self, step_index=index).finished()
        return replace(self, step_index=index, next_due_ts=done_ts + self.track.steps[index].wait)

    def finished(self) -> Enrolment:
        """The enrolment with every step done."""
        return replace(self, status=Status.COMPLETED, next_due_ts=None)

    def should_exit(self, person: PersonState) -> ExitReason | None:
        """Why the person leaves this track now (None while it still suits them)."""
        return exit_reason(person) if self.status is Status.ACTIVE else None


def progressed(entry_stage: str | None, later_stage: str | None, order: Sequence[str]) -> bool:
    """Whether a buying stage moved forward in the model's order (no stage counts as before the first)."""

    def rank(stage: str | None) -> int:
        return order.index(stage) if stage in order else -1

    return later_stage is not None and rank(later_stage) > rank(entry_stage)
