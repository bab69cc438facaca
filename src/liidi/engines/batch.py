"""Batch scoring: one model, everyone, as of one moment — the interface every batch engine implements."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from liidi.domain.accounts import Account
from liidi.domain.events import Event
from liidi.domain.people import Person
from liidi.domain.scoring import ScoreCard, ScoringModel, score


@dataclass(frozen=True, slots=True)
class BatchRow:
    """One person's result from a batch run: the numbers and verdicts every engine must agree on."""

    person_id: int
    fit: float
    grade: str | None
    engagement: float
    score: float
    mql: bool
    pql: bool
    hand_raiser: bool
    signals: tuple[str, ...]
    email: str | None = None
    external_id: str | None = None

    @property
    def qualified(self) -> bool:
        """True when any qualification path holds."""
        return self.mql or self.pql or self.hand_raiser


@dataclass(frozen=True, slots=True)
class StepScores:
    """Everyone's score and verdicts at each of several steps, as columns: one entry per person and step.

    `step` indexes `steps` (the as-of moments, ascending); rows are ordered by step, then person_id.
    """

    steps: tuple[float, ...]
    step: np.ndarray
    person_id: np.ndarray
    score: np.ndarray
    mql: np.ndarray
    pql: np.ndarray
    hand_raiser: np.ndarray

    @property
    def qualified(self) -> np.ndarray:
        """True where any qualification path holds."""
        result: np.ndarray = self.mql | self.pql | self.hand_raiser
        return result

    def __len__(self) -> int:
        return int(self.step.shape[0])

    @classmethod
    def from_rows(cls, rows_by_step: Mapping[float, Sequence[BatchRow]]) -> StepScores:
        """The columns of per-step batch rows."""
        steps = tuple(sorted(rows_by_step))
        ordered = [(i, r) for i, t in enumerate(steps) for r in sorted(rows_by_step[t], key=_pid)]
        return cls(
            steps=steps,
            step=np.array([i for i, _ in ordered], dtype=np.int32),
            person_id=np.array([r.person_id for _, r in ordered], dtype=np.int64),
            score=np.array([r.score for _, r in ordered], dtype=np.float64),
            mql=np.array([r.mql for _, r in ordered], dtype=bool),
            pql=np.array([r.pql for _, r in ordered], dtype=bool),
            hand_raiser=np.array([r.hand_raiser for _, r in ordered], dtype=bool),
        )


def _pid(row: BatchRow) -> int:
    return row.person_id


class BatchEngine(Protocol):
    """Scores everyone under one model as of each of several moments."""

    name: str

    def score_many(self, model: ScoringModel, as_of: Sequence[float]) -> dict[float, list[BatchRow]]:
        """Rows per as-of moment, ordered by person_id."""
        ...


def row_from_card(card: ScoreCard, email: str | None = None, external_id: str | None = None) -> BatchRow:
    """The batch row the reference evaluator gives, naming the person by e-mail and external id."""
    active = tuple(sorted(s.key for s in (*card.signals, *card.products) if s.active))
    return BatchRow(
        card.person_id,
        card.fit,
        card.grade,
        card.engagement,
        card.score,
        card.mql,
        card.pql,
        card.hand_raiser,
        active,
        email,
        external_id,
    )


@dataclass
class ReferenceEngine:
    """The reference evaluator run person by person in Python: the oracle the SQL engines must match."""

    people: Mapping[int, tuple[Person, Account | None]]
    events: Mapping[int, Sequence[Event]]
    name: str = "reference"
    external_ids: Mapping[int, str] = field(default_factory=dict)
    """Each person's external id (their id in the CRM), for people who have one."""

    def score_many(self, model: ScoringModel, as_of: Sequence[float]) -> dict[float, list[BatchRow]]:
        """Each person's card at each moment."""
        return {t: [self._row(model, pid, t) for pid in sorted(self.people)] for t in as_of}

    def _row(self, model: ScoringModel, pid: int, t: float) -> BatchRow:
        person, account = self.people[pid]
        # The first-qualification time is not part of a batch row; skip its search over every check time.
        card = score(model, person, account, self.events.get(pid, ()), t, first=(None, None))
        return row_from_card(card, person.email, self.external_ids.get(pid))


def by_person(events: Iterable[Event]) -> dict[int, list[Event]]:
    """Events grouped by person id."""
    grouped: dict[int, list[Event]] = {}
    for event in events:
        if event.person_id is not None:
            grouped.setdefault(event.person_id, []).append(event)
    return grouped
