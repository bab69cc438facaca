"""Nurture results per track: enrolled, progressed a stage, qualified, unsubscribed, days to qualify."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from liidi.domain.nurture import DAY, progressed

ALL = "all tracks"


@dataclass(frozen=True, slots=True)
class TrackResult:
    """What became of the people one track took in (or of all of them, as `ALL`)."""

    track: str
    enrolled: int
    active: int
    completed: int
    progressed: int
    qualified: int
    unsubscribed: int
    disqualified: int
    other_exits: int
    median_days_to_qualify: float | None

    @property
    def qualified_share(self) -> float | None:
        """Of the people enrolled, the share who qualified (None when nobody was enrolled)."""
        return self.qualified / self.enrolled if self.enrolled else None

    def as_dict(self) -> dict[str, Any]:
        """The result as JSON-ready values, with the qualified share."""
        return asdict(self) | {"qualified_share": self.qualified_share}


def track_result(track: str, outcomes: Iterable[Mapping[str, Any]], order: Sequence[str]) -> TrackResult:
    """One track's results from its enrolments' outcomes, buying stages ranked in the model's `order`.

    An enrolment progressed when its latest buying stage (when it ended, or now while active) is later
    in `order` than the stage it entered at; days to qualify run from enrolment to the exit.
    """
    rows = list(outcomes)
    status = [row["status"] for row in rows]
    reasons = [row["exit_reason"] for row in rows if row["status"] == "exited"]
    days = [(row["ended_ts"] - row["enrolled_ts"]) / DAY for row in rows if row["exit_reason"] == "qualified"]
    return TrackResult(
        track=track,
        enrolled=len(rows),
        active=status.count("active"),
        completed=status.count("completed"),
        progressed=sum(progressed(row["entry_stage"], row["latest_stage"], order) for row in rows),
        qualified=reasons.count("qualified"),
        unsubscribed=reasons.count("unsubscribed"),
        disqualified=reasons.count("disqualified"),
        other_exits=len(reasons)
        - sum(reasons.count(r) for r in ("qualified", "unsubscribed", "disqualified")),
        median_days_to_qualify=statistics.median(days) if days else None,
    )


def track_results(
    outcomes: Iterable[Mapping[str, Any]], order: Sequence[str], tracks: Sequence[str] = ()
) -> list[TrackResult]:
    """Results per track (the given tracks in order, then others met in the outcomes), then the total."""
    rows = list(outcomes)
    names = list(dict.fromkeys([*tracks, *(str(row["track"]) for row in rows)]))
    per_track = [track_result(name, (row for row in rows if row["track"] == name), order) for name in names]
    return [*per_track, track_result(ALL, rows, order)]
