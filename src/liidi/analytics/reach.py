"""Outcome moments as sorted columns, so millions of person-steps can be checked at once.

`Timeline.reached(person_ids, ts, horizon)` answers, for every pair, whether the person has a moment in
(ts, ts + horizon] — the same test `Outcomes.reached` makes one person-step at a time.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

CACHED_WINDOWS = 2048


class Timeline:
    """Moments at which people reached one outcome, ordered by time.

    A moment may carry a second time `closed` that must also fall by the end of the window (a won deal
    counts when it was created within the window and closed by its end).
    """

    def __init__(self, person_id: np.ndarray, ts: np.ndarray, closed: np.ndarray | None = None) -> None:
        order = np.argsort(ts, kind="stable")
        self.person_id = np.asarray(person_id, dtype=np.int64)[order]
        self.ts = np.asarray(ts, dtype=np.float64)[order]
        self.closed = None if closed is None else np.asarray(closed, dtype=np.float64)[order]
        self._windows: dict[tuple[float, float], np.ndarray] = {}

    def people_within(self, after: float, until: float) -> np.ndarray:
        """The ids (sorted, repeats kept) of the people with a moment in (after, until]."""
        key = (after, until)
        if key not in self._windows:
            if len(self._windows) >= CACHED_WINDOWS:
                self._windows.clear()
            lo, hi = (int(i) for i in np.searchsorted(self.ts, [after, until], side="right"))
            ids = self.person_id[lo:hi]
            if self.closed is not None:
                ids = ids[self.closed[lo:hi] <= until]
            self._windows[key] = np.sort(ids)
        return self._windows[key]

    def reached(self, person_ids: np.ndarray, ts: np.ndarray, horizon: float) -> np.ndarray:
        """True where the person has a moment in (ts, ts + horizon]; one window per distinct ts."""
        ids = np.asarray(person_ids, dtype=np.int64)
        at = np.asarray(ts, dtype=np.float64)
        order = np.argsort(at, kind="stable") if bool(np.any(at[1:] < at[:-1])) else None
        if order is not None:
            ids, at = ids[order], at[order]
        hits = np.zeros(at.shape[0], dtype=bool)
        for lo, hi in _runs(at):
            moment = float(at[lo])
            hits[lo:hi] = _member(ids[lo:hi], self.people_within(moment, moment + horizon))
        if order is None:
            return hits
        unsorted = np.empty_like(hits)
        unsorted[order] = hits
        return unsorted


def _runs(at: np.ndarray) -> Iterator[tuple[int, int]]:
    """The [start, end) ranges of equal values in a sorted array."""
    if not at.shape[0]:
        return iter(())
    bounds = (np.flatnonzero(at[1:] != at[:-1]) + 1).tolist()
    return zip([0, *bounds], [*bounds, int(at.shape[0])], strict=True)


def _member(ids: np.ndarray, sorted_ids: np.ndarray) -> np.ndarray:
    """True where an id is in a sorted array of ids."""
    if not sorted_ids.shape[0]:
        return np.zeros(ids.shape[0], dtype=bool)
    found = np.minimum(np.searchsorted(sorted_ids, ids), sorted_ids.shape[0] - 1)
    result: np.ndarray = sorted_ids[found] == ids
    return result


def expand(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The indices start, start + 1, …, start + count - 1 of every (start, count) pair, concatenated."""
    counts = np.asarray(counts, dtype=np.int64)
    offsets = np.repeat(np.cumsum(counts) - counts, counts)
    result: np.ndarray = (
        np.repeat(np.asarray(starts, dtype=np.int64), counts) + np.arange(offsets.shape[0]) - offsets
    )
    return result
