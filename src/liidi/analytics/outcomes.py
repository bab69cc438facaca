"""Backtest records: the replay window, first flags, deals, and what sales recorded (outcomes)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from liidi.analytics.reach import Timeline, expand

DAY = 86400.0
WEEK = 7 * DAY
SQL_STAGES = frozenset({"sql", "opportunity", "customer"})
OPPORTUNITY_STAGES = frozenset({"opportunity", "customer"})
CLOSING_STAGES = frozenset({"recycled", "disqualified"})  # an opportunity before them is over
WIN_STAGES = frozenset({"opportunity", "customer"}) | CLOSING_STAGES  # the moves that date a win
OUTCOMES = ("sql", "opportunity", "won")
HEADLINE = "opportunity"
BANDS = 5


@dataclass(frozen=True, slots=True)
class Window:
    """Steps from `start` every `every` seconds while ≤ `end`; outcomes count within `horizon` of a step."""

    start: float
    end: float
    every: float
    horizon: float

    def steps(self) -> list[float]:
        """The as-of moments: start, start + every, …, never past end."""
        count = int((self.end - self.start) / self.every + 1e-9) + 1
        return [self.start + i * self.every for i in range(count)]


@dataclass(frozen=True, slots=True)
class Flag:
    """A person's first qualifying step under one model, and whether they qualified as a hand-raiser."""

    person_id: int
    ts: float
    hand_raiser: bool


@dataclass(frozen=True, slots=True)
class Deal:
    """An opportunity as a backtest sees it."""

    id: int
    person_id: int | None
    account_id: int | None
    won: bool
    created_ts: float
    closed_ts: float | None


class Outcomes:
    """What sales recorded: stage changes, deals, first touches per person, and each person's account.

    A won outcome is a won deal of the person or their account, or a move of the person to customer
    (dated by `wins`), so a history imported without a deals file still shows wins.
    """

    def __init__(
        self,
        *,
        stage_changes: Iterable[tuple[int, float, str]],
        deals: Iterable[Deal],
        touches: Iterable[tuple[int, float]],
        accounts: Mapping[int, int | None],
        until: float,
    ) -> None:
        self.deals = list(deals)
        self.accounts = accounts
        self.until = until
        self._sql: dict[int, list[float]] = {}
        self._opportunity: dict[int, list[float]] = {}
        changes: dict[int, list[tuple[float, str]]] = {}
        for pid, ts, stage in stage_changes:
            if stage in WIN_STAGES:
                changes.setdefault(pid, []).append((ts, stage))
            if stage in SQL_STAGES:
                self._sql.setdefault(pid, []).append(ts)
            if stage in OPPORTUNITY_STAGES:
                self._opportunity.setdefault(pid, []).append(ts)
        self._wins = {pid: found for pid, moves in changes.items() if (found := wins(moves))}
        self._touches: dict[int, list[float]] = {}
        for pid, ts in touches:
            self._touches.setdefault(pid, []).append(ts)
        for grouped in (self._sql, self._opportunity, self._touches):
            for times in grouped.values():
                times.sort()
        self._deals: dict[tuple[str, int], list[Deal]] = {}
        for deal in self.deals:
            if deal.person_id is not None:
                self._deals.setdefault(("person", deal.person_id), []).append(deal)
            if deal.account_id is not None:
                self._deals.setdefault(("account", deal.account_id), []).append(deal)

    def deals_of(self, person_id: int) -> list[Deal]:
        """The deals of a person and of their account."""
        account = self.accounts.get(person_id)
        found = {d.id: d for d in self._deals.get(("person", person_id), [])}
        if account is not None:
            found |= {d.id: d for d in self._deals.get(("account", account), [])}
        return list(found.values())

    def reached(self, person_id: int, ts: float, horizon: float) -> frozenset[str]:
        """Which outcomes (sql, opportunity, won) followed a step at `ts` within the horizon."""
        end, found = ts + horizon, set()
        if _any_within(self._sql.get(person_id, []), ts, end):
            found.add("sql")
        deals = [d for d in self.deals_of(person_id) if ts < d.created_ts <= end]
        if deals or _any_within(self._opportunity.get(person_id, []), ts, end):
            found.add("opportunity")
        if any(d.won and d.closed_ts is not None and d.closed_ts <= end for d in deals) or any(
            ts < opened and won <= end for opened, won in self._wins.get(person_id, [])
        ):
            found.add("won")
        return frozenset(found)

    def reached_many(
        self, person_ids: np.ndarray, ts: np.ndarray, horizon: float, outcome: str
    ) -> np.ndarray:
        """For every person-step, whether `outcome in reached(person_id, ts, horizon)`, millions at once."""
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}; use one of {', '.join(OUTCOMES)}")
        return self._timelines[outcome].reached(person_ids, ts, horizon)

    @cached_property
    def _timelines(self) -> dict[str, Timeline]:
        """Each outcome's moments per person: stage changes, wins, and deals of them or their account."""
        holder, index = self._deal_holders()
        created = np.array([d.created_ts for d in self.deals], dtype=np.float64)[index]
        closed = np.array([_or_nan(d.closed_ts) for d in self.deals], dtype=np.float64)[index]
        won = np.array([d.won and d.closed_ts is not None for d in self.deals], dtype=bool)[index]
        sql, opportunity = _columns(self._sql), _columns(self._opportunity)
        stage_ids, stage_times = self._stage_wins()
        return {
            "sql": Timeline(*sql),
            "opportunity": Timeline(
                np.concatenate([opportunity[0], holder]), np.concatenate([opportunity[1], created])
            ),
            "won": Timeline(
                np.concatenate([holder[won], stage_ids]),
                np.concatenate([created[won], stage_times[0]]),
                np.concatenate([closed[won], stage_times[1]]),
            ),
        }

    def _stage_wins(self) -> tuple[np.ndarray, np.ndarray]:
        """Person ids, and (opened, won) times as two rows, of the wins recorded as moves to customer."""
        found = [(pid, opened, at) for pid, wins_of in self._wins.items() for opened, at in wins_of]
        ids = np.array([pid for pid, _, _ in found], dtype=np.int64)
        times = np.array([(opened, at) for _, opened, at in found], dtype=np.float64).reshape(-1, 2).T
        return ids, times

    def _deal_holders(self) -> tuple[np.ndarray, np.ndarray]:
        """(person, deal index) pairs: each deal's contact, and every person of each deal's account."""
        own = [(d.person_id, i) for i, d in enumerate(self.deals) if d.person_id is not None]
        held = [(d.account_id, i) for i, d in enumerate(self.deals) if d.account_id is not None]
        wanted = {account for account, _ in held}
        members = _pairs([(a, p) for p, a in self.accounts.items() if a is not None and a in wanted])
        members = members[np.argsort(members[:, 0], kind="stable")]
        accounts, deals = _pairs(held).T
        first = np.searchsorted(members[:, 0], accounts, side="left")
        counts = np.searchsorted(members[:, 0], accounts, side="right") - first
        people = members[expand(first, counts), 1]
        mine = _pairs(own)
        return np.concatenate([mine[:, 0], people]), np.concatenate([mine[:, 1], np.repeat(deals, counts)])

    def first_touch(self, person_id: int, ts: float, horizon: float) -> float | None:
        """The first sales touch or hand-raise after `ts`, within the horizon."""
        times = self._touches.get(person_id, [])
        i = bisect_right(times, ts)
        return times[i] if i < len(times) and times[i] <= ts + horizon else None

    def touched_before(self, person_id: int, ts: float, horizon: float) -> bool:
        """True when sales touched the person (or they raised a hand) within the horizon up to `ts`."""
        return _any_within(self._touches.get(person_id, []), ts - horizon, ts)


def wins(changes: Sequence[tuple[float, str]]) -> list[tuple[float, float]]:
    """(opened, won) of each move to customer in a person's stage changes.

    The win is dated like a won deal: opened at the latest move to opportunity before it (since the last
    close), or at the move to customer itself when there was none; won at the move to customer.
    """
    found: list[tuple[float, float]] = []
    opened: float | None = None
    for ts, stage in sorted(changes, key=lambda change: change[0]):
        if stage == "opportunity":
            opened = ts
        elif stage == "customer":
            found.append((ts if opened is None else opened, ts))
            opened = None
        elif stage in CLOSING_STAGES:
            opened = None
    return found


def share(part: float, whole: float) -> float | None:
    """part / whole, or None when whole is 0."""
    return part / whole if whole else None


def _pairs(pairs: Sequence[tuple[int, int]]) -> np.ndarray:
    """Integer pairs as an (n, 2) array."""
    return np.array(pairs, dtype=np.int64).reshape(-1, 2)


def _columns(times_by_person: Mapping[int, Sequence[float]]) -> tuple[np.ndarray, np.ndarray]:
    """Person ids and times, one entry per time."""
    ids = np.repeat(np.fromiter(times_by_person, dtype=np.int64), [len(t) for t in times_by_person.values()])
    times = np.fromiter((t for ts in times_by_person.values() for t in ts), dtype=np.float64, count=len(ids))
    return ids, times


def _or_nan(value: float | None) -> float:
    return float("nan") if value is None else value


def _any_within(times: Sequence[float], after: float, until: float) -> bool:
    """True when a sorted list holds a time in (after, until]."""
    i = bisect_right(times, after)
    return i < len(times) and times[i] <= until
